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
 *
 * <p>Unknown tokens are counted per address (IPv4, or IPv6 /64), per IPv6 /56 and /48 with
 * {@link #IPV6_56_FACTOR} and {@link #IPV6_48_FACTOR} times the per-address limit, and for all
 * clients together ({@link SessionConfig#maxUnknownTokensPerMinuteTotal()}, refused for one minute). A
 * lookup is refused while any of its subjects cools down. Clients without an address are neither
 * counted nor refused. Thread-safe.
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
    /** An IPv6 /56 may present this many times the per-address limit of unknown tokens. */
    static final int IPV6_56_FACTOR = 4;
    /** An IPv6 /48 may present this many times the per-address limit of unknown tokens. */
    static final int IPV6_48_FACTOR = 16;
    private static final String ALL_CLIENTS = "*";

    private final SessionConfig config;
    private final RateLimiter<String> unknownTokens;
    private final RateLimiter<String> unknownTokensPer56;
    private final RateLimiter<String> unknownTokensPer48;
    private final RateLimiter<String> unknownTokensTotal;
    private final RateLimiter<String> platformSwitches;
    private final Cache<SessionKey, ClientBinding> reportedChanges;
    private final Cache<ClientInfo, ClientBinding> bindings;

    ClientGuard(SessionConfig config) {
        this.config = config;
        int perAddress = config.maxUnknownTokensPerMinute();
        this.unknownTokens = new RateLimiter<>(perAddress, config.unknownTokenCooldown(), LIMITER_SUBJECTS);
        this.unknownTokensPer56 = new RateLimiter<>(saturated(perAddress, IPV6_56_FACTOR), config.unknownTokenCooldown(),
                LIMITER_SUBJECTS);
        this.unknownTokensPer48 = new RateLimiter<>(saturated(perAddress, IPV6_48_FACTOR), config.unknownTokenCooldown(),
                LIMITER_SUBJECTS);
        this.unknownTokensTotal = new RateLimiter<>(config.maxUnknownTokensPerMinuteTotal(), RateLimiter.WINDOW, 1);
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

    private static int saturated(int limit, int factor) {
        return (int) Math.min(Integer.MAX_VALUE, (long) limit * factor);
    }

    private static boolean tooLong(String header) {
        return header != null && header.length() > Limits.MAX_CLIENT_HEADER_LENGTH;
    }

    /**
     * Whether lookups of unheld tokens from this address are refused for now (it, one of its networks,
     * or all clients together guessed too many tokens).
     *
     * @param ip the client address, may be null (never throttled)
     * @param now the engine's time
     * @return {@code true} while a subject of the address cools down
     */
    boolean isThrottled(String ip, Instant now) {
        if (ip == null) {
            return false;
        }
        if (unknownTokensTotal.isAnyBlocked(now)) {
            return true;
        }
        boolean address = unknownTokens.isAnyBlocked(now);
        boolean networks = unknownTokensPer56.isAnyBlocked(now) || unknownTokensPer48.isAnyBlocked(now);
        if (!address && !networks) {
            return false; // the common case: a few volatile reads
        }
        String subject = ClientFingerprints.rateLimitSubject(ip);
        if (address && subject != null && unknownTokens.isBlocked(subject, now)) {
            return true;
        }
        String[] nets = networks ? ClientFingerprints.rateLimitNetworks(ip) : new String[0];
        return nets.length == 2 && (unknownTokensPer56.isBlocked(nets[0], now) || unknownTokensPer48.isBlocked(nets[1], now));
    }

    /**
     * Counts a well-formed token the store does not know, under the address, its IPv6 networks and all
     * clients.
     *
     * @param ip the client address, may be null (not counted)
     * @param now the engine's time
     * @return what went over its limit with this token (for one suspicious-activity event), or
     *     {@code null}
     */
    String unknownToken(String ip, Instant now) {
        String subject = ClientFingerprints.rateLimitSubject(ip);
        if (subject == null) {
            return null;
        }
        String cooldown = "; refusing lookups for " + config.unknownTokenCooldown();
        String report = null;
        if (unknownTokens.record(subject, now)) {
            report = "more than " + config.maxUnknownTokensPerMinute() + " unknown session tokens a minute" + cooldown;
        }
        String[] nets = ClientFingerprints.rateLimitNetworks(ip);
        if (nets.length == 2 && unknownTokensPer56.record(nets[0], now) && report == null) {
            report = "more than " + saturated(config.maxUnknownTokensPerMinute(), IPV6_56_FACTOR)
                    + " unknown session tokens a minute from " + nets[0] + cooldown;
        }
        if (nets.length == 2 && unknownTokensPer48.record(nets[1], now) && report == null) {
            report = "more than " + saturated(config.maxUnknownTokensPerMinute(), IPV6_48_FACTOR)
                    + " unknown session tokens a minute from " + nets[1] + cooldown;
        }
        if (unknownTokensTotal.record(ALL_CLIENTS, now) && report == null) {
            report = "more than " + config.maxUnknownTokensPerMinuteTotal() + " unknown session tokens a minute from "
                    + "all clients; refusing lookups of tokens this node does not hold for " + RateLimiter.WINDOW;
        }
        return report;
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
