package io.platformsessions;

import static io.platformsessions.EngineCollaboratorsTestSupport.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.platformsessions.TestStore.Phase;
import io.platformsessions.spi.SessionRecord;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How sessions end, without an engine. */
class TerminationTest {
    private final EngineCollaboratorsTestSupport s = new EngineCollaboratorsTestSupport(SessionConfig.builder());

    @Test
    void anEndedSessionIsDeletedForgottenCountedAndReported() {
        SessionRecord r = s.stored("alice", T0);
        assertThat(s.termination.end(r, InvalidationReason.LOGOUT, T0.plusSeconds(30))).isTrue();
        assertThat(s.memory.find(r.key())).isEmpty();
        s.cache.loaded(r, s.cache.ticket(), T0);
        assertThat(s.cache.get(r.key(), T0)).as("never cached again").isNull();
        assertThat(s.events).singleElement().isInstanceOfSatisfying(SessionEvent.Invalidated.class,
                e -> assertThat(e.reason()).isEqualTo(InvalidationReason.LOGOUT));
        assertThat(s.metrics().invalidatedByReason()).containsEntry(InvalidationReason.LOGOUT, 1L);
        assertThat(s.metrics().averageSessionDuration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.termination.end(r, InvalidationReason.LOGOUT, T0)).as("already gone: not reported twice").isFalse();
        assertThat(s.events).hasSize(1);
    }

    @Test
    void anExpiredSessionIsReportedEvenWhenTheStoreCannotDeleteIt() {
        SessionRecord r = s.stored("alice", T0);
        s.store.hook("delete", Phase.BEFORE, () -> {
            throw new IllegalStateException("down");
        });
        s.termination.expire(r, T0.plus(Duration.ofMinutes(30)));
        assertThat(s.events).singleElement().isInstanceOfSatisfying(SessionEvent.Expired.class,
                e -> assertThat(e.reason()).isEqualTo(InvalidationReason.IDLE_TIMEOUT));
        assertThat(s.metrics().expired()).isEqualTo(1);
        assertThat(s.metrics().storeErrors()).isEqualTo(1);
    }

    @Test
    void loggingOutEverywhereReadsAgainUntilNoneIsLeftButTheKeptOne() {
        SessionRecord keep = s.stored("alice", T0);
        s.stored("alice", T0);
        s.store.hook("findByUser", Phase.AFTER, () -> s.stored("alice", T0)); // a login during the first pass
        assertThat(s.termination.endAllOf("alice", keep.key(), InvalidationReason.LOGOUT_OTHERS, T0)).isEqualTo(2);
        assertThat(s.memory.findByUser("alice")).containsExactly(keep);
    }

    @Test
    void cleanupDeletesInBatchesUntilNoneIsLeft() {
        for (int i = 0; i < 5; i++) {
            s.stored("alice", T0);
        }
        SessionRecord live = s.stored("bob", T0.plus(Duration.ofMinutes(20)));
        assertThat(s.termination.deleteExpired(T0.plus(Duration.ofMinutes(30)), 2)).isEqualTo(5);
        assertThat(s.store.calls("deleteExpired")).as("2 + 2 + 1").isEqualTo(3);
        assertThat(s.memory.findByUser("bob")).containsExactly(live);
        assertThat(s.metrics().expired()).isEqualTo(5);
    }
}
