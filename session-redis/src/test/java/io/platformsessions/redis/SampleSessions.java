package io.platformsessions.redis;

import io.platformsessions.AccessLevel;
import io.platformsessions.ActivePlatform;
import io.platformsessions.Elevation;
import io.platformsessions.SessionKey;
import io.platformsessions.spi.ClientBinding;
import io.platformsessions.spi.SessionOwner;
import io.platformsessions.spi.SessionAttributes;
import io.platformsessions.spi.SessionRecord;
import io.platformsessions.spi.SessionTimes;
import io.platformsessions.spi.StoredAttribute;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Session records for the store-specific tests (the TCK's {@code TestRecords} serve the contract): the only place these tests build records. */
final class SampleSessions {
    private static final SecureRandom RANDOM = new SecureRandom();

    private SampleSessions() {
    }

    static SessionKey randomKey() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return SessionKey.ofBytes(b);
    }

    /** A typical logged-in session: platform, client, a few attributes; idle expiry 30 min, absolute 12 h. */
    static SessionRecord typical(String userId, Instant now) {
        Instant t = now.truncatedTo(ChronoUnit.MILLIS);
        SessionAttributes attributes = SessionAttributes.empty()
                .with("theme", new StoredAttribute("\"dark\"", null, null))
                .with("cart", new StoredAttribute("{\"items\":[12,7],\"total\":\"19.90\"}", null, null));
        return SessionRecord.builder()
                .key(randomKey())
                .sessionId("sid-" + RANDOM.nextInt(1_000_000_000))
                .owner(new SessionOwner(userId, userId + " Name"))
                .platform(new ActivePlatform(7, userId + "@mastodon.social", "mastodon", "https://mastodon.social"))
                .times(new SessionTimes(t, t, t.plus(Duration.ofMinutes(30)), t.plus(Duration.ofHours(12))))
                .csrfSecret("Y3NyZi1zZWNyZXQtY3NyZi1zZWNyZXQtY3NyZi1zZWM")
                .client(new ClientBinding("203.0.113.0/24", "Firefox/Linux", "en", "Firefox on Linux"))
                .elevation(new Elevation(AccessLevel.WRITE, t.plusSeconds(300)))
                .attributes(attributes)
                .build();
    }

    /** A session with nothing optional, expiring at {@code expiresAt} (absolute one hour later). */
    static SessionRecord minimal(String userId, Instant expiresAt) {
        Instant e = expiresAt.truncatedTo(ChronoUnit.MILLIS);
        return SessionRecord.builder()
                .key(randomKey())
                .sessionId("sid-" + RANDOM.nextInt(1_000_000_000))
                .owner(new SessionOwner(userId, userId))
                .times(new SessionTimes(e.minusSeconds(3600), e.minusSeconds(1800), e, e.plusSeconds(3600)))
                .csrfSecret("c2VjcmV0")
                .build();
    }
}
