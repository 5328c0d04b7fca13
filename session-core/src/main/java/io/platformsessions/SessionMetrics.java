package io.platformsessions;

import java.time.Duration;
import java.util.Map;

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
 * @param cacheHitRate cache hits divided by lookups, 0 when no lookups or the cache is off
 * @param storeErrors store calls that failed (each retry counts)
 * @param averageSessionDuration mean lifetime of sessions this engine saw end, zero if none
 */
public record SessionMetrics(long activeSessions, Map<String, Long> sessionsByPlatformType, long created, long expired,
                             Map<InvalidationReason, Long> invalidatedByReason, long platformSwitches,
                             double cacheHitRate, long storeErrors, Duration averageSessionDuration) {
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
     */
    public SessionMetrics {
        sessionsByPlatformType = Map.copyOf(sessionsByPlatformType);
        invalidatedByReason = Map.copyOf(invalidatedByReason);
    }
}
