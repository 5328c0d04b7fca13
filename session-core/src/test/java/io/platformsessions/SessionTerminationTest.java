package io.platformsessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platformsessions.memory.InMemorySessionStore;
import io.platformsessions.memory.InMemoryUserDirectory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** ASVS 7.4.2 / 7.2.2: disabling an account ends its sessions; only tokens the server issued are accepted. */
@Tag("security")
class SessionTerminationTest {

    @Test
    void disablingAUserEndsAllTheirSessionsAndRefusesNewOnes() {
        InMemoryUserDirectory users = new InMemoryUserDirectory()
                .put(new UserAccount("alice", "Alice", true)).put(new UserAccount("bob", "Bob", true));
        TestFixture f = new TestFixture();
        SessionManager m = SessionManager.builder(new InMemorySessionStore()).config(f.config).userDirectory(users)
                .platformDirectory(f.platforms).listener(f.events::add).build();
        CreatedSession a1 = m.create("alice", TestFixture.HOME);
        CreatedSession a2 = m.create("alice", TestFixture.HOME);
        CreatedSession b = m.create("bob", TestFixture.HOME);

        users.put(new UserAccount("alice", "Alice", false));
        assertThat(m.invalidateAll("alice", InvalidationReason.USER_DISABLED)).isEqualTo(2);

        assertThat(m.lookup(a1.token().value(), TestFixture.HOME).status()).isEqualTo(SessionLookup.Status.NOT_FOUND);
        assertThat(m.lookup(a2.token().value(), TestFixture.HOME).status()).isEqualTo(SessionLookup.Status.NOT_FOUND);
        assertThat(m.lookup(b.token().value(), TestFixture.HOME).status()).isEqualTo(SessionLookup.Status.ACTIVE);
        assertThat(f.events(SessionEvent.Invalidated.class)).hasSize(2)
                .allSatisfy(e -> assertThat(e.reason()).isEqualTo(InvalidationReason.USER_DISABLED));
        assertThatThrownBy(() -> m.create("alice", TestFixture.HOME)).isInstanceOf(InvalidUserException.class)
                .hasMessageContaining("deactivated");
    }

    @Test
    void aTokenTheServerDidNotIssueIsNeverAccepted() {
        TestFixture f = new TestFixture();
        String planted = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        assertThat(f.manager.lookup(planted, TestFixture.HOME).status()).isEqualTo(SessionLookup.Status.NOT_FOUND);
        // logging in never adopts a presented token: create always issues a fresh one (no session fixation)
        CreatedSession s = f.manager.create("alice", TestFixture.HOME);
        assertThat(s.token().value()).isNotEqualTo(planted);
        assertThat(f.manager.lookup(planted, TestFixture.HOME).status()).isEqualTo(SessionLookup.Status.NOT_FOUND);
    }
}
