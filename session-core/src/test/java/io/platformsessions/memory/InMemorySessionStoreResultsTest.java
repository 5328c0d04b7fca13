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
 * What the in-memory store's conditional writes answer: {@code true} exactly when they changed
 * something, as the engine relies on. (The full store contract runs in session-store-tck; this is the
 * part session-core's own tests, and so its mutation run, must see.)
 */
class InMemorySessionStoreResultsTest {
    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration IDLE = Duration.ofMinutes(30);

    private static SessionKey newKey() {
        byte[] key = new byte[SessionKey.LENGTH];
        RANDOM.nextBytes(key);
        return SessionKey.ofBytes(key);
    }

    private static SessionRecord session(String user) {
        return SessionRecord.builder().key(newKey()).sessionId("s" + RANDOM.nextLong())
                .owner(new SessionOwner(user, user)).times(SessionTimes.startingAt(T0, IDLE, Duration.ofHours(12)))
                .csrfSecret(CsrfSecrets.newSecret(RANDOM)).build();
    }

    private final InMemorySessionStore store = new InMemorySessionStore();

    @Test
    void updateSucceedsOnlyAtTheExpectedVersion() {
        SessionRecord r = session("alice");
        store.insert(r);
        assertThat(store.update(r.withVersion(2), 2)).as("stale expected version").isFalse();
        assertThat(store.update(r.withVersion(2), 1)).isTrue();
        assertThat(store.find(r.key()).orElseThrow().version()).isEqualTo(2);
        assertThat(store.update(session("alice").withVersion(2), 1)).as("absent").isFalse();
    }

    @Test
    void rekeyMovesTheSessionOnlyAtTheExpectedVersion() {
        SessionRecord r = session("alice");
        store.insert(r);
        SessionRecord moved = r.withKey(newKey()).withVersion(2);
        assertThat(store.rekey(r.key(), moved, 5)).isFalse();
        assertThat(store.find(r.key())).isPresent();
        assertThat(store.rekey(r.key(), moved, 1)).isTrue();
        assertThat(store.find(r.key())).isEmpty();
        assertThat(store.find(moved.key())).contains(moved);
        assertThat(store.rekey(r.key(), moved.withKey(newKey()), 2)).as("old key gone").isFalse();
        assertThat(store.findByUser("alice")).containsExactly(moved);
    }

    @Test
    void touchOnlyMovesActivityForward() {
        SessionRecord r = session("alice");
        store.insert(r);
        Instant later = T0.plusSeconds(60);
        assertThat(store.touch(r.key(), T0, T0.plus(IDLE))).as("not later than stored").isFalse();
        assertThat(store.touch(r.key(), later, later.plus(IDLE))).isTrue();
        assertThat(store.find(r.key()).orElseThrow().lastActivityAt()).isEqualTo(later);
        assertThat(store.find(r.key()).orElseThrow().expiresAt()).isEqualTo(later.plus(IDLE));
        assertThat(store.touch(newKey(), later.plusSeconds(1), later.plus(IDLE))).as("absent").isFalse();
    }

    @Test
    void deleteAnswersWhetherItRemovedSomething() {
        SessionRecord r = session("alice");
        store.insert(r);
        assertThat(store.delete(r.key(), InvalidationReason.LOGOUT, T0)).isTrue();
        assertThat(store.delete(r.key(), InvalidationReason.LOGOUT, T0)).isFalse();
        assertThat(store.findByUser("alice")).isEmpty();
    }

    @Test
    void findByUserFollowsAChangeOfOwner() {
        SessionRecord r = session("alice");
        store.insert(r);
        store.insert(session("bob"));
        assertThat(store.findByUser("alice")).containsExactly(r);
        SessionRecord toCarol = r.toBuilder().owner(new SessionOwner("carol", "Carol")).version(2).build();
        assertThat(store.update(toCarol, 1)).isTrue();
        assertThat(store.findByUser("alice")).isEmpty();
        assertThat(store.findByUser("carol")).containsExactly(toCarol);
        assertThat(store.findByUser("nobody")).isEmpty();
    }
}
