package io.platformsessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platformsessions.TestStore.Phase;
import io.platformsessions.memory.InMemorySessionStore;
import io.platformsessions.memory.InProcessSessionChangeBus;
import io.platformsessions.spi.SessionChangeBus;
import io.platformsessions.spi.SessionRecord;
import io.platformsessions.spi.SessionStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Two engines ("nodes") on one store, in one JVM: what node B serves after node A changes a session,
 * in each cache mode. The guarantees tested here are the ones README "Multi-node deployments" states.
 */
class MultiNodeCoherenceTest {

    private static PlatformContext active(SessionManager m, CreatedSession s) {
        SessionLookup l = m.lookup(s.token().value(), TestFixture.HOME);
        assertThat(l.status()).isEqualTo(SessionLookup.Status.ACTIVE);
        return l.context();
    }

    private static SessionLookup.Status status(SessionManager m, String token) {
        return m.lookup(token, TestFixture.HOME).status();
    }

    @Nested
    class BusLive {
        final InProcessSessionChangeBus bus = new InProcessSessionChangeBus();
        final TestFixture f = TestFixture.builder().changeBus(bus).build();
        final SessionManager a = f.manager;
        final SessionManager b = f.engine(c -> c, bus);

        @AfterEach
        void close() {
            b.close();
        }

        @Test
        void bServesFromItsCacheWithoutStoreReads() {
            CreatedSession s = a.create("alice", TestFixture.HOME);
            active(b, s);
            f.clock.advance(Duration.ofSeconds(30)); // far past the no-bus staleness bound
            f.store.reset();
            active(b, s);
            assertThat(f.store.totalCalls()).isZero();
            assertThat(b.metrics().cacheState()).isEqualTo(SessionMetrics.CacheState.BUS_LIVE);
        }

        @Test
        void logoutOnAIsRefusedOnB() {
            CreatedSession s = a.create("alice", TestFixture.HOME);
            active(b, s);
            a.invalidate(s.context().key(), InvalidationReason.LOGOUT);
            assertThat(status(b, s.token().value())).isEqualTo(SessionLookup.Status.NOT_FOUND);
        }

        @Test
        void rotationOnAKillsTheOldTokenOnB() {
            CreatedSession s = a.create("alice", TestFixture.HOME);
            active(b, s);
            CreatedSession rotated = a.rotate(s.context().key());
            assertThat(status(b, s.token().value())).isEqualTo(SessionLookup.Status.NOT_FOUND);
            assertThat(active(b, rotated).sessionId()).isEqualTo(s.context().sessionId());
        }

        @Test
        void logoutEverywhereOnAIsSeenOnB() {
            CreatedSession one = a.create("alice", TestFixture.HOME);
            CreatedSession two = a.create("alice", TestFixture.HOME);
            active(b, one);
            active(b, two);
            a.invalidateAll("alice", InvalidationReason.LOGOUT_ALL);
            assertThat(status(b, one.token().value())).isEqualTo(SessionLookup.Status.NOT_FOUND);
            assertThat(status(b, two.token().value())).isEqualTo(SessionLookup.Status.NOT_FOUND);
        }

        @Test
        void switchAndAttributeAndElevationOnAAreSeenOnB() {
            CreatedSession s = a.create("alice", TestFixture.HOME);
            active(b, s);
            a.switchPlatform(s.context().key(), 2);
            assertThat(active(b, s).platform().orElseThrow().id()).isEqualTo(2);
            a.setAttribute(s.context().key(), "theme", "dark");
            assertThat(b.getAttribute(active(b, s), "theme", String.class)).contains("dark");
            a.elevate(s.context().key(), AccessLevel.ADMIN, Duration.ofMinutes(5));
            assertThat(b.isElevated(active(b, s), AccessLevel.ADMIN)).isTrue();
        }

        @Test
        void aLateAnnouncementNeverBringsBackOrDowngradesACopy() {
            CreatedSession s = a.create("alice", TestFixture.HOME);
            SessionKey key = s.context().key();
            a.switchPlatform(key, 2);
            a.switchPlatform(key, 1); // version 3
            assertThat(active(b, s).version()).isEqualTo(3);
            SessionChangeBus.Connection late = bus.connect(new SessionChangeBus.Listener() {
                @Override
                public void onChange(SessionChangeBus.Change change) {
                }

                @Override
                public void onReset(String why) {
                }
            });
            late.publish(new SessionChangeBus.Change(key, 2));
            f.store.reset();
            assertThat(active(b, s).version()).as("an older announcement changes nothing").isEqualTo(3);
            assertThat(f.store.totalCalls()).isZero();

            a.invalidate(key, InvalidationReason.LOGOUT);
            late.publish(new SessionChangeBus.Change(key, 4));
            assertThat(status(b, s.token().value())).as("an ended key stays ended").isEqualTo(SessionLookup.Status.NOT_FOUND);
            late.close();
        }
    }

    @Nested
    class BusDownOrReset {
        final InProcessSessionChangeBus bus = new InProcessSessionChangeBus();
        final TestFixture f = TestFixture.builder().changeBus(bus).build();
        final SessionManager a = f.manager;
        final SessionManager b = f.engine(c -> c, bus);

        @AfterEach
        void close() {
            b.close();
        }

        @Test
        void whileTheBusIsDownBReadsTheStoreAndSeesEveryChangeAtOnce() {
            CreatedSession s = a.create("alice", TestFixture.HOME);
            active(b, s);
            bus.goDown();
            assertThat(b.metrics().cacheState()).isEqualTo(SessionMetrics.CacheState.BUS_DOWN);
            f.store.reset();
            active(b, s);
            assertThat(f.store.calls("find")).as("cache bypassed").isEqualTo(1);
            a.switchPlatform(s.context().key(), 2); // its announcement is lost
            assertThat(active(b, s).platform().orElseThrow().id()).isEqualTo(2);
            a.invalidate(s.context().key(), InvalidationReason.LOGOUT);
            assertThat(status(b, s.token().value())).isEqualTo(SessionLookup.Status.NOT_FOUND);
            assertThat(b.metrics().cacheBypasses()).isEqualTo(3);
        }

        @Test
        void whenTheBusComesBackNothingCachedBeforeIsServed() {
            CreatedSession s = a.create("alice", TestFixture.HOME);
            active(b, s); // cached on b
            bus.goDown();
            a.switchPlatform(s.context().key(), 2); // lost
            bus.comeUp(); // resets every connection
            assertThat(b.metrics().busResets()).isEqualTo(1);
            f.store.reset();
            assertThat(active(b, s).platform().orElseThrow().id()).isEqualTo(2);
            assertThat(f.store.calls("find")).isEqualTo(1);
            f.store.reset();
            active(b, s);
            assertThat(f.store.totalCalls()).as("cached again").isZero();
        }

        @Test
        void aBusThatComesBackWithoutResettingStillHasTheCacheDropped() {
            ToggleBus toggle = new ToggleBus();
            TestFixture g = TestFixture.builder().changeBus(toggle).build();
            SessionManager b2 = g.engine(c -> c, toggle);
            CreatedSession s = g.manager.create("alice", TestFixture.HOME);
            active(b2, s); // cached
            toggle.live = false;
            active(b2, s); // b2 sees the bus down
            g.manager.switchPlatform(s.context().key(), 2); // this bus announces nothing
            toggle.live = true; // back, and it says nothing about what it missed
            assertThat(active(b2, s).platform().orElseThrow().id()).isEqualTo(2);
            assertThat(b2.metrics().busResets()).isEqualTo(1);
            b2.close();
        }

        @Test
        void aReadThatStartedBeforeAResetDoesNotInstallItsCopyAfterIt() {
            CreatedSession s = a.create("alice", TestFixture.HOME);
            SessionKey key = s.context().key();
            // b reads version 1; meanwhile a switches, the announcement is lost, and the bus notices the gap
            f.store.hook("find", Phase.AFTER, () -> {
                bus.dropNextMessages(1);
                a.switchPlatform(key, 2);
                bus.reset("gap in the change log");
            });
            assertThat(active(b, s).platform().orElseThrow().id()).as("what b read").isEqualTo(1);
            assertThat(active(b, s).platform().orElseThrow().id()).as("not cached: read again").isEqualTo(2);
        }

        @Test
        void aMessageLostWithoutAResetLeavesACopyStaleWhichIsWhyBusesMustDetectGaps() {
            CreatedSession s = a.create("alice", TestFixture.HOME);
            active(b, s);
            bus.dropNextMessages(1);
            a.switchPlatform(s.context().key(), 2);
            assertThat(active(b, s).platform().orElseThrow().id()).as("stale").isEqualTo(1);
            bus.reset("gap in the change log");
            assertThat(active(b, s).platform().orElseThrow().id()).isEqualTo(2);
        }
    }

    @Nested
    class NoBus {
        final TestFixture f = new TestFixture();
        final SessionManager a = f.manager;
        final SessionManager b = f.engine(c -> c, null);

        @Test
        void bSeesALogoutOnAOnceTheStalenessBoundHasPassedAndNeverServesTheSessionAfter() {
            assertThat(f.config.maxCacheStaleness()).isEqualTo(Duration.ofSeconds(2));
            CreatedSession s = a.create("alice", TestFixture.HOME);
            active(b, s);
            a.invalidate(s.context().key(), InvalidationReason.LOGOUT);
            f.clock.advance(Duration.ofSeconds(2));
            assertThat(status(b, s.token().value())).as("within the bound: the cached copy").isEqualTo(
                    SessionLookup.Status.ACTIVE);
            f.clock.advance(Duration.ofMillis(1));
            assertThat(status(b, s.token().value())).isEqualTo(SessionLookup.Status.NOT_FOUND);
            assertThat(status(b, s.token().value())).isEqualTo(SessionLookup.Status.NOT_FOUND);
            assertThat(b.metrics().cacheRevalidations()).isEqualTo(1);
            assertThat(b.metrics().cacheState()).isEqualTo(SessionMetrics.CacheState.BOUNDED_STALENESS);
        }

        @Test
        void aRevalidatedCopyIsServedFromTheCacheAgainForTheNextBound() {
            CreatedSession s = a.create("alice", TestFixture.HOME);
            active(b, s);
            f.clock.advance(Duration.ofSeconds(3));
            f.store.reset();
            active(b, s);
            assertThat(f.store.calls("find")).as("one round trip after the bound").isEqualTo(1);
            f.clock.advance(Duration.ofSeconds(1));
            active(b, s);
            assertThat(f.store.calls("find")).isEqualTo(1);
        }

        @Test
        void rotationAndSwitchOnAAreSeenOnBAfterTheBound() {
            CreatedSession s = a.create("alice", TestFixture.HOME);
            active(b, s);
            CreatedSession rotated = a.rotate(s.context().key());
            a.switchPlatform(rotated.context().key(), 2);
            f.clock.advance(Duration.ofSeconds(3));
            assertThat(status(b, s.token().value())).isEqualTo(SessionLookup.Status.NOT_FOUND);
            assertThat(active(b, rotated).platform().orElseThrow().id()).isEqualTo(2);
        }

        @Test
        void aSingleNodeEngineKeepsServingFromItsCache() {
            SessionManager single = f.engine(c -> c.singleNode(true), null);
            CreatedSession s = a.create("alice", TestFixture.HOME);
            active(single, s);
            a.invalidate(s.context().key(), InvalidationReason.LOGOUT);
            f.clock.advance(Duration.ofSeconds(30));
            f.store.reset();
            assertThat(status(single, s.token().value())).as("declared single-node: the cache is trusted")
                    .isEqualTo(SessionLookup.Status.ACTIVE);
            assertThat(f.store.totalCalls()).isZero();
            assertThat(single.metrics().cacheState()).isEqualTo(SessionMetrics.CacheState.SINGLE_NODE);
        }
    }

    @Nested
    class StoreWithItsOwnBus {
        final InProcessSessionChangeBus bus = new InProcessSessionChangeBus();

        /** A store that comes with a bus, as a store announcing changes in its own statements does. */
        final InMemorySessionStoreWithBus store = new InMemorySessionStoreWithBus(bus);

        @Test
        void theEngineConnectsToTheStoresBus() {
            try (SessionManager a = SessionManager.builder(store).build();
                 SessionManager b = SessionManager.builder(store).changeBus(bus).build()) {
                assertThat(bus.connectionCount()).isEqualTo(2);
                CreatedSession s = a.create("alice", ClientInfo.unknown());
                assertThat(b.resolve(s.token().value(), ClientInfo.unknown())).isPresent();
                a.invalidate(s.context().key(), InvalidationReason.LOGOUT);
                assertThat(b.resolve(s.token().value(), ClientInfo.unknown())).isEmpty();
            }
            assertThat(bus.connectionCount()).as("closing a manager closes its connection").isZero();
        }

        @Test
        void anotherBusOnTheBuilderIsRefused() {
            assertThatThrownBy(() -> SessionManager.builder(store).changeBus(new InProcessSessionChangeBus()).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("own change bus");
        }
    }

    /** A bus that announces nothing and whose liveness the test sets, without resets. */
    static final class ToggleBus implements SessionChangeBus {
        volatile boolean live = true;

        @Override
        public Connection connect(Listener listener) {
            return new Connection() {
                @Override
                public void publish(Change change) {
                }

                @Override
                public boolean isLive() {
                    return live;
                }

                @Override
                public void close() {
                }
            };
        }
    }

    /** The in-memory store, with a bus of its own. */
    static final class InMemorySessionStoreWithBus implements SessionStore {
        private final InMemorySessionStore delegate = new InMemorySessionStore();
        private final SessionChangeBus bus;

        InMemorySessionStoreWithBus(SessionChangeBus bus) {
            this.bus = bus;
        }

        @Override
        public Optional<SessionChangeBus> changeBus() {
            return Optional.of(bus);
        }

        @Override
        public void insert(SessionRecord record) {
            delegate.insert(record);
        }

        @Override
        public Optional<SessionRecord> find(SessionKey key) {
            return delegate.find(key);
        }

        @Override
        public boolean update(SessionRecord next, long expectedVersion) {
            return delegate.update(next, expectedVersion);
        }

        @Override
        public boolean rekey(SessionKey oldKey, SessionRecord next, long expectedVersion) {
            return delegate.rekey(oldKey, next, expectedVersion);
        }

        @Override
        public boolean touch(SessionKey key, Instant lastActivityAt, Instant idleExpiresAt) {
            return delegate.touch(key, lastActivityAt, idleExpiresAt);
        }

        @Override
        public boolean delete(SessionKey key, InvalidationReason reason, Instant endedAt) {
            return delegate.delete(key, reason, endedAt);
        }

        @Override
        public List<SessionRecord> findByUser(String userId) {
            return delegate.findByUser(userId);
        }

        @Override
        public int deleteExpired(Instant now, int batchSize) {
            return delegate.deleteExpired(now, batchSize);
        }

        @Override
        public Map<String, Long> countActiveByPlatformType(Instant now) {
            return delegate.countActiveByPlatformType(now);
        }
    }
}
