package io.platformsessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platformsessions.TestStore.Phase;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Races reproduced deterministically: store hooks run "the other request" at an exact point inside an
 * operation; where a request must stay suspended while others run, it waits on a latch in its own
 * thread. No sleeps. Each test failed before its fix.
 */
class RaceRegressionTest {

    @Test
    void logoutRacingAnAttributeWriteDoesNotLeaveTheSessionInTheCache() {
        TestFixture f = new TestFixture();
        CreatedSession s = f.manager.create("alice", ClientInfo.unknown());
        SessionKey key = s.context().key();
        f.store.hook("update", Phase.AFTER, () -> f.manager.invalidate(key, InvalidationReason.LOGOUT));
        f.manager.setAttribute(key, "a", 1); // its write lands, then the logout, then it would cache v2
        assertThat(f.memoryStore.size()).isZero();
        assertThat(f.manager.resolve(s.token().value(), ClientInfo.unknown())).as("logged out").isEmpty();
    }

    @Test
    void rotationRacingALookupOfTheOldTokenDoesNotReviveIt() {
        TestFixture f = new TestFixture();
        CreatedSession s = f.manager.create("alice", ClientInfo.unknown());
        SessionKey key = s.context().key();
        f.manager.close(); // empties the cache so the next lookup reads the store
        f.store.hook("find", Phase.AFTER, () -> f.manager.rotate(key));
        f.manager.resolve(s.token().value(), ClientInfo.unknown()); // read the old row, then rotation ran
        assertThat(f.memoryStore.find(key)).isEmpty();
        assertThat(f.manager.resolve(s.token().value(), ClientInfo.unknown())).as("old token after rotate").isEmpty();
    }

    @Test
    void touchRacingExtendDoesNotUndoTheExtension() {
        TestFixture f = new TestFixture(c -> c.cacheEnabled(false).idleTimeout(Duration.ofMinutes(30))
                .absoluteTimeout(Duration.ofHours(1)));
        CreatedSession s = f.manager.create("alice", ClientInfo.unknown());
        SessionKey key = s.context().key();
        f.clock.advance(Duration.ofMinutes(25));
        f.manager.resolve(s.token().value(), ClientInfo.unknown());
        f.clock.advance(Duration.ofMinutes(25));
        f.store.hook("touch", Phase.BEFORE, () -> {
            f.clock.advance(Duration.ofMillis(-1));
            f.manager.extend(key, Duration.ofHours(2));
            f.clock.advance(Duration.ofMillis(1));
        });
        f.manager.resolve(s.token().value(), ClientInfo.unknown()); // read absolute = +1 h, then extend, then touch
        f.clock.advance(Duration.ofMinutes(11)); // past the original absolute expiry
        assertThat(f.manager.resolve(s.token().value(), ClientInfo.unknown())).as("extended session survives").isPresent();
    }

    @Test
    void concurrentCreatesAtTheLimitAreSettledUnderRefuse() {
        TestFixture f = new TestFixture(c -> c.maxSessionsPerUser(1).limitPolicy(SessionConfig.LimitPolicy.REFUSE));
        RuntimeException[] other = new RuntimeException[1];
        f.store.hook("findByUser", Phase.AFTER, () -> { // the other login runs between our insert and our count
            try {
                f.manager.create("alice", ClientInfo.unknown());
            } catch (RuntimeException e) {
                other[0] = e;
            }
        });
        CreatedSession mine = f.manager.create("alice", ClientInfo.unknown());
        assertThat(other[0]).as("exactly one of the racing logins is refused").isInstanceOf(SessionLimitException.class);
        assertThat(f.memoryStore.findByUser("alice")).as("limit 1").singleElement()
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
        TestFixture f = new TestFixture(c -> c.maxSessionsPerUser(2));
        CreatedSession oldest = f.manager.create("alice", ClientInfo.unknown());
        f.clock.advance(Duration.ofMinutes(1));
        f.store.hook("findByUser", Phase.AFTER, () -> f.manager.create("alice", ClientInfo.unknown()));
        CreatedSession last = f.manager.create("alice", ClientInfo.unknown());
        assertThat(f.memoryStore.findByUser("alice")).as("limit 2, the least recently used evicted").hasSize(2)
                .anySatisfy(r -> assertThat(r.key()).isEqualTo(last.context().key()))
                .noneSatisfy(r -> assertThat(r.key()).isEqualTo(oldest.context().key()));
    }

    @Test
    void logoutEverywhereRacingARotationEndsTheRotatedSessionToo() {
        TestFixture f = new TestFixture();
        CreatedSession s = f.manager.create("alice", ClientInfo.unknown());
        f.store.hook("findByUser", Phase.AFTER, () -> f.manager.rotate(s.context().key()));
        f.manager.invalidateAll("alice", InvalidationReason.LOGOUT_ALL);
        assertThat(f.memoryStore.findByUser("alice")).as("log out everywhere").isEmpty();
    }

    @Test
    void aFailedTouchPausesTouchesSoCachedRequestsStayIoFree() {
        TestFixture g = new TestFixture();
        g.store.touchFailure = SessionStoreException.transientFailure("database down", null);
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

    /**
     * Reliability review R2: a writer lost its compare-and-set and dropped the cached copy, and a
     * lookup that had read the store before another caller's acknowledged write filled the gap with
     * its older record, so that caller then read a version below its own write.
     */
    @Test
    void aStaleReadNeverReplacesAnAcknowledgedWriteAfterAConflictDroppedTheEntry() throws Exception {
        TestFixture f = new TestFixture();
        CreatedSession s = f.manager.create("alice", ClientInfo.unknown());
        SessionKey key = s.context().key();
        f.manager.close(); // empties the cache so the reader reads the store
        CountDownLatch readerHasV1 = new CountDownLatch(1);
        CountDownLatch releaseReader = new CountDownLatch(1);
        CountDownLatch loserHasV1 = new CountDownLatch(1);
        CountDownLatch releaseLoser = new CountDownLatch(1);
        CountDownLatch loserDropped = new CountDownLatch(1);
        CountDownLatch releaseLoserRead = new CountDownLatch(1);

        Thread reader = new Thread(() -> f.manager.lookup(s.token().value(), ClientInfo.unknown()));
        f.store.hook(reader, "find", Phase.AFTER, () -> pass(readerHasV1, releaseReader));
        Thread loser = new Thread(() -> f.manager.setAttribute(key, "loser", 1));
        f.store.hook(loser, "update", Phase.BEFORE, () -> pass(loserHasV1, releaseLoser));
        f.store.hook(loser, "find", Phase.BEFORE, () -> { }); // its first read, before the conflict
        f.store.hook(loser, "find", Phase.BEFORE, () -> pass(loserDropped, releaseLoserRead));

        reader.start();
        await(readerHasV1); // the reader holds version 1, read from the store
        loser.start();
        await(loserHasV1); // the loser is about to write over version 1
        PlatformContext mine = f.manager.setAttribute(key, "mine", 1); // acknowledged: version 2
        releaseLoser.countDown();
        await(loserDropped); // its compare-and-set failed; it is about to re-read
        releaseReader.countDown();
        reader.join(10_000); // the reader tries to cache its version 1 now

        assertThat(f.manager.peek(key).orElseThrow().version()).as("read-your-writes")
                .isGreaterThanOrEqualTo(mine.version());
        releaseLoserRead.countDown();
        loser.join(10_000);
        assertThat(f.manager.peek(key).orElseThrow().version()).isEqualTo(3);
    }

    private static void pass(CountDownLatch signal, CountDownLatch waitFor) {
        signal.countDown();
        await(waitFor);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the interleaving did not happen");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
