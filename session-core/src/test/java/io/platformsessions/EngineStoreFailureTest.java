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

import io.platformsessions.spi.SessionOwner;
import io.platformsessions.spi.SessionRecord;
import io.platformsessions.spi.SessionTimes;
import io.platformsessions.spi.SessionStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A store that fails must surface as SessionStoreException, never as "no session". Mocks: a real store can't fail on cue. */
class EngineStoreFailureTest {
    private final SessionStore failing = mock(SessionStore.class);
    private final TestFixture f = TestFixture.builder().config(c -> c.cacheEnabled(false)).store(failing).build();
    private final String token = SessionToken.generate(new java.security.SecureRandom()).value();

    @Test
    void failingReadIsAStoreErrorNotAnAbsentSession() {
        when(failing.find(any())).thenThrow(SessionStoreException.transientFailure("db down", null));
        assertThatThrownBy(() -> f.manager.resolve(token, ClientInfo.unknown())).isInstanceOf(SessionStoreException.class);
        assertThatThrownBy(() -> f.manager.lookup(token, ClientInfo.unknown())).isInstanceOf(SessionStoreException.class);
        assertThatThrownBy(() -> f.manager.peek(SessionToken.parse(token).key())).isInstanceOf(SessionStoreException.class);
        assertThatThrownBy(() -> f.manager.validate(token, "alice", ClientInfo.unknown())).isInstanceOf(SessionStoreException.class);
    }

    @Test
    void unexpectedRuntimeExceptionsAreWrapped() {
        when(failing.findByUser("alice")).thenThrow(new IllegalStateException("driver bug"));
        assertThatThrownBy(() -> f.manager.activeSessions("alice")).isInstanceOf(SessionStoreException.class)
                .hasRootCauseInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> f.manager.create("alice", ClientInfo.unknown())).isInstanceOf(SessionStoreException.class);
        assertThat(f.manager.metrics().storeErrors()).isPositive();
    }

    @Test
    void storeRefusingInputIsBadInputNotAnOutage() {
        when(failing.findByUser("alice")).thenReturn(java.util.List.of());
        doThrow(new IllegalArgumentException("username longer than the column")).when(failing).insert(any());
        assertThatThrownBy(() -> f.manager.create("alice", ClientInfo.unknown()))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("column");
        assertThat(f.manager.metrics().storeErrors()).isZero();
    }

    @Test
    void failingWriteIsReportedAndNotRetried() {
        when(failing.findByUser("alice")).thenReturn(java.util.List.of());
        doThrow(SessionStoreException.transientFailure("db down", null)).when(failing).insert(any());
        assertThatThrownBy(() -> f.manager.create("alice", ClientInfo.unknown())).isInstanceOf(SessionStoreException.class);
        verify(failing, times(1)).insert(any());
    }

    @Test
    void transientReadsAreRetriedWithinThePolicy() {
        TestFixture g = TestFixture.builder().config(c -> c.cacheEnabled(false)
                .retryPolicy(new RetryPolicy(3, Duration.ZERO, Duration.ZERO))).store(failing).build();
        SessionRecord live = record(g.clock.instant());
        when(failing.find(any()))
                .thenThrow(SessionStoreException.transientFailure("blip", null))
                .thenThrow(SessionStoreException.transientFailure("blip", null))
                .thenReturn(Optional.of(live));
        assertThat(g.manager.peek(live.key())).isPresent();
        verify(failing, times(3)).find(any());
    }

    @Test
    void permanentFailuresAreNotRetried() {
        TestFixture g = TestFixture.builder().config(c -> c.cacheEnabled(false)
                .retryPolicy(new RetryPolicy(5, Duration.ZERO, Duration.ZERO))).store(failing).build();
        when(failing.find(any())).thenThrow(SessionStoreException.permanentFailure("corrupt row", null));
        assertThatThrownBy(() -> g.manager.resolve(token, ClientInfo.unknown())).isInstanceOf(SessionStoreException.class);
        verify(failing, times(1)).find(any());
    }

    @Test
    void retriesStopAfterMaxAttempts() {
        TestFixture g = TestFixture.builder().config(c -> c.cacheEnabled(false)
                .retryPolicy(new RetryPolicy(3, Duration.ZERO, Duration.ZERO))).store(failing).build();
        when(failing.find(any())).thenThrow(SessionStoreException.transientFailure("down", null));
        assertThatThrownBy(() -> g.manager.resolve(token, ClientInfo.unknown())).isInstanceOf(SessionStoreException.class);
        verify(failing, times(3)).find(any());
    }

    @Test
    void failedTouchKeepsTheSessionUsable() {
        TestFixture g = TestFixture.builder().config(c -> c.cacheEnabled(false)).store(failing).build();
        SessionRecord live = record(g.clock.instant().minusSeconds(120));
        when(failing.find(any())).thenReturn(Optional.of(live));
        doThrow(SessionStoreException.transientFailure("db down", null)).when(failing).touch(any(), any(), any());
        assertThat(g.manager.peek(live.key())).isPresent();
        assertThat(g.manager.lookup(tokenFor(), ClientInfo.unknown()).status()).isEqualTo(SessionLookup.Status.ACTIVE);
    }

    @Test
    void failedCompareAndSetWriteIsNotRepeated() {
        TestFixture g = TestFixture.builder().config(c -> c.cacheEnabled(false)).store(failing).build();
        SessionRecord live = record(g.clock.instant());
        when(failing.find(any())).thenReturn(Optional.of(live));
        when(failing.update(any(), anyLong())).thenThrow(SessionStoreException.transientFailure("timeout", null));
        assertThatThrownBy(() -> g.manager.switchPlatform(live.key(), 2)).isInstanceOf(SessionStoreException.class);
        verify(failing, times(1)).update(any(), anyLong());
    }

    private String tokenFor() {
        return token;
    }

    private SessionRecord record(Instant lastActivity) {
        return SessionRecord.builder().key(SessionToken.parse(token).key()).sessionId("sid")
                .owner(new SessionOwner("alice", "Alice"))
                .times(new SessionTimes(lastActivity, lastActivity, lastActivity.plus(Duration.ofMinutes(30)),
                        lastActivity.plus(Duration.ofHours(12))))
                .version(1).csrfSecret("c2VjcmV0").build();
    }
}
