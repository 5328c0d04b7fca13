package io.platformsessions.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.platformsessions.CsrfSecrets;
import io.platformsessions.InvalidationReason;
import io.platformsessions.SessionKey;
import io.platformsessions.spi.SessionOwner;
import io.platformsessions.spi.SessionRecord;
import io.platformsessions.spi.SessionTimes;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The in-memory store's cost: it looks only at the sessions a call is about (reliability review R4),
 * counted in stored sessions visited, not timed. Its behaviour is the store contract
 * ({@code session-store-tck}'s {@code InMemorySessionStoreContractTest}).
 */
class InMemorySessionStoreTest {
    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration IDLE = Duration.ofMinutes(30);

    private static SessionRecord session(String user, Instant start) {
        byte[] key = new byte[SessionKey.LENGTH];
        RANDOM.nextBytes(key);
        return SessionRecord.builder().key(SessionKey.ofBytes(key)).sessionId("s" + RANDOM.nextLong())
                .owner(new SessionOwner(user, user)).times(SessionTimes.startingAt(start, IDLE, Duration.ofHours(12)))
                .csrfSecret(CsrfSecrets.newSecret(RANDOM)).build();
    }

    private static InMemorySessionStore storeWithOthers(int others) {
        InMemorySessionStore store = new InMemorySessionStore();
        for (int i = 0; i < others; i++) {
            store.insert(session("user" + i % 1_000, T0.plus(Duration.ofMinutes(10))));
        }
        return store;
    }

    @Test
    void creatingASessionLooksOnlyAtThatUsersSessions() {
        InMemorySessionStore store = storeWithOthers(10_000);
        for (int i = 0; i < 3; i++) {
            store.insert(session("alice", T0));
        }
        long before = store.recordsVisited();
        int live = store.insertAndCountLive(session("alice", T0), T0);
        assertThat(live).isEqualTo(4);
        assertThat(store.recordsVisited() - before).as("alice's 4, not 10,004").isEqualTo(4);
        assertThat(store.findByUser("nobody")).isEmpty();
    }

    @Test
    void cleanupLooksOnlyAtExpiredSessions() {
        InMemorySessionStore store = storeWithOthers(10_000); // idle until T0 + 40 min
        for (int i = 0; i < 5; i++) {
            store.insert(session("alice", T0.minus(IDLE)));   // expired at T0
        }
        Instant now = T0.plusSeconds(1);
        long before = store.recordsVisited();
        assertThat(store.deleteExpired(now, 3)).isEqualTo(3);
        assertThat(store.recordsVisited() - before).as("a batch of 3 visits 3").isEqualTo(3);
        before = store.recordsVisited();
        assertThat(store.deleteExpired(now, 3)).isEqualTo(2);
        assertThat(store.recordsVisited() - before).as("the 2 left and the first live one").isEqualTo(3);
        assertThat(store.size()).isEqualTo(10_000);
        assertThat(store.findByUser("alice")).isEmpty();
    }

    @Test
    void theIndexesFollowUpdatesTouchesRotationsAndDeletes() {
        InMemorySessionStore store = new InMemorySessionStore();
        SessionRecord a = session("alice", T0);
        store.insert(a);
        assertThat(store.touch(a.key(), T0.plus(Duration.ofMinutes(20)), T0.plus(Duration.ofMinutes(50)))).isTrue();
        assertThat(store.deleteExpired(T0.plus(Duration.ofMinutes(40)), 10)).as("touched: expires at +50 min").isZero();
        SessionRecord current = store.find(a.key()).orElseThrow();
        SessionRecord rotated = current.toBuilder().key(session("alice", T0).key()).version(2).build();
        assertThat(store.rekey(a.key(), rotated, 1)).isTrue();
        assertThat(store.findByUser("alice")).containsExactly(rotated);
        assertThat(store.update(rotated.withVersion(3), 2)).isTrue();
        assertThat(store.deleteExpired(T0.plus(Duration.ofMinutes(50)), 10)).isEqualTo(1);
        assertThat(store.findByUser("alice")).isEmpty();
        SessionRecord b = session("bob", T0);
        store.insert(b);
        assertThat(store.delete(b.key(), InvalidationReason.LOGOUT, T0)).isTrue();
        assertThat(store.deleteExpired(T0.plus(Duration.ofDays(1)), 10)).as("nothing left in the expiry order")
                .isZero();
        assertThat(store.size()).isZero();
    }
}
