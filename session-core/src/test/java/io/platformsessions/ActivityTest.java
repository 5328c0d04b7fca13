package io.platformsessions;

import static io.platformsessions.EngineCollaboratorsTestSupport.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.platformsessions.spi.SessionRecord;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** When activity is written, without an engine. */
class ActivityTest {
    private final EngineCollaboratorsTestSupport s = new EngineCollaboratorsTestSupport(SessionConfig.builder()
            .singleNode(true));

    @Test
    void writesCarryActivityOnlyOncePerTouchInterval() {
        SessionRecord r = s.session("alice", T0);
        assertThat(s.activity.inWrite(r, T0.plusSeconds(59))).isSameAs(r);
        SessionRecord moved = s.activity.inWrite(r, T0.plusSeconds(60));
        assertThat(moved.lastActivityAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(moved.expiresAt()).isEqualTo(T0.plusSeconds(60).plus(Duration.ofMinutes(30)));
    }

    @Test
    void readsTouchTheStoreWhenDueAndRefreshTheCachedCopy() {
        SessionRecord r = s.stored("alice", T0);
        assertThat(s.activity.onRead(r, T0.plusSeconds(59))).isSameAs(r);
        assertThat(s.store.calls("touch")).isZero();
        SessionRecord touched = s.activity.onRead(r, T0.plusSeconds(61));
        assertThat(touched.lastActivityAt()).isEqualTo(T0.plusSeconds(61));
        assertThat(s.memory.find(r.key()).orElseThrow().lastActivityAt()).isEqualTo(T0.plusSeconds(61));
        assertThat(s.cache.get(r.key(), T0.plusSeconds(61))).isEqualTo(touched);
    }

    @Test
    void aTouchThatMovesNothingTellsAGoneSessionFromOneTouchedElsewhere() {
        SessionRecord gone = s.stored("alice", T0);
        s.memory.delete(gone.key(), InvalidationReason.LOGOUT, T0);
        assertThat(s.activity.onRead(gone, T0.plusSeconds(61))).isNull();
        assertThat(s.cache.get(gone.key(), T0.plusSeconds(61))).isNull();

        SessionRecord elsewhere = s.stored("bob", T0);
        s.memory.touch(elsewhere.key(), T0.plusSeconds(90), T0.plusSeconds(90).plus(Duration.ofMinutes(30)));
        assertThat(s.activity.onRead(elsewhere, T0.plusSeconds(61)).lastActivityAt()).as("the stored, later times")
                .isEqualTo(T0.plusSeconds(90));
    }

    @Test
    void aFailedTouchKeepsTheSessionAndPausesFurtherTouches() {
        SessionRecord r = s.stored("alice", T0);
        s.store.touchFailure = new IllegalStateException("down");
        assertThat(s.activity.onRead(r, T0.plusSeconds(61))).isSameAs(r);
        s.store.touchFailure = null;
        assertThat(s.activity.onRead(r, T0.plusSeconds(62))).as("paused").isSameAs(r);
        assertThat(s.store.calls("touch")).isEqualTo(1);
        assertThat(s.activity.onRead(r, T0.plusSeconds(66)).lastActivityAt()).isEqualTo(T0.plusSeconds(66));
    }
}
