package io.platformsessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platformsessions.memory.InMemoryPlatformDirectory;
import io.platformsessions.memory.InMemoryUserDirectory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** User and platform checks, and listener fan-out, without an engine. */
class AccountsTest {
    private final Accounts accounts = new Accounts(new InMemoryUserDirectory()
            .put(new UserAccount("alice", "Alice", true)).put(new UserAccount("dave", "Dave", false)),
            new InMemoryPlatformDirectory()
                    .put(new PlatformConnection(1, "alice", "a@m", "mastodon", "https://m", true, true))
                    .put(new PlatformConnection(3, "alice", "a@o", "mastodon", "https://o", false, false))
                    .put(new PlatformConnection(4, "bob", "b@m", "mastodon", "https://m", true, true)));

    @Test
    void onlyKnownActiveUsersGetSessions() {
        assertThat(accounts.requireActiveUser("alice").username()).isEqualTo("Alice");
        assertThatThrownBy(() -> accounts.requireActiveUser("dave")).isInstanceOf(InvalidUserException.class)
                .hasMessageContaining("deactivated");
        assertThatThrownBy(() -> accounts.requireActiveUser("zed")).isInstanceOf(InvalidUserException.class);
        for (String bad : new String[] {null, " ", "u".repeat(Limits.MAX_USER_ID_LENGTH + 1)}) {
            assertThatThrownBy(() -> Accounts.requireUserId(bad)).isInstanceOf(InvalidUserException.class);
        }
    }

    @Test
    void someoneElsesPlatformLooksLikeAnUnknownOne() {
        assertThat(accounts.requireOwnedActivePlatform("alice", 1).id()).isEqualTo(1);
        assertThat(accounts.defaultPlatform("alice").id()).isEqualTo(1);
        assertThat(accounts.defaultPlatform("carol")).isNull();
        for (long id : new long[] {4, 99, 0, -1}) {
            assertThatThrownBy(() -> accounts.requireOwnedActivePlatform("alice", id))
                    .isInstanceOfSatisfying(InvalidPlatformException.class,
                            e -> assertThat(e.reason()).isEqualTo(InvalidPlatformException.Reason.NOT_FOUND));
        }
        assertThatThrownBy(() -> accounts.requireOwnedActivePlatform("alice", 3))
                .isInstanceOfSatisfying(InvalidPlatformException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidPlatformException.Reason.INACTIVE));
    }

    @Test
    void aFailingListenerNeitherFailsTheOperationNorSilencesTheOthers() {
        List<SessionEvent> heard = new CopyOnWriteArrayList<>();
        Listeners listeners = new Listeners(List.of(e -> {
            throw new IllegalStateException("broken listener");
        }, heard::add));
        SessionEvent e = new SessionEvent.Created(TestFixture.START, SessionToken.generate(new java.security.SecureRandom())
                .key(), "sid", "alice", null, null);
        listeners.emit(e);
        assertThat(heard).containsExactly(e);
    }
}
