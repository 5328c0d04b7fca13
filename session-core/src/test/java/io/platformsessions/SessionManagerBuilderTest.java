package io.platformsessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platformsessions.memory.InMemorySessionStore;
import org.junit.jupiter.api.Test;

/** SessionManager.Builder: nested, null rejected in the setter, build() repeatable. */
class SessionManagerBuilderTest {
    @Test
    void nullIsRejectedByTheSetterNamingTheArgument() {
        assertThatThrownBy(() -> SessionManager.builder(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("store");
        SessionManager.Builder b = SessionManager.builder(new InMemorySessionStore());
        assertThatThrownBy(() -> b.config(null)).isInstanceOf(NullPointerException.class).hasMessage("config");
        assertThatThrownBy(() -> b.userDirectory(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("userDirectory");
        assertThatThrownBy(() -> b.platformDirectory(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("platformDirectory");
        assertThatThrownBy(() -> b.listener(null)).isInstanceOf(NullPointerException.class).hasMessage("listener");
        assertThatThrownBy(() -> b.changeBus(null)).isInstanceOf(NullPointerException.class).hasMessage("changeBus");
    }

    @Test
    void oneBuilderBuildsIndependentManagers() {
        SessionManager.Builder b = SessionManager.builder(new InMemorySessionStore());
        try (SessionManager first = b.build(); SessionManager second = b.build()) {
            assertThat(first).isNotSameAs(second);
            CreatedSession s = first.create("alice", ClientInfo.unknown());
            assertThat(second.peek(s.context().key())).as("same store").isPresent();
        }
    }
}
