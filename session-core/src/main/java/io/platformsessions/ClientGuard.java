package io.platformsessions;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.platformsessions.spi.ClientBinding;
import java.time.Duration;
import java.time.Instant;

/**
 * What the engine knows about clients: their bindings (network, browser, language), whether a
 * presented client differs from the session's, which changes were already reported, the
 * unknown-token limiter and the platform-switch rate. Every structure is bounded by a named constant.
 * Thread-safe.
 */
final class ClientGuard {
    /** Client bindings kept, so a cached resolve does not parse User-Agent and address each time. */
    static final int BINDINGS_CACHED = 10_000;
    /** Sessions whose last reported client change is remembered (LOG policy: one event per new client). */
    static final int REPORTED_CHANGES_REMEMBERED = 100_000;
    /** How long a reported client change is remembered. */
    static final Duration REPORTED_CHANGE_MEMORY = Duration.ofHours(1);
    /** Subjects (address, network, session) each rate limiter tracks at most. */
    static final int LIMITER_SUBJECTS = 100_000;

    private final RateLimiter<String> unknownTokens;
    private final RateLimiter<String> platformSwitches;
    private final Cache<SessionKey, ClientBinding> reportedChanges;
    private final Cache<ClientInfo, ClientBinding> bindings;

    ClientGuard(SessionConfig config) {
        this.unknownTokens = new RateLimiter<>(config.maxUnknownTokensPerMinute(), config.unknownTokenCooldown(),
                LIMITER_SUBJECTS);
        this.platformSwitches = new RateLimiter<>(config.maxPlatformSwitchesPerMinute(), Duration.ZERO,
                LIMITER_SUBJECTS);
        this.reportedChanges = Caffeine.newBuilder().maximumSize(REPORTED_CHANGES_REMEMBERED)
                .expireAfterWrite(REPORTED_CHANGE_MEMORY).build();
        this.bindings = Caffeine.newBuilder().maximumSize(BINDINGS_CACHED).build();
    }

    /**
     * The client's binding, cached for ordinary clients. Clients with a header over
     * {@link Limits#MAX_CLIENT_HEADER_LENGTH} are bound without caching, so that a flood of 8 KB
     * User-Agents cannot pin megabytes in the cache.
     *
     * @param c the client
     * @return its binding
     */
    ClientBinding binding(ClientInfo c) {
        if (tooLong(c.ipAddress()) || tooLong(c.userAgent()) || tooLong(c.acceptLanguage())) {
            return ClientFingerprints.bind(c);
        }
        return bindings.get(c, ClientFingerprints::bind);
    }

    private static boolean tooLong(String header) {
        return header != null && header.length() > Limits.MAX_CLIENT_HEADER_LENGTH;
    }

    /**
     * Whether lookups from this address are refused for now (it guessed too many tokens).
     *
     * @param ip the client address, may be null (never throttled)
     * @param now the engine's time
     * @return {@code true} while it cools down
     */
    boolean isThrottled(String ip, Instant now) {
        if (ip == null || !unknownTokens.isAnyBlocked(now)) {
            return false; // the common case: one volatile read
        }
        String subject = ClientFingerprints.rateLimitSubject(ip);
        return subject != null && unknownTokens.isBlocked(subject, now);
    }

    /**
     * Counts a well-formed token the store does not know.
     *
     * @param ip the client address, may be null (not counted)
     * @param now the engine's time
     * @return {@code true} exactly when this one takes the address over the limit (report it once)
     */
    boolean unknownToken(String ip, Instant now) {
        String subject = ClientFingerprints.rateLimitSubject(ip);
        return subject != null && unknownTokens.record(subject, now);
    }

    /**
     * How a client differs from the one a session is bound to.
     *
     * @param original the session's binding
     * @param current the presenting client's binding
     * @return a short description, or {@code null} if it is the same client
     */
    static String difference(ClientBinding original, ClientBinding current) {
        return ClientFingerprints.difference(original, current);
    }

    /**
     * Remembers that a client change of this session was reported, once per distinct new client.
     *
     * @param key the session
     * @param current the new client
     * @return {@code true} if it was not reported yet (report it now)
     */
    boolean firstReport(SessionKey key, ClientBinding current) {
        if (current.equals(reportedChanges.getIfPresent(key))) {
            return false;
        }
        reportedChanges.put(key, current);
        return true;
    }

    /**
     * Counts a platform switch of a session.
     *
     * @param sessionId the session's stable id
     * @param now the engine's time
     * @return {@code true} exactly when this switch goes over the configured rate
     */
    boolean platformSwitch(String sessionId, Instant now) {
        return platformSwitches.record(sessionId, now);
    }
}
