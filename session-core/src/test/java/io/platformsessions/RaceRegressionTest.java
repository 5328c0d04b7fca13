package io.platformsessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platformsessions.memory.InMemorySessionStore;
import io.platformsessions.spi.SessionRecord;
import io.platformsessions.spi.SessionStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Races reproduced deterministically: a store whose hooks run "the other request" at an exact point
 * inside an operation, so no threads or sleeps are needed. Each test failed before its fix.
 */
class RaceRegressionTest {

    /** The in-memory store with one-shot hooks around some calls. */
    static final class HookStore implements SessionStore {
        final InMemorySessionStore delegate = new InMemorySessionStore();
        Runnable afterUpdate;
        Runnable afterFind;
        Runnable beforeTouch;
        Runnable afterFindByUser;
        volatile boolean failTouches;

        private static void run(Runnable hook) {
            if (hook != null) {
                hook.run();
            }
        }

        @Override
        public void insert(SessionRecord r) {
            delegate.insert(r);
        }

        @Override
        public Optional<SessionRecord> find(SessionKey k) {
            Optional<SessionRecord> found = delegate.find(k);
            Runnable h = afterFind;
            afterFind = null;
            run(h);
            return found;
        }

        @Override
        public boolean update(SessionRecord n, long v) {
            boolean written = delegate.update(n, v);
            Runnable h = afterUpdate;
            afterUpdate = null;
            run(h);
            return written;
        }

        @Override
        public boolean rekey(SessionKey o, SessionRecord n, long v) {
            return delegate.rekey(o, n, v);
        }

        @Override
        public boolean touch(SessionKey k, Instant last, Instant idleExpiry) {
            if (failTouches) {
                throw SessionStoreException.transientFailure("database down", null);
            }
            Runnable h = beforeTouch;
            beforeTouch = null;
            run(h);
            return delegate.touch(k, last, idleExpiry);
        }

        @Override
        public boolean delete(SessionKey k, InvalidationReason r, Instant endedAt) {
            return delegate.delete(k, r, endedAt);
        }

        @Override
        public List<SessionRecord> findByUser(String u) {
            List<SessionRecord> found = delegate.findByUser(u);
            Runnable h = afterFindByUser;
            afterFindByUser = null;
            run(h);
            return found;
        }

        @Override
        public int deleteExpired(Instant n, int b) {
            return delegate.deleteExpired(n, b);
        }

        @Override
        public Map<String, Long> countActiveByPlatformType(Instant n) {
            return delegate.countActiveByPlatformType(n);
        }
    }

    @Test
    void logoutRacingAnAttributeWriteDoesNotLeaveTheSessionInTheCache() {
        HookStore hs = new HookStore();
        TestFixture f = new TestFixture(c -> c, hs);
        CreatedSession s = f.manager.create("alice", ClientInfo.unknown());
        SessionKey key = s.context().key();
        hs.afterUpdate = () -> f.manager.invalidate(key, InvalidationReason.LOGOUT);
        f.manager.setAttribute(key, "a", 1); // its write lands, then the logout, then it would cache v2
        assertThat(hs.delegate.size()).isZero();
        assertThat(f.manager.resolve(s.token().value(), ClientInfo.unknown())).as("logged out").isEmpty();
    }

    @Test
    void rotationRacingALookupOfTheOldTokenDoesNotReviveIt() {
        HookStore hs = new HookStore();
        TestFixture f = new TestFixture(c -> c, hs);
        CreatedSession s = f.manager.create("alice", ClientInfo.unknown());
        SessionKey key = s.context().key();
        f.manager.close(); // empties the cache so the next lookup reads the store
        hs.afterFind = () -> f.manager.rotate(key);
        f.manager.resolve(s.token().value(), ClientInfo.unknown()); // read the old row, then rotation ran
        assertThat(hs.delegate.find(key)).isEmpty();
        assertThat(f.manager.resolve(s.token().value(), ClientInfo.unknown())).as("old token after rotate").isEmpty();
    }

    @Test
    void touchRacingExtendDoesNotUndoTheExtension() {
        HookStore hs = new HookStore();
        TestFixture f = new TestFixture(c -> c.cacheEnabled(false).idleTimeout(Duration.ofMinutes(30))
                .absoluteTimeout(Duration.ofHours(1)), hs);
        CreatedSession s = f.manager.create("alice", ClientInfo.unknown());
        SessionKey key = s.context().key();
        f.clock.advance(Duration.ofMinutes(25));
        f.manager.resolve(s.token().value(), ClientInfo.unknown());
        f.clock.advance(Duration.ofMinutes(25));
        hs.beforeTouch = () -> {
            f.clock.advance(Duration.ofMillis(-1));
            f.manager.extend(key, Duration.ofHours(2));
            f.clock.advance(Duration.ofMillis(1));
        };
        f.manager.resolve(s.token().value(), ClientInfo.unknown()); // read absolute = +1 h, then extend, then touch
        f.clock.advance(Duration.ofMinutes(11)); // past the original absolute expiry
        assertThat(f.manager.resolve(s.token().value(), ClientInfo.unknown())).as("extended session survives").isPresent();
    }

    @Test
    void concurrentCreatesAtTheLimitAreSettledUnderRefuse() {
        HookStore hs = new HookStore();
        TestFixture f = new TestFixture(c -> c.maxSessionsPerUser(1).limitPolicy(SessionConfig.LimitPolicy.REFUSE), hs);
        RuntimeException[] other = new RuntimeException[1];
        hs.afterFindByUser = () -> { // the other login runs between our insert and our count
            try {
                f.manager.create("alice", ClientInfo.unknown());
            } catch (RuntimeException e) {
                other[0] = e;
            }
        };
        CreatedSession mine = f.manager.create("alice", ClientInfo.unknown());
        assertThat(other[0]).as("exactly one of the racing logins is refused").isInstanceOf(SessionLimitException.class);
        assertThat(hs.delegate.findByUser("alice")).as("limit 1").singleElement()
                .satisfies(r -> assertThat(r.key()).isEqualTo(mine.context().key()));
    }

    @Test
    void refusedCreateLeavesNoSessionBehind() {
        TestFixture f = new TestFixture(c -> c.maxSessionsPerUser(1).limitPolicy(SessionConfig.LimitPolicy.REFUSE));
        f.manager.create("alice", ClientInfo.unknown());
        assertThatThrownBy(() -> f.manager.create("alice", ClientInfo.unknown())).isInstanceOf(SessionLimitException.class);
        assertThat(f.memoryStore.findByUser("alice")).hasSize(1);
        assertThat(f.events(SessionEvent.Created.class)).hasSize(1);
    }

    @Test
    void concurrentCreatesAtTheLimitAreSettledUnderEviction() {
        HookStore hs = new HookStore();
        TestFixture f = new TestFixture(c -> c.maxSessionsPerUser(2), hs);
        CreatedSession oldest = f.manager.create("alice", ClientInfo.unknown());
        f.clock.advance(Duration.ofMinutes(1));
        hs.afterFindByUser = () -> f.manager.create("alice", ClientInfo.unknown());
        CreatedSession last = f.manager.create("alice", ClientInfo.unknown());
        assertThat(hs.delegate.findByUser("alice")).as("limit 2, the least recently used evicted").hasSize(2)
                .anySatisfy(r -> assertThat(r.key()).isEqualTo(last.context().key()))
                .noneSatisfy(r -> assertThat(r.key()).isEqualTo(oldest.context().key()));
    }

    @Test
    void logoutEverywhereRacingARotationEndsTheRotatedSessionToo() {
        HookStore hs = new HookStore();
        TestFixture f = new TestFixture(c -> c, hs);
        CreatedSession s = f.manager.create("alice", ClientInfo.unknown());
        hs.afterFindByUser = () -> f.manager.rotate(s.context().key());
        f.manager.invalidateAll("alice", InvalidationReason.LOGOUT_ALL);
        assertThat(hs.delegate.findByUser("alice")).as("log out everywhere").isEmpty();
    }

    @Test
    void aFailedTouchPausesTouchesSoCachedRequestsStayIoFree() {
        HookStore failing = new HookStore();
        failing.failTouches = true;
        TestFixture g = new TestFixture(c -> c, failing);
        CreatedSession t = g.manager.create("alice", ClientInfo.unknown());
        g.clock.advance(Duration.ofMinutes(2));
        assertThat(g.manager.resolve(t.token().value(), ClientInfo.unknown())).isPresent(); // touch fails
        g.store.reset();
        for (int i = 0; i < 5; i++) {
            assertThat(g.manager.resolve(t.token().value(), ClientInfo.unknown())).isPresent();
        }
        assertThat(g.store.calls("touch")).as("touches paused after a failure").isZero();
        g.clock.advance(Duration.ofSeconds(6));
        g.manager.resolve(t.token().value(), ClientInfo.unknown());
        assertThat(g.store.calls("touch")).as("tried again after the pause").isEqualTo(1);
    }
}
