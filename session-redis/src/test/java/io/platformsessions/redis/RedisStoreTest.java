package io.platformsessions.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.platformsessions.ActivePlatform;
import io.platformsessions.InvalidationReason;
import io.platformsessions.SessionKey;
import io.platformsessions.SessionStoreException;
import io.platformsessions.spi.SessionRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Redis-specific behaviour on a single node (the shared server): native TTLs on the real clock, exactly-once
 * expiry claims, the self-cleaning user index, the archive stream, round trips per operation, foreign data
 * under the prefix, and NOSCRIPT recovery.
 */
class RedisStoreTest {
    private static final TestRedis.Target REDIS = TestRedis.Target.SINGLE;
    private final List<RedisSessionStore> stores = new ArrayList<>();

    private RedisSessionStore open(RedisSessionStore.Builder builder) {
        RedisSessionStore s = builder.build();
        stores.add(s);
        return s;
    }

    private RedisSessionStore store() {
        return open(REDIS.builder());
    }

    @AfterEach
    void cleanUp() {
        for (RedisSessionStore s : stores) {
            s.close();
            REDIS.deleteKeys(s.keyPrefix());
        }
    }

    private static RedisClusterCommands<String, String> redis() {
        return REDIS.commands();
    }

    @Test
    void eachRequestOperationIsOneRoundTrip() {
        RedisSessionStore store = store();
        Instant now = Instant.now();
        SessionRecord warm = SampleSessions.typical("warm", now);
        // first use of each script on the server costs an extra round trip (NOSCRIPT, then EVAL): warm them up
        store.insertAndCountLive(warm, now);
        store.touch(warm.key(), now.plusSeconds(1), now.plusSeconds(1800));
        store.update(warm.withVersion(2), 1);
        store.rekey(warm.key(), warm.withKey(SampleSessions.randomKey()).withVersion(3), 2);
        store.findByUser("warm");
        store.delete(SampleSessions.randomKey(), InvalidationReason.LOGOUT, Instant.now());
        store.deleteExpired(now, 10);
        store.countActiveByPlatformType(now);

        SessionRecord r = SampleSessions.typical("alice", now);
        assertThat(roundTrips(store, () -> store.insertAndCountLive(r, now))).as("create").isEqualTo(1);
        assertThat(roundTrips(store, () -> store.find(r.key()))).as("find (request, cache off)").isEqualTo(1);
        assertThat(roundTrips(store, () -> store.touch(r.key(), now.plusSeconds(60), now.plusSeconds(1860))))
                .as("touch").isEqualTo(1);
        SessionRecord switched = r.withPlatform(new ActivePlatform(8, "a@pixelfed.social", "pixelfed",
                "https://pixelfed.social")).withVersion(2);
        assertThat(roundTrips(store, () -> store.update(switched, 1))).as("update (switch)").isEqualTo(1);
        SessionRecord rotated = switched.withKey(SampleSessions.randomKey()).withVersion(3);
        assertThat(roundTrips(store, () -> store.rekey(r.key(), rotated, 2))).as("rekey").isEqualTo(1);
        assertThat(roundTrips(store, () -> store.findByUser("alice"))).as("findByUser").isEqualTo(1);
        assertThat(roundTrips(store, () -> store.delete(rotated.key(), InvalidationReason.LOGOUT, Instant.now()))).as("delete")
                .isEqualTo(1);
        assertThat(roundTrips(store, () -> store.countActiveByPlatformType(now))).as("count").isEqualTo(1);
        assertThat(roundTrips(store, () -> store.deleteExpired(now.plus(Duration.ofDays(1)), 100)))
                .as("deleteExpired").isEqualTo(2);
    }

    static long roundTrips(RedisSessionStore store, Callable<?> operation) {
        long before = store.roundTrips();
        try {
            operation.call();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return store.roundTrips() - before;
    }

    @Test
    void sessionsVanishAtTheirExpiryAndAreClaimedExactlyOnce() throws Exception {
        RedisSessionStore a = store();
        RedisSessionStore b = open(REDIS.builder().keyPrefix(a.keyPrefix()));
        Instant now = Instant.now();
        List<SessionRecord> records = new ArrayList<>();
        Instant expiry = now.plusMillis(1500);
        for (int i = 0; i < 60; i++) {
            SessionRecord r = SampleSessions.minimal("u" + (i % 7), expiry);
            records.add(r);
            a.insert(r);
        }
        SessionRecord live = SampleSessions.minimal("u0", now.plusSeconds(600));
        a.insert(live);
        assertThat(a.find(records.get(0).key())).isPresent();
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), expiry).toMillis()) + 300);
        for (SessionRecord r : records) {
            assertThat(a.find(r.key())).as("Redis dropped it by TTL").isEmpty();
        }
        // two nodes cleaning at once: each expired session is counted by exactly one of them
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Instant later = Instant.now();
            Callable<Integer> drainA = () -> drain(a, later);
            Callable<Integer> drainB = () -> drain(b, later);
            Future<Integer> fa = pool.submit(drainA);
            Future<Integer> fb = pool.submit(drainB);
            assertThat(fa.get() + fb.get()).isEqualTo(records.size());
        } finally {
            pool.shutdownNow();
        }
        assertThat(a.deleteExpired(Instant.now(), 100)).isZero();
        assertThat(a.find(live.key())).contains(live);
        assertThat(a.findByUser("u0")).containsExactly(live);
    }

    private static int drain(RedisSessionStore s, Instant now) {
        int total = 0;
        int n;
        do {
            n = s.deleteExpired(now, 7);
            total += n;
        } while (n == 7);
        return total;
    }

    @Test
    void withRetentionAnExpiredSessionStaysReadableUntilCleanupDeletesAndArchivesIt() {
        RedisSessionStore store = open(REDIS.builder().expiredRetention(Duration.ofMinutes(5))
                .archiveEndedSessions(true));
        Instant now = Instant.now();
        SessionRecord idle = SampleSessions.minimal("alice", now.minusSeconds(1)); // idle-expired, absolute in an hour
        store.insert(idle);
        assertThat(store.find(idle.key())).as("kept for the retention").contains(idle);
        long ttl = redis().pttl(store.keyPrefix() + "s:{" + idle.key().hex().substring(0, 2) + "}:" + idle.key().hex());
        assertThat(ttl).isBetween(Duration.ofMinutes(4).toMillis(), Duration.ofMinutes(5).toMillis());

        assertThat(store.deleteExpired(now, 10)).isEqualTo(1);
        assertThat(store.find(idle.key())).isEmpty();
        assertThat(store.findByUser("alice")).isEmpty();
        List<StreamMessage<String, String>> archive = redis().xrange(store.archiveStream(), Range.create("-", "+"));
        assertThat(archive).hasSize(1);
        Map<String, String> entry = archive.get(0).getBody();
        assertThat(entry).containsEntry("reason", "IDLE_TIMEOUT").containsEntry("k", idle.key().hex())
                .containsEntry("u", "alice").containsEntry("i", idle.sessionId());
        assertThat(entry).doesNotContainKeys("x", "at0", "el", "eu");
    }

    @Test
    void archiveRecordsLogoutsWithoutSecrets() {
        RedisSessionStore store = open(REDIS.builder().expiredRetention(Duration.ofMinutes(1))
                .archiveEndedSessions(true).archiveMaxLength(1000));
        SessionRecord r = SampleSessions.typical("bob", Instant.now());
        store.insert(r);
        assertThat(store.delete(r.key(), InvalidationReason.LOGOUT, Instant.now())).isTrue();
        Map<String, String> entry = redis().xrange(store.archiveStream(), Range.create("-", "+")).get(0).getBody();
        assertThat(entry).containsEntry("reason", "LOGOUT").containsEntry("pt", "mastodon")
                .containsEntry("cd", "Firefox on Linux").containsKey("ended");
        assertThat(entry).doesNotContainKeys("x", "at0", "el", "eu", "v");
        assertThat(entry.values()).noneMatch(v -> v.contains(r.csrfSecret()) || v.contains("cart"));
    }

    @Test
    void theUserIndexCleansItselfAndExpiresWithItsLastSession() {
        RedisSessionStore store = store();
        Instant now = Instant.now();
        String index = store.keyPrefix() + "u:carol";
        SessionRecord a = SampleSessions.typical("carol", now);
        SessionRecord b = SampleSessions.typical("carol", now);
        store.insert(a);
        store.insert(b);
        assertThat(redis().zcard(index)).isEqualTo(2);
        assertThat(redis().pttl(index)).as("the index expires with its latest session")
                .isBetween(Duration.ofHours(11).toMillis(), Duration.ofHours(12).toMillis());
        store.delete(a.key(), InvalidationReason.LOGOUT, Instant.now());
        assertThat(redis().zcard(index)).isEqualTo(1);
        // a session that vanished without the store (evicted, or dropped by TTL) is dropped by the next reader
        redis().del(store.keyPrefix() + "s:{" + b.key().hex().substring(0, 2) + "}:" + b.key().hex());
        assertThat(store.findByUser("carol")).isEmpty();
        assertThat(redis().zcard(index)).isZero();
    }

    @Test
    void countsFollowPlatformSwitches() {
        RedisSessionStore store = store();
        Instant now = Instant.now();
        SessionRecord r = SampleSessions.typical("dave", now);
        store.insert(r);
        store.insert(SampleSessions.minimal("erin", now.plusSeconds(60)));
        assertThat(store.countActiveByPlatformType(now)).containsEntry("mastodon", 1L).containsEntry("", 1L);
        store.update(r.withPlatform(new ActivePlatform(9, "d@pixelfed.social", "pixelfed", "https://pixelfed.social"))
                .withVersion(2), 1);
        assertThat(store.countActiveByPlatformType(now)).containsEntry("pixelfed", 1L).doesNotContainKey("mastodon");
    }

    @Test
    void foreignDataUnderThePrefixReadsAsNoSessionAndIsCounted() {
        RedisSessionStore store = store();
        Instant now = Instant.now();
        SessionRecord r = SampleSessions.typical("frank", now);
        store.insert(r);
        String hash = store.keyPrefix() + "s:{" + r.key().hex().substring(0, 2) + "}:" + r.key().hex();

        redis().hdel(hash, "x"); // hand-edited: the CSRF secret is missing
        assertThat(store.find(r.key())).isEmpty();
        assertThat(store.findByUser("frank")).isEmpty();
        assertThat(store.malformedEntries()).isEqualTo(2);

        redis().hset(hash, "x", "c2VjcmV0");
        redis().hset(hash, "e", "soon"); // unparsable time
        assertThat(store.find(r.key())).isEmpty();
        assertThat(store.malformedEntries()).isEqualTo(3);

        redis().del(hash);
        redis().set(hash, "not a hash"); // another type
        assertThat(store.find(r.key())).isEmpty();
        assertThat(store.touch(r.key(), now.plusSeconds(60), now.plusSeconds(1800))).isFalse();
        assertThat(store.update(r.withVersion(2), 1)).isFalse();
        assertThat(store.delete(r.key(), InvalidationReason.LOGOUT, Instant.now())).isFalse();
        assertThat(store.findByUser("frank")).isEmpty();
        assertThat(store.malformedEntries()).isEqualTo(5);
        assertThatThrownBy(() -> store.insert(r)).isInstanceOf(SessionStoreException.class)
                .satisfies(e -> assertThat(((SessionStoreException) e).isTransient()).isFalse());

        // an index key of another type is replaced, and counted
        redis().set(store.keyPrefix() + "u:grace", "junk");
        SessionRecord g = SampleSessions.typical("grace", now);
        assertThat(store.insertAndCountLive(g, now)).isEqualTo(1);
        assertThat(store.findByUser("grace")).containsExactly(g);
        assertThat(store.malformedEntries()).isEqualTo(6);

        // a user index listing something that is not a session key
        redis().zadd(store.keyPrefix() + "u:grace", now.plusSeconds(600).toEpochMilli(), "zz-not-hex");
        assertThat(store.findByUser("grace")).containsExactly(g);
    }

    @Test
    void recoversWhenTheServerForgetsItsScripts() {
        RedisSessionStore store = store();
        Instant now = Instant.now();
        SessionRecord r = SampleSessions.typical("heidi", now);
        store.insert(r);
        // the shared server's script cache is emptied; every client reloads on NOSCRIPT (never FLUSHALL/FLUSHDB)
        redis().scriptFlush();
        long loads = store.scriptLoads();
        assertThat(store.update(r.withVersion(2), 1)).isTrue();
        assertThat(store.scriptLoads()).isEqualTo(loads + 1);
        assertThat(roundTrips(store, () -> store.update(r.withVersion(3), 2))).as("loaded again: one round trip")
                .isEqualTo(1);
        assertThat(store.find(r.key()).orElseThrow().version()).isEqualTo(3);
    }

    @Test
    void oversizedAttributesAreRefusedBeforeAnythingIsSent() {
        RedisSessionStore store = open(REDIS.builder().maxAttributesBytes(1024));
        SessionRecord r = SampleSessions.typical("ivan", Instant.now());
        SessionRecord big = r.withAttributes(r.attributes().with("blob",
                new io.platformsessions.spi.StoredAttribute("\"" + "x".repeat(2000) + "\"", null, null)));
        long before = store.roundTrips();
        assertThatThrownBy(() -> store.insert(big)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxAttributesBytes");
        assertThat(store.roundTrips()).isEqualTo(before);
    }

    @Test
    void largeAttributeSetsRoundTrip() {
        RedisSessionStore store = store();
        SessionRecord r = SampleSessions.typical("kim", Instant.now());
        SessionRecord big = r.withAttributes(r.attributes().with("blob", new io.platformsessions.spi.StoredAttribute(
                "\"" + "ü✓".repeat(200_000) + "\"", null, null)));
        store.insert(big);
        assertThat(store.find(big.key())).contains(big);
        SessionRecord medium = big.withAttributes(r.attributes().with("text", new io.platformsessions.spi.StoredAttribute(
                "\"" + "x".repeat(3_000) + "\"", null, null))).withVersion(2);
        assertThat(store.update(medium, 1)).isTrue();
        assertThat(store.find(big.key())).contains(medium);
    }

    @Test
    void usesTheStoreClockForTtls() {
        Instant past = Instant.now().minus(Duration.ofDays(3));
        RedisSessionStore store = open(REDIS.builder().clock(Clock.fixed(past, java.time.ZoneOffset.UTC)));
        SessionRecord r = SampleSessions.typical("judy", past);
        store.insert(r);
        String hash = store.keyPrefix() + "s:{" + r.key().hex().substring(0, 2) + "}:" + r.key().hex();
        assertThat(redis().pttl(hash)).as("30 minutes from the store's now, whatever the wall clock says")
                .isBetween(Duration.ofMinutes(29).toMillis(), Duration.ofMinutes(30).toMillis());
        SessionKey unknown = SampleSessions.randomKey();
        assertThat(store.find(unknown)).isEmpty();
    }
}
