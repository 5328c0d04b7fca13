package io.platformsessions.tck;

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
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Session records for store tests: one with every optional part set and one with none, each under a
 * fresh random key. Times are truncated to milliseconds, the precision every store must keep.
 * Stateless and thread-safe.
 */
public final class TestRecords {
    /** A fixed instant the contract suite counts from: 2026-01-01T10:00:00Z. */
    public static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    private static final SecureRandom RANDOM = new SecureRandom();

    private TestRecords() {
    }

    /**
     * A random session key, as if hashed from a fresh token.
     *
     * @return a key no other call returns (with overwhelming probability)
     */
    public static SessionKey randomKey() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return SessionKey.ofBytes(b);
    }

    /**
     * A complete record with every optional part set: a platform, a client binding, an elevation,
     * and three attributes (a plain one, one with a TTL and non-ASCII JSON, a sealed one).
     *
     * @param userId the owner
     * @param lastActivity last activity; created a minute before, idle expiry 30 minutes after, absolute
     *     expiry 12 hours after
     * @return the record, version 1
     */
    public static SessionRecord fullRecord(String userId, Instant lastActivity) {
        Instant last = lastActivity.truncatedTo(ChronoUnit.MILLIS);
        SessionAttributes attributes = SessionAttributes.empty()
                .with("theme", new StoredAttribute("\"dark\"", null, null))
                .with("draft", new StoredAttribute("{\"text\":\"héllo \\\"w\\\" ✓\",\"n\":3}", last.plusSeconds(600), null))
                .with("oauth", new StoredAttribute("c2VhbGVk", null, "k1"));
        return SessionRecord.builder()
                .key(randomKey())
                .sessionId("sid-" + RANDOM.nextInt(1_000_000))
                .owner(new SessionOwner(userId, userId + "-name"))
                .platform(new ActivePlatform(7, userId + "@mastodon.social", "mastodon", "https://mastodon.social"))
                .times(new SessionTimes(last.minusSeconds(60), last, last.plus(Duration.ofMinutes(30)),
                        last.plus(Duration.ofHours(12))))
                .version(1)
                .csrfSecret("Y3NyZi1zZWNyZXQtY3NyZi1zZWNyZXQtY3NyZi1zZWM")
                .client(new ClientBinding("203.0.113.0/24", "Firefox/Linux", "en", "Firefox on Linux"))
                .elevation(new Elevation(AccessLevel.WRITE, last.plusSeconds(300)))
                .attributes(attributes)
                .build();
    }

    /**
     * A minimal record: no platform, no client, no elevation, no attributes.
     *
     * @param userId the owner
     * @param expiresAt effective expiry; created an hour before, last active half an hour before,
     *     absolute expiry an hour after
     * @return the record, version 1
     */
    public static SessionRecord minimalRecord(String userId, Instant expiresAt) {
        Instant exp = expiresAt.truncatedTo(ChronoUnit.MILLIS);
        return SessionRecord.builder()
                .key(randomKey())
                .sessionId("sid-" + RANDOM.nextInt(1_000_000))
                .owner(new SessionOwner(userId, userId))
                .times(new SessionTimes(exp.minusSeconds(3600), exp.minusSeconds(1800), exp, exp.plusSeconds(3600)))
                .version(1)
                .csrfSecret("c2VjcmV0")
                .build();
    }
}
