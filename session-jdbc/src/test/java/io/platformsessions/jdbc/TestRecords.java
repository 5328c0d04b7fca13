package io.platformsessions.jdbc;

import io.platformsessions.AccessLevel;
import io.platformsessions.ActivePlatform;
import io.platformsessions.Elevation;
import io.platformsessions.SessionKey;
import io.platformsessions.spi.ClientBinding;
import io.platformsessions.spi.SessionAttributes;
import io.platformsessions.spi.SessionRecord;
import io.platformsessions.spi.StoredAttribute;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;

/** Session records for the JDBC tests. */
final class TestRecords {
    static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestRecords() {
    }

    static SessionKey randomKey() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return SessionKey.ofBytes(b);
    }

    /** A full record for {@code userId}, last active at {@code last}, idle expiry 30 min later, absolute 12 h. */
    static SessionRecord record(String userId, Instant last) {
        String shortId = userId.substring(0, Math.min(userId.length(), 20));
        return new SessionRecord(randomKey(), "sid" + TestDatabases.hex(8), userId, "User " + shortId,
                new ActivePlatform(1, shortId + "@mastodon.social", "mastodon", "https://mastodon.social"),
                last, last, last.plus(Duration.ofMinutes(30)), last.plus(Duration.ofHours(12)), 1, "Y3NyZg",
                new ClientBinding("203.0.113.0/24", "Firefox/Linux", "en", "Firefox on Linux"),
                new Elevation(AccessLevel.READ, last.plusSeconds(60)),
                SessionAttributes.empty().with("theme", new StoredAttribute("\"dark\"", null, null)));
    }

    /** A record whose effective expiry is {@code expiresAt} and absolute expiry {@code absolute}. */
    static SessionRecord expiring(String userId, Instant expiresAt, Instant absolute) {
        return record(userId, expiresAt.minus(Duration.ofMinutes(30))).withTimes(expiresAt.minus(Duration.ofMinutes(30)),
                expiresAt, absolute);
    }
}
