package io.platformsessions.redis;

import static io.platformsessions.redis.RedisStoreTest.roundTrips;
import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.Range;
import io.platformsessions.ActivePlatform;
import io.platformsessions.InvalidationReason;
import io.platformsessions.spi.SessionRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What differs on a Redis Cluster: round trips, cross-slot rotation, index repair, follow-up archiving. */
class RedisClusterStoreTest {
    private static final TestRedis.Target CLUSTER = TestRedis.Target.CLUSTER;
    private final List<RedisSessionStore> stores = new ArrayList<>();

    private RedisSessionStore open(RedisSessionStore.Builder builder) {
        RedisSessionStore s = builder.build();
        stores.add(s);
        return s;
    }

    @AfterEach
    void cleanUp() {
        for (RedisSessionStore s : stores) {
            s.close();
            CLUSTER.deleteKeys(s.keyPrefix());
        }
    }

    private static String hashKey(RedisSessionStore store, SessionRecord r) {
        return store.keyPrefix() + "s:{" + r.key().hex().substring(0, 2) + "}:" + r.key().hex();
    }

    @Test
    void roundTripsPerOperation() {
        RedisSessionStore store = open(CLUSTER.builder());
        assertThat(store.isCluster()).isTrue();
        Instant now = Instant.now();
        // Load every script on every master: keys land in random buckets, so 64 users miss a master with
        // probability 3 * (2/3)^64, about 1e-11 (3 users missed one in most runs).
        for (int i = 0; i < 64; i++) {
            SessionRecord w = SampleSessions.typical("warm" + i, now);
            store.insertAndCountLive(w, now);
            store.insertAndCountLive(SampleSessions.typical("warm" + i, now), now);
            store.touch(w.key(), now.plusSeconds(1), now.plusSeconds(1800));
            store.update(w.withVersion(2), 1);
            store.rekey(w.key(), w.withKey(SampleSessions.randomKey()).withVersion(3), 2);
            store.findByUser("warm" + i);
            store.delete(SampleSessions.randomKey(), InvalidationReason.LOGOUT, Instant.now());
        }
        store.deleteExpired(now, 10);
        store.countActiveByPlatformType(now);

        SessionRecord first = SampleSessions.typical("alice", now);
        assertThat(roundTrips(store, () -> store.insertAndCountLive(first, now))).as("first create").isEqualTo(2);
        SessionRecord second = SampleSessions.typical("alice", now);
        assertThat(roundTrips(store, () -> store.insertAndCountLive(second, now))).as("create, user has others")
                .isEqualTo(3);
        assertThat(roundTrips(store, () -> store.find(first.key()))).as("find").isEqualTo(1);
        assertThat(roundTrips(store, () -> store.touch(first.key(), now.plusSeconds(60), now.plusSeconds(1860))))
                .as("touch").isEqualTo(1);
        assertThat(roundTrips(store, () -> store.update(first.withVersion(2), 1))).as("update").isEqualTo(1);
        SessionRecord rotated = first.withKey(SampleSessions.randomKey()).withVersion(3);
        assertThat(roundTrips(store, () -> store.rekey(first.key(), rotated, 2))).as("rekey").isEqualTo(2);
        assertThat(roundTrips(store, () -> store.findByUser("alice"))).as("findByUser").isEqualTo(2);
        assertThat(roundTrips(store, () -> store.delete(rotated.key(), InvalidationReason.LOGOUT, Instant.now()))).as("delete")
                .isEqualTo(1);
        assertThat(roundTrips(store, () -> store.countActiveByPlatformType(now))).as("count").isEqualTo(1);
    }

    @Test
    void rotationAcrossSlotsLeavesExactlyOneSessionAndIndexesIt() throws Exception {
        RedisSessionStore store = open(CLUSTER.builder());
        Instant now = Instant.now();
        SessionRecord r = SampleSessions.typical("bob", now);
        store.insert(r);
        SessionRecord moved = r.withKey(SampleSessions.randomKey()).withVersion(2);
        assertThat(store.rekey(r.key(), moved, 1)).isTrue();
        assertThat(store.find(r.key())).isEmpty();
        assertThat(store.findByUser("bob")).containsExactly(moved);
        // a stale rotation leaves nothing behind under the new key
        SessionRecord stale = moved.withKey(SampleSessions.randomKey()).withVersion(2);
        assertThat(store.rekey(moved.key(), stale, 1)).isFalse();
        assertThat(store.find(stale.key())).isEmpty();
        assertThat(store.find(moved.key())).contains(moved);
        Thread.sleep(200); // the best-effort index repairs are asynchronous
        assertThat(CLUSTER.commands().zrange(store.keyPrefix() + "u:bob", 0, -1)).containsExactly(moved.key().hex());
    }

    @Test
    void danglingIndexEntriesAreDroppedByReaders() throws Exception {
        RedisSessionStore store = open(CLUSTER.builder());
        Instant now = Instant.now();
        SessionRecord a = SampleSessions.typical("carol", now);
        SessionRecord b = SampleSessions.typical("carol", now);
        store.insert(a);
        store.insert(b);
        CLUSTER.commands().del(hashKey(store, a)); // vanished behind the store's back
        assertThat(store.findByUser("carol")).containsExactly(b);
        Thread.sleep(200);
        assertThat(CLUSTER.commands().zcard(store.keyPrefix() + "u:carol")).isEqualTo(1);
        assertThat(store.insertAndCountLive(SampleSessions.typical("carol", now), now)).isEqualTo(2);
    }

    @Test
    void expiredSessionsAreClaimedOnceAndArchivedAfterTheDelete() {
        RedisSessionStore store = open(CLUSTER.builder().expiredRetention(Duration.ofMinutes(5))
                .archiveEndedSessions(true));
        RedisSessionStore other = open(CLUSTER.builder().keyPrefix(store.keyPrefix())
                .expiredRetention(Duration.ofMinutes(5)).archiveEndedSessions(true));
        Instant now = Instant.now();
        for (int i = 0; i < 40; i++) {
            store.insert(SampleSessions.minimal("d" + i, now.minusSeconds(1 + i)));
        }
        SessionRecord live = SampleSessions.typical("dave", now);
        store.insert(live);
        store.update(live.withPlatform(new ActivePlatform(3, "d@pixelfed.social", "pixelfed", "https://pixelfed.social"))
                .withVersion(2), 1);
        int total = store.deleteExpired(now, 15) + other.deleteExpired(now, 15) + store.deleteExpired(now, 15)
                + other.deleteExpired(now, 15);
        assertThat(total).isEqualTo(40);
        assertThat(store.countActiveByPlatformType(now)).isEqualTo(Map.of("pixelfed", 1L));
        assertThat(store.delete(live.key(), InvalidationReason.LOGOUT, Instant.now())).isTrue();
        assertThat(CLUSTER.commands().xrange(store.archiveStream(), Range.create("-", "+"))).hasSize(41)
                .allSatisfy(m -> assertThat(m.getBody()).doesNotContainKeys("x", "at0"));
        assertThat(store.archiveFailures()).isZero();
    }
}
