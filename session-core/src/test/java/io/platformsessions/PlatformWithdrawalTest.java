package io.platformsessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platformsessions.SessionEvent.SwitchReason;
import io.platformsessions.TestStore.Phase;
import io.platformsessions.memory.InProcessSessionChangeBus;
import io.platformsessions.spi.PlatformDirectory;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A platform connection that is deactivated, deleted or given to another user: the sessions on it move
 * to the user's active default connection, or to no platform, with one PlatformSwitched event each; the
 * directory that changed the connection triggers it; racing switches and creations cannot keep it; other
 * nodes see the move.
 */
@Tag("security")
class PlatformWithdrawalTest {
    private static final PlatformConnection MASTODON =
            new PlatformConnection(1, "alice", "alice@mastodon.social", "mastodon", "https://mastodon.social", true, true);
    private static final PlatformConnection PIXELFED =
            new PlatformConnection(2, "alice", "alice@pixelfed.social", "pixelfed", "https://pixelfed.social", true, false);

    private static PlatformConnection inactive(PlatformConnection c) {
        return new PlatformConnection(c.id(), c.userId(), c.name(), c.type(), c.instanceUrl(), false, c.defaultPlatform());
    }

    private static Optional<Long> platformOf(SessionManager m, SessionKey key) {
        return m.peek(key).orElseThrow().platform().map(ActivePlatform::id);
    }

    @Test
    void deactivatingAConnectionMovesItsSessionsToTheUsersDefault() {
        TestFixture f = new TestFixture();
        SessionKey onPixelfed = f.manager.create("alice", 2, TestFixture.HOME).context().key();
        SessionKey alsoOnPixelfed = f.manager.create("alice", 2, TestFixture.HOME).context().key();
        SessionKey onMastodon = f.manager.create("alice", 1, TestFixture.HOME).context().key();
        SessionKey bobs = f.manager.create("bob", 4, TestFixture.HOME).context().key();
        long versionBefore = f.manager.peek(onMastodon).orElseThrow().version();
        f.events.clear();

        f.platforms.put(inactive(PIXELFED));

        assertThat(platformOf(f.manager, onPixelfed)).contains(1L);
        assertThat(platformOf(f.manager, alsoOnPixelfed)).contains(1L);
        assertThat(f.manager.peek(onMastodon).orElseThrow().version()).as("untouched").isEqualTo(versionBefore);
        assertThat(platformOf(f.manager, bobs)).contains(4L);
        List<SessionEvent.PlatformSwitched> switched = f.events(SessionEvent.PlatformSwitched.class);
        assertThat(switched).hasSize(2).allSatisfy(e -> {
            assertThat(e.reason()).isEqualTo(SwitchReason.PLATFORM_DEACTIVATED);
            assertThat(e.from().id()).isEqualTo(2);
            assertThat(e.to().id()).isEqualTo(1);
            assertThat(e.userId()).isEqualTo("alice");
        });
        assertThat(switched).extracting(SessionEvent::key).containsExactlyInAnyOrder(onPixelfed, alsoOnPixelfed);
        assertThat(f.events(SessionEvent.Invalidated.class)).as("nobody is logged out").isEmpty();
        assertThat(f.manager.metrics().platformSwitches()).isEqualTo(2);
    }

    @Test
    void withoutAnActiveDefaultTheSessionsMoveToNoPlatform() {
        TestFixture f = new TestFixture();
        SessionKey onDefault = f.manager.create("alice", TestFixture.HOME).context().key();
        assertThat(platformOf(f.manager, onDefault)).contains(1L);

        f.platforms.put(inactive(MASTODON)); // the default itself: no active default is left

        assertThat(platformOf(f.manager, onDefault)).isEmpty();
        assertThat(f.events(SessionEvent.PlatformSwitched.class)).singleElement().satisfies(e -> {
            assertThat(e.to()).isNull();
            assertThat(e.from().id()).isEqualTo(1);
            assertThat(e.reason()).isEqualTo(SwitchReason.PLATFORM_DEACTIVATED);
        });
        assertThat(f.manager.create("alice", TestFixture.HOME).context().platform()).as("like a new login").isEmpty();
    }

    @Test
    void deletingAConnectionOrGivingItToAnotherUserMovesItsSessionsWithReasonRemoved() {
        TestFixture f = new TestFixture();
        SessionKey onPixelfed = f.manager.create("alice", 2, TestFixture.HOME).context().key();
        f.platforms.remove(2);
        assertThat(platformOf(f.manager, onPixelfed)).contains(1L);

        SessionKey onMastodon = f.manager.create("alice", 1, TestFixture.HOME).context().key();
        f.platforms.put(new PlatformConnection(1, "bob", "now-bobs", "mastodon", "https://mastodon.social", true, false));
        assertThat(platformOf(f.manager, onMastodon)).as("alice has no default left").isEmpty();
        assertThat(platformOf(f.manager, onPixelfed)).as("moved again").isEmpty();
        assertThat(f.events(SessionEvent.PlatformSwitched.class)).extracting(SessionEvent.PlatformSwitched::reason)
                .containsExactly(SwitchReason.PLATFORM_REMOVED, SwitchReason.PLATFORM_REMOVED,
                        SwitchReason.PLATFORM_REMOVED);
    }

    @Test
    void theCallDoesNothingWhileTheConnectionIsStillTheUsersAndActive() {
        TestFixture f = new TestFixture();
        SessionKey s = f.manager.create("alice", 2, TestFixture.HOME).context().key();
        f.store.reset();
        assertThat(f.manager.platformWithdrawn("alice", 2)).isZero();
        assertThat(f.store.totalCalls()).as("no store I/O").isZero();
        assertThat(f.manager.platformWithdrawn("bob", 2)).as("not bob's: none of his sessions is on it").isZero();
        assertThat(platformOf(f.manager, s)).contains(2L);
        assertThat(f.events(SessionEvent.PlatformSwitched.class)).isEmpty();
        assertThatThrownBy(() -> f.manager.platformWithdrawn(" ", 2)).isInstanceOf(InvalidUserException.class);
    }

    /** A read-only directory over the application's tables cannot tell: the application makes the one call. */
    @Test
    void withADirectoryThatCannotTellTheApplicationMakesTheOneCall() {
        TestFixture f = new TestFixture();
        PlatformDirectory readOnly = new PlatformDirectory() {
            @Override
            public Optional<PlatformConnection> find(long platformId) {
                return f.platforms.find(platformId);
            }

            @Override
            public List<PlatformConnection> findByUser(String userId) {
                return f.platforms.findByUser(userId);
            }
        };
        try (SessionManager m = SessionManager.builder(f.store).config(f.config.toBuilder().cacheEnabled(false).build())
                .platformDirectory(readOnly).userDirectory(f.users).listener(f.events::add).build()) {
            SessionKey s = m.create("alice", 2, TestFixture.HOME).context().key();
            f.manager.close(); // only m reacts from here on
            f.platforms.put(inactive(PIXELFED));
            assertThat(platformOf(m, s)).as("nobody told the engine").contains(2L);
            assertThat(m.platformWithdrawn("alice", 2)).isEqualTo(1);
            assertThat(platformOf(m, s)).contains(1L);
            assertThat(m.platformWithdrawn("alice", 2)).as("idempotent").isZero();
        }
    }

    @Test
    void aClosedManagerNoLongerListens() {
        TestFixture f = new TestFixture(c -> c.cacheEnabled(false));
        SessionKey s = f.manager.create("alice", 2, TestFixture.HOME).context().key();
        f.manager.close();
        f.platforms.put(inactive(PIXELFED));
        assertThat(f.store.delegate.find(s).orElseThrow().platform().id()).isEqualTo(2);
    }

    @Test
    void aFailedMoveReachesWhoeverChangedTheDirectoryAndTheCallCanBeRepeated() {
        TestFixture f = new TestFixture();
        SessionKey s = f.manager.create("alice", 2, TestFixture.HOME).context().key();
        f.store.hook("findByUser", Phase.BEFORE, () -> {
            throw SessionStoreException.transientFailure("simulated outage", null);
        });
        assertThatThrownBy(() -> f.platforms.put(inactive(PIXELFED))).isInstanceOf(SessionStoreException.class);
        assertThat(f.platforms.find(2).orElseThrow().active()).as("the directory changed all the same").isFalse();
        assertThat(platformOf(f.manager, s)).contains(2L);
        assertThat(f.manager.platformWithdrawn("alice", 2)).isEqualTo(1);
        assertThat(platformOf(f.manager, s)).contains(1L);
    }

    @Test
    void aSwitchThatCheckedTheConnectionJustBeforeItWasDeactivatedDoesNotKeepIt() {
        TestFixture f = new TestFixture();
        SessionKey s = f.manager.create("alice", 1, TestFixture.HOME).context().key();
        // the deactivation (and its scan, which finds nobody on 2 yet) lands between the switch's check and write
        f.store.hook("update", Phase.BEFORE, () -> f.platforms.put(inactive(PIXELFED)));
        PlatformContext after = f.manager.switchPlatform(s, 2);
        assertThat(after.platform().map(ActivePlatform::id)).contains(1L);
        assertThat(platformOf(f.manager, s)).contains(1L);
        assertThat(f.events(SessionEvent.PlatformSwitched.class)).extracting(SessionEvent.PlatformSwitched::reason)
                .containsExactly(SwitchReason.REQUESTED, SwitchReason.PLATFORM_DEACTIVATED);
    }

    @Test
    void aLoginThatCheckedTheConnectionJustBeforeItWasDeletedDoesNotKeepIt() {
        TestFixture f = new TestFixture();
        f.store.hook("insert", Phase.BEFORE, () -> f.platforms.remove(2));
        CreatedSession s = f.manager.create("alice", 2, TestFixture.HOME);
        assertThat(s.context().platform().map(ActivePlatform::id)).contains(1L);
        assertThat(platformOf(f.manager, s.context().key())).contains(1L);
    }

    @Test
    void anExpiredSessionIsNotMoved() {
        TestFixture f = new TestFixture();
        SessionKey s = f.manager.create("alice", 2, TestFixture.HOME).context().key();
        f.clock.advance(f.config.idleTimeout());
        f.platforms.put(inactive(PIXELFED));
        assertThat(f.events(SessionEvent.PlatformSwitched.class)).isEmpty();
        assertThat(f.manager.peek(s)).isEmpty();
    }

    @Nested
    class OnAnotherNode {
        @Test
        void withALiveBusTheOtherNodeSeesTheMoveAtOnce() {
            InProcessSessionChangeBus bus = new InProcessSessionChangeBus();
            TestFixture f = TestFixture.builder().changeBus(bus).build();
            try (SessionManager b = f.engine(c -> c, bus)) {
                CreatedSession s = f.manager.create("alice", 2, TestFixture.HOME);
                assertThat(b.lookup(s.token().value(), TestFixture.HOME).context().platform().orElseThrow().id())
                        .isEqualTo(2);
                f.platforms.put(inactive(PIXELFED));
                assertThat(b.lookup(s.token().value(), TestFixture.HOME).context().platform().orElseThrow().id())
                        .isEqualTo(1);
            }
        }

        @Test
        void withoutABusTheOtherNodeSeesTheMoveOnceTheStalenessBoundHasPassed() {
            TestFixture f = new TestFixture();
            try (SessionManager b = f.engine(c -> c, null)) {
                CreatedSession s = f.manager.create("alice", 2, TestFixture.HOME);
                b.lookup(s.token().value(), TestFixture.HOME);
                f.platforms.put(inactive(PIXELFED));
                f.clock.advance(f.config.maxCacheStaleness().plus(Duration.ofMillis(1)));
                assertThat(b.lookup(s.token().value(), TestFixture.HOME).context().platform().orElseThrow().id())
                        .isEqualTo(1);
            }
        }
    }
}
