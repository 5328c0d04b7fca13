package io.platformsessions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The engine's counters, on their own. */
class EngineCountersTest {
    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

    @Test
    void aSnapshotSumsEveryCounterAndTheStoresLiveCounts() {
        EngineCounters c = new EngineCounters();
        c.created();
        c.created();
        c.expired(3);
        c.switched();
        c.storeError();
        c.invalidated(InvalidationReason.LOGOUT);
        c.invalidated(InvalidationReason.LOGOUT);
        c.invalidated(InvalidationReason.ADMIN);
        c.sessionEnded(T0, T0.plusSeconds(10));
        c.sessionEnded(T0, T0.plusSeconds(30));
        c.sessionEnded(T0, T0.minusSeconds(5)); // clock went back: counts as zero, never negative
        SessionMetrics m = c.snapshot(Map.of("mastodon", 2L, "", 1L), SessionMetrics.CacheState.OFF);
        assertThat(m.activeSessions()).isEqualTo(3);
        assertThat(m.sessionsByPlatformType()).containsEntry("mastodon", 2L).containsEntry("", 1L);
        assertThat(m.created()).isEqualTo(2);
        assertThat(m.expired()).isEqualTo(3);
        assertThat(m.platformSwitches()).isEqualTo(1);
        assertThat(m.storeErrors()).isEqualTo(1);
        assertThat(m.invalidatedByReason()).containsEntry(InvalidationReason.LOGOUT, 2L)
                .containsEntry(InvalidationReason.ADMIN, 1L).containsEntry(InvalidationReason.IDLE_TIMEOUT, 0L);
        assertThat(m.averageSessionDuration()).isEqualTo(Duration.ofMillis(40_000 / 3));
    }

    @Test
    void hitRateIsHitsOverLookupsAndZeroWithoutLookups() {
        EngineCounters c = new EngineCounters();
        assertThat(c.snapshot(Map.of(), SessionMetrics.CacheState.OFF).cacheHitRate()).isZero();
        assertThat(c.snapshot(Map.of(), SessionMetrics.CacheState.OFF).averageSessionDuration()).isEqualTo(Duration.ZERO);
        c.cacheLookup(true);
        c.cacheLookup(true);
        c.cacheLookup(true);
        c.cacheLookup(false);
        assertThat(c.snapshot(Map.of(), SessionMetrics.CacheState.OFF).cacheHitRate()).isEqualTo(0.75);
    }
}
