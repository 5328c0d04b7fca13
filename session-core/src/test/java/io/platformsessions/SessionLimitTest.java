package io.platformsessions;

import static io.platformsessions.EngineCollaboratorsTestSupport.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platformsessions.spi.SessionRecord;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The per-user session limit, without an engine. */
class SessionLimitTest {

    @Test
    void underRefuseTheNewSessionIsDeletedAgain() {
        EngineCollaboratorsTestSupport s = new EngineCollaboratorsTestSupport(SessionConfig.builder().maxSessionsPerUser(2)
                .limitPolicy(SessionConfig.LimitPolicy.REFUSE));
        s.limit.insert(s.session("alice", T0), T0);
        s.limit.insert(s.session("alice", T0), T0);
        SessionRecord third = s.session("alice", T0);
        assertThatThrownBy(() -> s.limit.insert(third, T0)).isInstanceOf(SessionLimitException.class);
        assertThat(s.memory.findByUser("alice")).hasSize(2).doesNotContain(third);
        s.limit.insert(s.session("bob", T0), T0);
        assertThat(s.memory.findByUser("bob")).as("per user").hasSize(1);
    }

    @Test
    void underEvictionTheLeastRecentlyUsedOthersEnd() {
        EngineCollaboratorsTestSupport s = new EngineCollaboratorsTestSupport(SessionConfig.builder().maxSessionsPerUser(2));
        SessionRecord oldest = s.session("alice", T0);
        s.limit.insert(oldest, T0);
        SessionRecord middle = s.session("alice", T0.plus(Duration.ofMinutes(1)));
        s.limit.insert(middle, T0);
        SessionRecord newest = s.session("alice", T0.plus(Duration.ofMinutes(2)));
        s.limit.insert(newest, T0.plus(Duration.ofMinutes(2)));
        assertThat(s.memory.findByUser("alice")).containsExactlyInAnyOrder(middle, newest);
        assertThat(s.events).singleElement().isInstanceOfSatisfying(SessionEvent.Invalidated.class,
                e -> assertThat(e.key()).isEqualTo(oldest.key()));
    }

    @Test
    void expiredSessionsDoNotCount() {
        EngineCollaboratorsTestSupport s = new EngineCollaboratorsTestSupport(SessionConfig.builder().maxSessionsPerUser(1)
                .limitPolicy(SessionConfig.LimitPolicy.REFUSE));
        s.limit.insert(s.session("alice", T0), T0);
        Instant later = T0.plus(Duration.ofMinutes(31));
        s.limit.insert(s.session("alice", later), later);
        assertThat(s.memory.findByUser("alice")).hasSize(2);
    }
}
