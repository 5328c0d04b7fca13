package io.platformsessions.jdbc;

import io.platformsessions.AccessLevel;
import io.platformsessions.ActivePlatform;
import io.platformsessions.Elevation;
import io.platformsessions.SessionKey;
import io.platformsessions.spi.ClientBinding;
import io.platformsessions.spi.SessionAttributes;
import io.platformsessions.spi.SessionOwner;
import io.platformsessions.spi.SessionRecord;
import io.platformsessions.spi.SessionTimes;
import io.platformsessions.spi.StoredAttribute;
import java.time.Duration;
import java.time.Instant;

/** Session records for the JDBC tests. */
final class TestRecords {
    static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

    private TestRecords() {
    }

    static SessionKey randomKey() {
        return io.platformsessions.tck.TestRecords.randomKey();
    }

    /** A full record for {@code userId}, last active at {@code last}, idle expiry 30 min later, absolute 12 h. */
    static SessionRecord record(String userId, Instant last) {
        String shortId = userId.substring(0, Math.min(userId.length(), 20));
        return SessionRecord.builder()
                .key(randomKey())
                .sessionId("sid" + TestDatabases.hex(8))
                .owner(new SessionOwner(userId, "User " + shortId))
                .platform(new ActivePlatform(1, shortId + "@mastodon.social", "mastodon", "https://mastodon.social"))
                .times(new SessionTimes(last, last, last.plus(Duration.ofMinutes(30)), last.plus(Duration.ofHours(12))))
                .version(1)
                .csrfSecret("Y3NyZg")
                .client(new ClientBinding("203.0.113.0/24", "Firefox/Linux", "en", "Firefox on Linux"))
                .elevation(new Elevation(AccessLevel.READ, last.plusSeconds(60)))
                .attributes(SessionAttributes.empty().with("theme", new StoredAttribute("\"dark\"", null, null)))
                .build();
    }

    /** A record whose effective expiry is {@code expiresAt} and absolute expiry {@code absolute}. */
    static SessionRecord expiring(String userId, Instant expiresAt, Instant absolute) {
        Instant last = expiresAt.minus(Duration.ofMinutes(30));
        return record(userId, last).withTimes(new SessionTimes(last, last, expiresAt, absolute));
    }
}
