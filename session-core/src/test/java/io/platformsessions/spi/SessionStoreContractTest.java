package io.platformsessions.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platformsessions.AccessLevel;
import io.platformsessions.ActivePlatform;
import io.platformsessions.Elevation;
import io.platformsessions.InvalidationReason;
import io.platformsessions.SessionKey;
import io.platformsessions.SessionStoreException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
 * The contract every {@link SessionStore} must pass. Extend it, return a fresh empty store from
 * {@link #createStore()}, and release it in {@link #destroyStore(SessionStore)}.
 *
 * <p>Stores must keep instants to at least millisecond precision; the records used here are
 * truncated to milliseconds.
 */
public abstract class SessionStoreContractTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    /** The store under test, fresh for each test. */
    protected SessionStore store;

    /**
     * A new, empty store.
     *
     * @return the store
     */
    protected abstract SessionStore createStore();

    /**
     * Releases a store made by {@link #createStore()} (drop tables, close pools). Default: nothing.
     *
     * @param store the store
     */
    protected void destroyStore(SessionStore store) {
    }

    @BeforeEach
    void setUpStore() {
        store = createStore();
    }

    @AfterEach
    void tearDownStore() {
        destroyStore(store);
    }

    /**
     * A random key.
     *
     * @return a key
     */
    protected static SessionKey randomKey() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return SessionKey.ofBytes(b);
    }

    /**
     * A complete record with every optional part set.
     *
     * @param userId the owner
     * @param lastActivity last activity; expiry is 30 minutes later
     * @return the record, version 1
     */
    protected static SessionRecord fullRecord(String userId, Instant lastActivity) {
        Instant last = lastActivity.truncatedTo(ChronoUnit.MILLIS);
        SessionAttributes attributes = SessionAttributes.empty()
                .with("theme", new StoredAttribute("\"dark\"", null, null))
                .with("draft", new StoredAttribute("{\"text\":\"héllo \\\"w\\\" ✓\",\"n\":3}", last.plusSeconds(600), null))
                .with("oauth", new StoredAttribute("c2VhbGVk", null, "k1"));
        return new SessionRecord(randomKey(), "sid-" + RANDOM.nextInt(1_000_000), userId, userId + "-name",
                new ActivePlatform(7, userId + "@mastodon.social", "mastodon", "https://mastodon.social"),
                last.minusSeconds(60), last, last.plus(Duration.ofMinutes(30)), last.plus(Duration.ofHours(12)), 1,
                "Y3NyZi1zZWNyZXQtY3NyZi1zZWNyZXQtY3NyZi1zZWM", new ClientBinding("203.0.113.0/24", "Firefox/Linux", "en",
                "Firefox on Linux"), new Elevation(AccessLevel.WRITE, last.plusSeconds(300)), attributes);
    }

    /**
     * A minimal record: no platform, no client, no elevation, no attributes.
     *
     * @param userId the owner
     * @param expiresAt effective expiry
     * @return the record, version 1
     */
    protected static SessionRecord minimalRecord(String userId, Instant expiresAt) {
        Instant exp = expiresAt.truncatedTo(ChronoUnit.MILLIS);
        return new SessionRecord(randomKey(), "sid-" + RANDOM.nextInt(1_000_000), userId, userId, null,
                exp.minusSeconds(3600), exp.minusSeconds(1800), exp, exp.plusSeconds(3600), 1, "c2VjcmV0",
                ClientBinding.unknown(), null, SessionAttributes.empty());
    }

    @Test
    void insertThenFindReturnsEveryField() {
        SessionRecord full = fullRecord("alice", T0);
        SessionRecord minimal = minimalRecord("bob", T0);
        store.insert(full);
        store.insert(minimal);
        assertThat(store.find(full.key())).contains(full);
        assertThat(store.find(minimal.key())).contains(minimal);
    }

    @Test
    void insertAndCountLiveCountsTheUsersLiveSessionsIncludingTheNewOne() {
        store.insert(minimalRecord("alice", T0.plusSeconds(600)));
        store.insert(minimalRecord("alice", T0.minusSeconds(1))); // expired
        store.insert(minimalRecord("bob", T0.plusSeconds(600)));
        SessionRecord mine = fullRecord("alice", T0);
        assertThat(store.insertAndCountLive(mine, T0)).isEqualTo(2);
        assertThat(store.find(mine.key())).contains(mine);
        assertThat(store.insertAndCountLive(fullRecord("carol", T0), T0)).isEqualTo(1);
        assertThatThrownBy(() -> store.insertAndCountLive(mine, T0)).isInstanceOf(SessionStoreException.class);
    }

    @Test
    void findOfUnknownKeyIsEmpty() {
        assertThat(store.find(randomKey())).isEmpty();
    }

    @Test
    void insertOfExistingKeyFails() {
        SessionRecord r = fullRecord("alice", T0);
        store.insert(r);
        assertThatThrownBy(() -> store.insert(r.withVersion(1))).isInstanceOf(SessionStoreException.class);
        assertThat(store.find(r.key())).contains(r);
    }

    @Test
    void updateWritesOnlyWhenVersionMatches() {
        SessionRecord r = fullRecord("alice", T0);
        store.insert(r);
        SessionRecord switched = r.withPlatform(new ActivePlatform(8, "alice@pixelfed.social", "pixelfed",
                "https://pixelfed.social")).withAttributes(r.attributes().without("theme")).withVersion(2);
        assertThat(store.update(switched, 1)).isTrue();
        assertThat(store.find(r.key())).contains(switched);

        SessionRecord stale = r.withPlatform(null).withVersion(2);
        assertThat(store.update(stale, 1)).as("stale version must not win").isFalse();
        assertThat(store.find(r.key())).contains(switched);
    }

    @Test
    void updateCanClearOptionalParts() {
        SessionRecord r = fullRecord("alice", T0);
        store.insert(r);
        SessionRecord cleared = r.withPlatform(null).withElevation(null).withAttributes(SessionAttributes.empty())
                .withClient(ClientBinding.unknown()).withVersion(2);
        assertThat(store.update(cleared, 1)).isTrue();
        assertThat(store.find(r.key())).contains(cleared);
    }

    @Test
    void updateOfMissingSessionIsFalse() {
        SessionRecord r = fullRecord("alice", T0);
        assertThat(store.update(r.withVersion(2), 1)).isFalse();
        assertThat(store.find(r.key())).isEmpty();
    }

    @Test
    void rekeyMovesTheSessionAtomically() {
        SessionRecord r = fullRecord("alice", T0);
        store.insert(r);
        SessionRecord moved = r.withKey(randomKey()).withCsrfSecret("bmV3LXNlY3JldA").withElevation(null).withVersion(2);
        assertThat(store.rekey(r.key(), moved, 1)).isTrue();
        assertThat(store.find(r.key())).as("old key must be dead").isEmpty();
        assertThat(store.find(moved.key())).contains(moved);
        assertThat(store.findByUser("alice")).containsExactly(moved);
    }

    @Test
    void rekeyWithStaleVersionChangesNothing() {
        SessionRecord r = fullRecord("alice", T0);
        store.insert(r);
        SessionRecord moved = r.withKey(randomKey()).withVersion(6);
        assertThat(store.rekey(r.key(), moved, 5)).isFalse();
        assertThat(store.find(r.key())).contains(r);
        assertThat(store.find(moved.key())).isEmpty();
        assertThat(store.rekey(randomKey(), moved, 1)).as("missing session").isFalse();
    }

    @Test
    void touchMovesActivityForwardWithoutChangingTheVersion() {
        SessionRecord r = fullRecord("alice", T0);
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

    @Test
    void touchIsCappedByTheStoredAbsoluteExpiry() {
        SessionRecord r = fullRecord("alice", T0);
        store.insert(r);
        // another writer extended the session after this caller read it
        SessionRecord extended = r.withTimes(r.lastActivityAt(), r.expiresAt(), r.absoluteExpiresAt().plusSeconds(7200))
                .withVersion(2);
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

    @Test
    void touchNeverMovesActivityBackwards() {
        SessionRecord r = fullRecord("alice", T0);
        store.insert(r);
        assertThat(store.touch(r.key(), r.lastActivityAt().minusSeconds(30), r.expiresAt().minusSeconds(30))).isFalse();
        assertThat(store.touch(r.key(), r.lastActivityAt(), r.expiresAt().minusSeconds(30))).isFalse();
        assertThat(store.find(r.key())).contains(r);
    }

    @Test
    void touchOfMissingSessionChangesNothingAndSaysSo() {
        assertThat(store.touch(randomKey(), T0, T0.plusSeconds(60))).isFalse();
        assertThat(store.findByUser("alice")).isEmpty();
    }

    @Test
    void deleteRemovesOnce() {
        SessionRecord r = fullRecord("alice", T0);
        store.insert(r);
        assertThat(store.delete(r.key(), InvalidationReason.LOGOUT)).isTrue();
        assertThat(store.find(r.key())).isEmpty();
        assertThat(store.delete(r.key(), InvalidationReason.LOGOUT)).isFalse();
    }

    @Test
    void findByUserReturnsOnlyThatUsersSessions() {
        SessionRecord a1 = fullRecord("alice", T0);
        SessionRecord a2 = minimalRecord("alice", T0.plusSeconds(10));
        SessionRecord b = fullRecord("bob", T0);
        store.insert(a1);
        store.insert(a2);
        store.insert(b);
        assertThat(store.findByUser("alice")).containsExactlyInAnyOrder(a1, a2);
        assertThat(store.findByUser("bob")).containsExactly(b);
        assertThat(store.findByUser("carol")).isEmpty();
    }

    @Test
    void userIdsAreMatchedExactly() {
        SessionRecord lower = minimalRecord("alice", T0);
        SessionRecord upper = minimalRecord("ALICE", T0);
        SessionRecord padded = minimalRecord("alice ", T0);
        store.insert(lower);
        store.insert(upper);
        store.insert(padded);
        assertThat(store.findByUser("alice")).containsExactly(lower);
        assertThat(store.findByUser("ALICE")).containsExactly(upper);
    }

    @Test
    void deleteExpiredRemovesOnlyExpiredSessionsInBoundedBatches() {
        Instant now = T0;
        List<SessionRecord> expired = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            SessionRecord r = minimalRecord("u" + i, now.minusSeconds(i + 1));
            expired.add(r);
            store.insert(r);
        }
        SessionRecord atBoundary = minimalRecord("edge", now);
        SessionRecord live = minimalRecord("live", now.plusMillis(1));
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

    @Test
    void countsLiveSessionsByPlatformType() {
        store.insert(fullRecord("alice", T0));
        store.insert(fullRecord("bob", T0));
        store.insert(minimalRecord("carol", T0.plusSeconds(60)));
        store.insert(minimalRecord("dave", T0.minusSeconds(1)));
        Map<String, Long> counts = store.countActiveByPlatformType(T0);
        assertThat(counts).containsEntry("mastodon", 2L).containsEntry("", 1L);
        assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(3);
    }

    @Test
    void concurrentCompareAndSetLosesNoUpdate() throws Exception {
        SessionRecord r = minimalRecord("alice", T0.plusSeconds(3600));
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

    @Test
    void findReturnsACompleteSnapshot() {
        SessionRecord r = fullRecord("alice", T0);
        store.insert(r);
        Optional<SessionRecord> found = store.find(r.key());
        assertThat(found).isPresent();
        assertThat(found.get().attributes().get("draft").expiresAt()).isEqualTo(r.attributes().get("draft").expiresAt());
        assertThat(found.get().attributes().get("oauth").sealed()).isTrue();
        assertThat(found.get().client()).isEqualTo(r.client());
        assertThat(found.get().elevation()).isEqualTo(r.elevation());
    }
}
