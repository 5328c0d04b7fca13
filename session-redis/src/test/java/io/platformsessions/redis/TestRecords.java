package io.platformsessions.redis;

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
import java.time.temporal.ChronoUnit;

/** Session records for the store-specific tests: the only place these tests build records. */
final class TestRecords {
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestRecords() {
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
        return new SessionRecord(randomKey(), "sid-" + RANDOM.nextInt(1_000_000_000), userId, userId + " Name",
                new ActivePlatform(7, userId + "@mastodon.social", "mastodon", "https://mastodon.social"),
                t, t, t.plus(Duration.ofMinutes(30)), t.plus(Duration.ofHours(12)), 1,
                "Y3NyZi1zZWNyZXQtY3NyZi1zZWNyZXQtY3NyZi1zZWM",
                new ClientBinding("203.0.113.0/24", "Firefox/Linux", "en", "Firefox on Linux"),
                new Elevation(AccessLevel.WRITE, t.plusSeconds(300)), attributes);
    }

    /** A session with nothing optional, expiring at {@code expiresAt} (absolute one hour later). */
    static SessionRecord minimal(String userId, Instant expiresAt) {
        Instant e = expiresAt.truncatedTo(ChronoUnit.MILLIS);
        return new SessionRecord(randomKey(), "sid-" + RANDOM.nextInt(1_000_000_000), userId, userId, null,
                e.minusSeconds(3600), e.minusSeconds(1800), e, e.plusSeconds(3600), 1, "c2VjcmV0",
                ClientBinding.unknown(), null, SessionAttributes.empty());
    }
}
