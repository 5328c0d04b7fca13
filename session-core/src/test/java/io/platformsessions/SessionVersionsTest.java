package io.platformsessions;

import static io.platformsessions.EngineCollaboratorsTestSupport.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platformsessions.TestStore.Phase;
import io.platformsessions.spi.SessionRecord;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Reading the live version and compare-and-set writes, without an engine. */
class SessionVersionsTest {
    private final EngineCollaboratorsTestSupport s = new EngineCollaboratorsTestSupport(SessionConfig.builder());

    @Test
    void aLostCompareAndSetIsReadAgainAndReapplied() {
        SessionRecord r = s.stored("alice", T0);
        s.store.hook("update", Phase.BEFORE, () -> s.memory.update(r.withAttributes(r.attributes()).withVersion(2), 1));
        AtomicInteger applied = new AtomicInteger();
        SessionRecord next = s.versions.update(r.key(), null, c -> {
            applied.incrementAndGet();
            return c;
        });
        assertThat(next.version()).isEqualTo(3);
        assertThat(applied).hasValue(2);
        assertThat(s.store.calls("update")).isEqualTo(2);
        assertThat(s.cache.get(r.key(), T0)).isEqualTo(next);
    }

    @Test
    void aWriterThatKeepsLosingGivesUp() {
        SessionRecord r = s.stored("alice", T0);
        for (int i = 0; i < SessionVersions.MAX_ATTEMPTS; i++) {
            s.store.hook("update", Phase.BEFORE, () -> {
                SessionRecord now = s.memory.find(r.key()).orElseThrow();
                s.memory.update(now.withVersion(now.version() + 1), now.version());
            });
        }
        assertThatThrownBy(() -> s.versions.update(r.key(), null, c -> c))
                .isInstanceOf(ConcurrentSessionUpdateException.class);
        assertThat(s.store.calls("update")).isEqualTo(SessionVersions.MAX_ATTEMPTS);
    }

    @Test
    void rekeyMovesTheSessionAndRetiresTheOldKey() {
        SessionRecord r = s.stored("alice", T0);
        SessionKey newKey = s.session("alice", T0).key();
        SessionRecord next = s.versions.rekey(r.key(), c -> c.toBuilder().key(newKey).build());
        assertThat(next.key()).isEqualTo(newKey);
        assertThat(next.version()).isEqualTo(2);
        assertThat(s.memory.find(r.key())).isEmpty();
        assertThat(s.versions.loadLive(r.key(), T0)).isNull();
        assertThat(s.versions.loadLive(newKey, T0)).isEqualTo(next);
    }

    @Test
    void missingAndExpiredSessionsAreNotLive() {
        SessionRecord gone = s.session("alice", T0);
        assertThat(s.versions.loadLive(gone.key(), T0)).isNull();
        assertThatThrownBy(() -> s.versions.update(gone.key(), null, c -> c)).isInstanceOf(SessionNotFoundException.class);
        SessionRecord idle = s.stored("bob", T0);
        assertThat(s.versions.loadLive(idle.key(), T0.plus(Duration.ofMinutes(30)))).isNull();
        assertThat(s.events).singleElement().isInstanceOf(SessionEvent.Expired.class);
        assertThat(s.memory.find(idle.key())).as("removed").isEmpty();
    }
}
