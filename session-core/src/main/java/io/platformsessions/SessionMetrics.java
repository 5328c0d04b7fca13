package io.platformsessions;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A point-in-time snapshot of the engine's counters (since it started) and of the store's live
 * sessions. Immutable.
 *
 * @param activeSessions sessions not expired, as the store counts them
 * @param sessionsByPlatformType live sessions per platform type ({@code ""} for none)
 * @param created sessions created by this engine
 * @param expired sessions found expired or removed by cleanup
 * @param invalidatedByReason sessions ended on purpose, per reason
 * @param platformSwitches successful platform switches
 * @param cacheHitRate cached copies served divided by cache lookups, 0 when no lookups or the cache is off
 * @param storeErrors store calls that failed (each retry counts)
 * @param averageSessionDuration mean lifetime of sessions this engine saw end, zero if none
 * @param cacheState how the cache serves copies now
 * @param busResets times the change bus said it may have missed announcements, or came back after
 *     being down (each dropped the whole cache)
 * @param cacheBypasses lookups sent to the store because the change bus was not live
 * @param cacheRevalidations cached copies re-read from the store because they were older than
 *     {@link SessionConfig#maxCacheStaleness()}
 */
public record SessionMetrics(long activeSessions, Map<String, Long> sessionsByPlatformType, long created, long expired,
                             Map<InvalidationReason, Long> invalidatedByReason, long platformSwitches,
                             double cacheHitRate, long storeErrors, Duration averageSessionDuration,
                             CacheState cacheState, long busResets, long cacheBypasses, long cacheRevalidations) {

    /** How the engine's cache serves copies, which decides how fast it sees other nodes' changes. */
    public enum CacheState {
        /** No cache: every request reads the store. */
        OFF,
        /** Declared single-node: copies are served until they leave the cache. */
        SINGLE_NODE,
        /** No change bus: a copy is served for at most {@link SessionConfig#maxCacheStaleness()}. */
        BOUNDED_STALENESS,
        /** The change bus is live: copies are served and kept fresh by its announcements. */
        BUS_LIVE,
        /** The change bus is not live: the cache is bypassed, every request reads the store. */
        BUS_DOWN
    }

    /**
     * Copies the maps.
     *
     * @param activeSessions the {@code activeSessions} component
     * @param sessionsByPlatformType the {@code sessionsByPlatformType} component
     * @param created the {@code created} component
     * @param expired the {@code expired} component
     * @param invalidatedByReason the {@code invalidatedByReason} component
     * @param platformSwitches the {@code platformSwitches} component
     * @param cacheHitRate the {@code cacheHitRate} component
     * @param storeErrors the {@code storeErrors} component
     * @param averageSessionDuration the {@code averageSessionDuration} component
     * @param cacheState the {@code cacheState} component
     * @param busResets the {@code busResets} component
     * @param cacheBypasses the {@code cacheBypasses} component
     * @param cacheRevalidations the {@code cacheRevalidations} component
     * @throws NullPointerException if a map, the duration or the state is null
     */
    public SessionMetrics {
        sessionsByPlatformType = Map.copyOf(sessionsByPlatformType);
        invalidatedByReason = Map.copyOf(invalidatedByReason);
        Objects.requireNonNull(averageSessionDuration, "averageSessionDuration");
        Objects.requireNonNull(cacheState, "cacheState");
    }
}
