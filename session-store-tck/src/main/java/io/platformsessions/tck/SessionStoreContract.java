package io.platformsessions.tck;

import static io.platformsessions.tck.TestRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platformsessions.ActivePlatform;
import io.platformsessions.InvalidationReason;
import io.platformsessions.SessionStoreException;
import io.platformsessions.spi.ClientBinding;
import io.platformsessions.spi.SessionAttributes;
import io.platformsessions.spi.SessionRecord;
import io.platformsessions.spi.SessionStore;
import io.platformsessions.spi.SessionTimes;
import io.platformsessions.spi.StoredAttribute;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link SessionStore} must pass. Extend it in your store's tests, return a
 * fresh, empty store from {@link #createStore()}, and release it in {@link #destroyStore(SessionStore)}:
 *
 * <pre>{@code
 * class MyStoreContractTest extends SessionStoreContract {
 *     protected SessionStore createStore() {
 *         return new MyStore(...);          // empty, e.g. under a random key prefix
 *     }
 *     protected void destroyStore(SessionStore store) {
 *         ((MyStore) store).close();        // drop what createStore made
 *     }
 * }
 * }</pre>
 *
 * <p>Each test method states one rule of the {@link SessionStore} Javadoc. Stores must keep instants
 * to at least millisecond precision; the records used here ({@link TestRecords}) are truncated to
 * milliseconds. Needs JUnit Jupiter and AssertJ on the test class path. A new instance runs each
 * test unless the subclass says otherwise; the store is made before and released after each test.
 */
public abstract class SessionStoreContract {

    /** The store under test, fresh for each test. */
    protected SessionStore store;

    /** For subclasses. */
    protected SessionStoreContract() {
    }

    /**
     * A new, empty store. Called before each test.
     *
     * @return the store
     */
    protected abstract SessionStore createStore();

    /**
     * Releases a store made by {@link #createStore()} (drop tables, close pools). Called after each
     * test. Default: nothing.
     *
     * @param store the store
     */
    protected void destroyStore(SessionStore store) {
    }

    /** Makes the store for one test. */
    @BeforeEach
    protected void setUpStore() {
        store = createStore();
    }

    /** Releases the store of one test. */
    @AfterEach
    protected void tearDownStore() {
        destroyStore(store);
    }

    /** {@code insert} then {@code find} returns a record equal to the one stored, with and without optional parts. */
    @Test
    public void insertThenFindReturnsEveryField() {
        SessionRecord full = TestRecords.fullRecord("alice", T0);
        SessionRecord minimal = TestRecords.minimalRecord("bob", T0);
        store.insert(full);
        store.insert(minimal);
        assertThat(store.find(full.key())).contains(full);
        assertThat(store.find(minimal.key())).contains(minimal);
    }

    /** {@code insertAndCountLive} stores the record and counts the user's live sessions, the new one included, and fails on a duplicate key. */
    @Test
    public void insertAndCountLiveCountsTheUsersLiveSessionsIncludingTheNewOne() {
        store.insert(TestRecords.minimalRecord("alice", T0.plusSeconds(600)));
        store.insert(TestRecords.minimalRecord("alice", T0.minusSeconds(1))); // expired
        store.insert(TestRecords.minimalRecord("bob", T0.plusSeconds(600)));
        SessionRecord mine = TestRecords.fullRecord("alice", T0);
        assertThat(store.insertAndCountLive(mine, T0)).isEqualTo(2);
        assertThat(store.find(mine.key())).contains(mine);
        assertThat(store.insertAndCountLive(TestRecords.fullRecord("carol", T0), T0)).isEqualTo(1);
        assertThatThrownBy(() -> store.insertAndCountLive(mine, T0)).isInstanceOf(SessionStoreException.class);
    }

    /** {@code find} of a key never stored is empty, not an error. */
    @Test
    public void findOfUnknownKeyIsEmpty() {
        assertThat(store.find(TestRecords.randomKey())).isEmpty();
    }

    /** {@code insert} under an existing key fails with {@link SessionStoreException} and leaves the stored session alone. */
    @Test
    public void insertOfExistingKeyFails() {
        SessionRecord r = TestRecords.fullRecord("alice", T0);
        store.insert(r);
        assertThatThrownBy(() -> store.insert(r.withVersion(1))).isInstanceOf(SessionStoreException.class);
        assertThat(store.find(r.key())).contains(r);
    }

    /** {@code update} writes only when the stored version is the expected one: a stale writer never wins. */
    @Test
    public void updateWritesOnlyWhenVersionMatches() {
        SessionRecord r = TestRecords.fullRecord("alice", T0);
        store.insert(r);
        SessionRecord switched = r.withPlatform(new ActivePlatform(8, "alice@pixelfed.social", "pixelfed",
                "https://pixelfed.social")).withAttributes(r.attributes().without("theme")).withVersion(2);
        assertThat(store.update(switched, 1)).isTrue();
        assertThat(store.find(r.key())).contains(switched);

        SessionRecord stale = r.withPlatform(null).withVersion(2);
        assertThat(store.update(stale, 1)).as("stale version must not win").isFalse();
        assertThat(store.find(r.key())).contains(switched);
    }

    /** {@code update} can clear the platform, elevation, attributes and client binding. */
    @Test
    public void updateCanClearOptionalParts() {
        SessionRecord r = TestRecords.fullRecord("alice", T0);
        store.insert(r);
        SessionRecord cleared = r.withPlatform(null).withElevation(null).withAttributes(SessionAttributes.empty())
                .withClient(ClientBinding.unknown()).withVersion(2);
        assertThat(store.update(cleared, 1)).isTrue();
        assertThat(store.find(r.key())).contains(cleared);
    }

    /** {@code update} of a missing session returns {@code false} and creates nothing. */
    @Test
    public void updateOfMissingSessionIsFalse() {
        SessionRecord r = TestRecords.fullRecord("alice", T0);
        assertThat(store.update(r.withVersion(2), 1)).isFalse();
        assertThat(store.find(r.key())).isEmpty();
    }

    /** {@code rekey} moves the session to the new key: the old key is dead at once and the user has one session. */
    @Test
    public void rekeyMovesTheSessionAtomically() {
        SessionRecord r = TestRecords.fullRecord("alice", T0);
        store.insert(r);
        SessionRecord moved = r.withKey(TestRecords.randomKey()).withCsrfSecret("bmV3LXNlY3JldA").withElevation(null).withVersion(2);
        assertThat(store.rekey(r.key(), moved, 1)).isTrue();
        assertThat(store.find(r.key())).as("old key must be dead").isEmpty();
        assertThat(store.find(moved.key())).contains(moved);
        assertThat(store.findByUser("alice")).containsExactly(moved);
    }

    /** {@code rekey} with a stale version, or of a missing session, returns {@code false} and changes nothing. */
    @Test
    public void rekeyWithStaleVersionChangesNothing() {
        SessionRecord r = TestRecords.fullRecord("alice", T0);
        store.insert(r);
        SessionRecord moved = r.withKey(TestRecords.randomKey()).withVersion(6);
        assertThat(store.rekey(r.key(), moved, 5)).isFalse();
        assertThat(store.find(r.key())).contains(r);
        assertThat(store.find(moved.key())).isEmpty();
        assertThat(store.rekey(TestRecords.randomKey(), moved, 1)).as("missing session").isFalse();
    }

    /** {@code touch} moves last activity and the idle expiry forward without changing version, attributes or absolute expiry. */
    @Test
    public void touchMovesActivityForwardWithoutChangingTheVersion() {
        SessionRecord r = TestRecords.fullRecord("alice", T0);
        store.insert(r);
        Instant later = r.lastActivityAt().plusSeconds(90);
        assertThat(store.touch(r.key(), later, later.plus(Duration.ofMinutes(30)))).as("moved").isTrue();
        SessionRecord touched = store.find(r.key()).orElseThrow();
        assertThat(touched.lastActivityAt()).isEqualTo(later);
        assertThat(touched.expiresAt()).isEqualTo(later.plus(Duration.ofMinutes(30)));
        assertThat(touched.version()).isEqualTo(1);
        assertThat(touched.attributes()).isEqualTo(r.attributes());
        assertThat(touched.absoluteExpiresAt()).isEqualTo(r.absoluteExpiresAt());
    }

    /** {@code touch} caps the expiry by the <em>stored</em> absolute expiry, so it cannot undo a concurrent extension. */
    @Test
    public void touchIsCappedByTheStoredAbsoluteExpiry() {
        SessionRecord r = TestRecords.fullRecord("alice", T0);
        store.insert(r);
        // another writer extended the session after this caller read it
        SessionRecord extended = r.withTimes(new SessionTimes(r.createdAt(), r.lastActivityAt(), r.expiresAt(),
                r.absoluteExpiresAt().plusSeconds(7200))).withVersion(2);
        assertThat(store.update(extended, 1)).isTrue();
        Instant late = r.absoluteExpiresAt().minusSeconds(60);
        store.touch(r.key(), late, late.plus(Duration.ofMinutes(30)));
        SessionRecord touched = store.find(r.key()).orElseThrow();
        assertThat(touched.expiresAt()).as("not capped by the stale absolute expiry")
                .isEqualTo(late.plus(Duration.ofMinutes(30)));
        Instant later = extended.absoluteExpiresAt().minusSeconds(60);
        store.touch(r.key(), later, later.plus(Duration.ofMinutes(30)));
        assertThat(store.find(r.key()).orElseThrow().expiresAt()).as("capped by the stored absolute expiry")
                .isEqualTo(extended.absoluteExpiresAt());
    }

    /** {@code touch} with an earlier or equal activity time returns {@code false} and changes nothing. */
    @Test
    public void touchNeverMovesActivityBackwards() {
        SessionRecord r = TestRecords.fullRecord("alice", T0);
        store.insert(r);
        assertThat(store.touch(r.key(), r.lastActivityAt().minusSeconds(30), r.expiresAt().minusSeconds(30))).isFalse();
        assertThat(store.touch(r.key(), r.lastActivityAt(), r.expiresAt().minusSeconds(30))).isFalse();
        assertThat(store.find(r.key())).contains(r);
    }

    /** {@code touch} of a missing session returns {@code false} and creates nothing. */
    @Test
    public void touchOfMissingSessionChangesNothingAndSaysSo() {
        assertThat(store.touch(TestRecords.randomKey(), T0, T0.plusSeconds(60))).isFalse();
        assertThat(store.findByUser("alice")).isEmpty();
    }

    /** {@code delete} removes the session and returns {@code true} once, then {@code false}. */
    @Test
    public void deleteRemovesOnce() {
        SessionRecord r = TestRecords.fullRecord("alice", T0);
        store.insert(r);
        assertThat(store.delete(r.key(), InvalidationReason.LOGOUT, T0)).isTrue();
        assertThat(store.find(r.key())).isEmpty();
        assertThat(store.delete(r.key(), InvalidationReason.LOGOUT, T0)).isFalse();
    }

    /** {@code findByUser} returns exactly the user's sessions. */
    @Test
    public void findByUserReturnsOnlyThatUsersSessions() {
        SessionRecord a1 = TestRecords.fullRecord("alice", T0);
        SessionRecord a2 = TestRecords.minimalRecord("alice", T0.plusSeconds(10));
        SessionRecord b = TestRecords.fullRecord("bob", T0);
        store.insert(a1);
        store.insert(a2);
        store.insert(b);
        assertThat(store.findByUser("alice")).containsExactlyInAnyOrder(a1, a2);
        assertThat(store.findByUser("bob")).containsExactly(b);
        assertThat(store.findByUser("carol")).isEmpty();
    }

    /** {@code findByUser} matches user ids exactly: case and trailing spaces count. */
    @Test
    public void userIdsAreMatchedExactly() {
        SessionRecord lower = TestRecords.minimalRecord("alice", T0);
        SessionRecord upper = TestRecords.minimalRecord("ALICE", T0);
        SessionRecord padded = TestRecords.minimalRecord("alice ", T0);
        store.insert(lower);
        store.insert(upper);
        store.insert(padded);
        assertThat(store.findByUser("alice")).containsExactly(lower);
        assertThat(store.findByUser("ALICE")).containsExactly(upper);
    }

    /** {@code deleteExpired} deletes at most a batch at a time, counts an expiry equal to "now" as expired, and keeps live sessions. */
    @Test
    public void deleteExpiredRemovesOnlyExpiredSessionsInBoundedBatches() {
        Instant now = T0;
        List<SessionRecord> expired = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            SessionRecord r = TestRecords.minimalRecord("u" + i, now.minusSeconds(i + 1));
            expired.add(r);
            store.insert(r);
        }
        SessionRecord atBoundary = TestRecords.minimalRecord("edge", now);
        SessionRecord live = TestRecords.minimalRecord("live", now.plusMillis(1));
        store.insert(atBoundary);
        store.insert(live);

        assertThat(store.deleteExpired(now, 3)).isEqualTo(3);
        assertThat(store.deleteExpired(now, 3)).isEqualTo(3);
        assertThat(store.deleteExpired(now, 3)).as("7 expired + 1 at the boundary").isEqualTo(2);
        assertThat(store.deleteExpired(now, 3)).isZero();
        for (SessionRecord r : expired) {
            assertThat(store.find(r.key())).isEmpty();
        }
        assertThat(store.find(atBoundary.key())).as("expiry at 'now' counts as expired").isEmpty();
        assertThat(store.find(live.key())).contains(live);
    }

    /** {@code countActiveByPlatformType} counts live sessions only, those without a platform under the empty string. */
    @Test
    public void countsLiveSessionsByPlatformType() {
        store.insert(TestRecords.fullRecord("alice", T0));
        store.insert(TestRecords.fullRecord("bob", T0));
        store.insert(TestRecords.minimalRecord("carol", T0.plusSeconds(60)));
        store.insert(TestRecords.minimalRecord("dave", T0.minusSeconds(1)));
        Map<String, Long> counts = store.countActiveByPlatformType(T0);
        assertThat(counts).containsEntry("mastodon", 2L).containsEntry("", 1L);
        assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(3);
    }

    /**
     * Eight threads updating one session with compare-and-set lose no update: every success is one version step.
     *
     * @throws Exception if a thread fails or the run takes over two minutes
     */
    @Test
    public void concurrentCompareAndSetLosesNoUpdate() throws Exception {
        SessionRecord r = TestRecords.minimalRecord("alice", T0.plusSeconds(3600));
        store.insert(r);
        int threads = 8;
        int updatesPerThread = 25;
        AtomicInteger successes = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < updatesPerThread; i++) {
                        for (int attempt = 0; attempt < 1000; attempt++) {
                            SessionRecord current = store.find(r.key()).orElseThrow();
                            SessionRecord next = current.withAttributes(current.attributes().with("t" + thread + "-" + i,
                                    new StoredAttribute(String.valueOf(i), null, null))).withVersion(current.version() + 1);
                            if (store.update(next, current.version())) {
                                successes.incrementAndGet();
                                break;
                            }
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        SessionRecord finalState = store.find(r.key()).orElseThrow();
        assertThat(successes.get()).isEqualTo(threads * updatesPerThread);
        assertThat(finalState.version()).isEqualTo(1 + threads * updatesPerThread);
        assertThat(finalState.attributes().asMap()).hasSize(threads * updatesPerThread);
    }

    /** {@code find} returns the attributes' TTLs and sealed flags, the client binding and the elevation. */
    @Test
    public void findReturnsACompleteSnapshot() {
        SessionRecord r = TestRecords.fullRecord("alice", T0);
        store.insert(r);
        Optional<SessionRecord> found = store.find(r.key());
        assertThat(found).isPresent();
        assertThat(found.get().attributes().get("draft").expiresAt()).isEqualTo(r.attributes().get("draft").expiresAt());
        assertThat(found.get().attributes().get("oauth").sealed()).isTrue();
        assertThat(found.get().client()).isEqualTo(r.client());
        assertThat(found.get().elevation()).isEqualTo(r.elevation());
    }
}
