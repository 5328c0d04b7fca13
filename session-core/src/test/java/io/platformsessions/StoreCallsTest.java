package io.platformsessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.platformsessions.spi.SessionStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The failure rules of store calls, on their own. Mocks: a real store cannot fail on cue. */
class StoreCallsTest {
    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
    private final SessionStore store = mock(SessionStore.class);
    private final EngineCounters counters = new EngineCounters();
    private final SessionKey key = SessionToken.generate(new SecureRandom()).key();

    private StoreCalls calls(int attempts) {
        return new StoreCalls(store, new RetryPolicy(attempts, Duration.ZERO, Duration.ZERO), counters);
    }

    private long errors() {
        return counters.snapshot(Map.of(), SessionMetrics.CacheState.OFF).storeErrors();
    }

    @Test
    void readsAreRetriedWhileTransientAndEveryAttemptCounts() {
        when(store.find(key)).thenThrow(SessionStoreException.transientFailure("blip", null))
                .thenReturn(Optional.empty());
        assertThat(calls(3).find(key)).isEmpty();
        verify(store, times(2)).find(key);
        assertThat(errors()).isEqualTo(1);
    }

    @Test
    void readsStopAtTheLimitAndOnPermanentFailures() {
        when(store.find(key)).thenThrow(SessionStoreException.transientFailure("down", null));
        assertThatThrownBy(() -> calls(3).find(key)).isInstanceOf(SessionStoreException.class);
        verify(store, times(3)).find(key);
        when(store.findByUser("alice")).thenThrow(SessionStoreException.permanentFailure("corrupt", null));
        assertThatThrownBy(() -> calls(3).findByUser("alice")).isInstanceOf(SessionStoreException.class);
        verify(store, times(1)).findByUser("alice");
        assertThat(errors()).isEqualTo(4);
    }

    @Test
    void writesAreNeverRepeated() {
        when(store.update(any(), anyLong())).thenThrow(SessionStoreException.transientFailure("timeout", null));
        assertThatThrownBy(() -> calls(5).update(null, 1)).isInstanceOf(SessionStoreException.class);
        verify(store, times(1)).update(any(), anyLong());
        assertThat(errors()).isEqualTo(1);
    }

    @Test
    void unexpectedExceptionsBecomeStoreErrorsButRefusedInputStaysBadInput() {
        when(store.findByUser("alice")).thenThrow(new IllegalStateException("driver bug"));
        assertThatThrownBy(() -> calls(3).findByUser("alice")).isInstanceOf(SessionStoreException.class)
                .hasRootCauseInstanceOf(IllegalStateException.class)
                .satisfies(e -> assertThat(((SessionStoreException) e).isTransient()).isFalse());
        verify(store, times(1)).findByUser("alice");
        doThrow(new IllegalArgumentException("longer than the column")).when(store).insert(any());
        when(store.insertAndCountLive(any(), any())).thenThrow(new IllegalArgumentException("longer than the column"));
        assertThatThrownBy(() -> calls(3).insertAndCountLive(null, T0)).isExactlyInstanceOf(IllegalArgumentException.class);
        assertThat(errors()).isEqualTo(1);
    }

    @Test
    void aFailedTouchIsSkippedCountedAndPausesTouches() {
        StoreCalls calls = calls(3);
        when(store.touch(any(), any(), any())).thenThrow(new IllegalStateException("down")).thenReturn(true, false);
        assertThat(calls.touch(key, T0, T0.plusSeconds(1800))).isEqualTo(StoreCalls.Touch.SKIPPED);
        assertThat(errors()).isEqualTo(1);
        long pausedUntil = T0.plus(StoreCalls.TOUCH_PAUSE_AFTER_FAILURE).toEpochMilli();
        assertThat(calls.touchesPaused(pausedUntil - 1)).isTrue();
        assertThat(calls.touchesPaused(pausedUntil)).isFalse();
        assertThat(calls.touch(key, T0, T0)).isEqualTo(StoreCalls.Touch.MOVED);
        assertThat(calls.touch(key, T0, T0)).isEqualTo(StoreCalls.Touch.UNCHANGED);
    }

    @Test
    void deletingAnExpiredSessionNeverThrows() {
        when(store.delete(any(), any(), any())).thenThrow(SessionStoreException.transientFailure("down", null));
        calls(3).deleteExpiredSession(key, InvalidationReason.IDLE_TIMEOUT, T0);
        verify(store, times(1)).delete(key, InvalidationReason.IDLE_TIMEOUT, T0);
        assertThat(errors()).isEqualTo(1);
        when(store.countActiveByPlatformType(T0)).thenReturn(Map.of("", 1L));
        when(store.findByUser("bob")).thenReturn(List.of());
        assertThat(calls(1).countActiveByPlatformType(T0)).containsEntry("", 1L);
        assertThat(calls(1).findByUser("bob")).isEmpty();
    }
}
