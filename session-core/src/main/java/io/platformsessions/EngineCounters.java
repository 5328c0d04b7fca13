package io.platformsessions;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The engine's counters since it started, turned into {@link SessionMetrics} on demand. Counting is
 * a {@link LongAdder} increment, so it costs next to nothing on the request path. Thread-safe.
 */
final class EngineCounters {
    private final LongAdder created = new LongAdder();
    private final LongAdder expired = new LongAdder();
    private final LongAdder switches = new LongAdder();
    private final LongAdder cacheHits = new LongAdder();
    private final LongAdder cacheMisses = new LongAdder(); // lookups = hits + misses: one increment per lookup
    private final LongAdder storeErrors = new LongAdder();
    private final LongAdder endedCount = new LongAdder();
    private final LongAdder endedMillis = new LongAdder();
    private final LongAdder busResets = new LongAdder();
    private final LongAdder cacheBypasses = new LongAdder();
    private final LongAdder cacheRevalidations = new LongAdder();
    private final Map<InvalidationReason, LongAdder> invalidated = new EnumMap<>(InvalidationReason.class);

    EngineCounters() {
        for (InvalidationReason r : InvalidationReason.values()) {
            invalidated.put(r, new LongAdder());
        }
    }

    /** A session was created. */
    void created() {
        created.increment();
    }

    /**
     * Sessions were found expired or removed by cleanup.
     *
     * @param n how many
     */
    void expired(long n) {
        expired.add(n);
    }

    /** A platform switch succeeded. */
    void switched() {
        switches.increment();
    }

    /**
     * The cache was asked for a session.
     *
     * @param hit whether it served a copy
     */
    void cacheLookup(boolean hit) {
        (hit ? cacheHits : cacheMisses).increment();
    }

    /** The change bus reset the cache. */
    void busReset() {
        busResets.increment();
    }

    /** A lookup went to the store because the change bus was not live. */
    void cacheBypass() {
        cacheBypasses.increment();
    }

    /** A cached copy was re-read because it was older than the staleness bound. */
    void cacheRevalidation() {
        cacheRevalidations.increment();
    }

    /** A store call failed (each attempt counts). */
    void storeError() {
        storeErrors.increment();
    }

    /**
     * A session was ended on purpose.
     *
     * @param reason why
     */
    void invalidated(InvalidationReason reason) {
        invalidated.get(reason).increment();
    }

    /**
     * A session this engine saw end lived from {@code createdAt} to {@code endedAt}.
     *
     * @param createdAt when it started
     * @param endedAt when it ended
     */
    void sessionEnded(Instant createdAt, Instant endedAt) {
        endedCount.increment();
        endedMillis.add(Math.max(0, Duration.between(createdAt, endedAt).toMillis()));
    }

    /**
     * The counters with the store's live counts.
     *
     * @param activeByPlatformType live sessions per platform type, as the store counts them
     * @param cacheState the cache's state now
     * @return the snapshot
     */
    SessionMetrics snapshot(Map<String, Long> activeByPlatformType, SessionMetrics.CacheState cacheState) {
        long active = activeByPlatformType.values().stream().mapToLong(Long::longValue).sum();
        Map<InvalidationReason, Long> byReason = new EnumMap<>(InvalidationReason.class);
        invalidated.forEach((k, v) -> byReason.put(k, v.sum()));
        long hits = cacheHits.sum();
        long lookups = hits + cacheMisses.sum();
        long ended = endedCount.sum();
        return new SessionMetrics(active, activeByPlatformType, created.sum(), expired.sum(), byReason, switches.sum(),
                lookups == 0 ? 0.0 : (double) hits / lookups, storeErrors.sum(),
                ended == 0 ? Duration.ZERO : Duration.ofMillis(endedMillis.sum() / ended), cacheState, busResets.sum(),
                cacheBypasses.sum(), cacheRevalidations.sum());
    }
}
