package io.platformsessions.redis;

import static io.platformsessions.redis.BusNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.platformsessions.SessionStoreException;
import io.platformsessions.spi.SessionRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores built from a {@code redis-sentinel://} URI with the change bus on, on a private primary, replica and three
 * sentinels ({@link OwnRedisSentinels}): the primary crashes (SIGKILL) or is switched over ({@code SENTINEL
 * FAILOVER}), and the stores read and write again on the new primary soon after the sentinels report it, fail only
 * transiently meanwhile, keep the sessions written (and replicated) before, and their buses become live again and
 * carry a change from one store to the other. Prints the measured times.
 */
class RedisSentinelFailoverTest {
    private static final Logger LOG = LoggerFactory.getLogger(RedisSentinelFailoverTest.class);
    private static final int SESSIONS = 20;
    /**
     * From the sentinels reporting the new primary (or demoting the old one, after a switchover) to the first
     * successful read and write. After a crash, Lettuce asks the sentinels for the primary at each reconnect attempt,
     * and the attempts' delay doubles (1, 2, 4 ... ms), so the first attempt after the promotion comes up to about
     * as long after it as the outage had lasted: measured 0.5-0.6 s (kill to promotion 2.2-2.4 s with
     * {@code down-after-milliseconds} 1000). After a switchover the sentinels kill the old primary's clients when
     * they demote it, and the reconnect finds the new primary: measured 10-90 ms. 10 s leaves room for a loaded
     * 2-core machine and still fails a store that does not follow the sentinels (the probe gives up after 30 s).
     */
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(10);
    /** How long the probe keeps trying, to measure even a slow recovery. */
    private static final Duration PROBE_FOR = Duration.ofSeconds(30);

    @Test
    void aCrashedPrimarysReplicaServesTheSessionsSoonAfterThePromotion() throws Exception {
        try (OwnRedisSentinels redis = OwnRedisSentinels.launch(); Stores s = new Stores(redis.uri())) {
            List<SessionRecord> written = s.insert(SESSIONS);
            assertThat(redis.primary.on(c -> c.waitForReplication(1, 5000)).orElse(0L))
                    .as("WAIT 1: the replica has every session").isEqualTo(1);
            long resetsA = s.busA.resets();
            long resetsB = s.busB.resets();

            long killedAt = System.nanoTime();
            redis.primary.kill();
            AtomicLong promotedAt = watchPromotion(redis, s.stop);
            SessionRecord probe = written.get(0);
            Recovery r = recover(s.a, probe, killedAt);
            long promoted = promotedAt.get();
            print(String.format("crash: kill -> sentinels report the replica as primary %d ms, kill -> first read+write"
                    + " %s ms, promotion -> that %s ms (%d transient failures before)", ms(promoted - killedAt),
                    r.at == 0 ? "none within " + PROBE_FOR.toMillis() : ms(r.at - killedAt),
                    r.at == 0 ? "-" : ms(r.at - promoted), r.failures));
            assertThat(promoted).as("replica promoted").isNotZero();
            assertThat(r.at).as("served again").isNotZero();
            assertThat(Duration.ofNanos(r.at - promoted)).as("promotion to recovery").isLessThanOrEqualTo(RECOVERY_BOUND);

            for (SessionRecord w : written.subList(1, written.size())) {
                assertThat(s.a.find(w.key())).as("a session written before the crash").contains(w);
            }
            assertThat(s.b.find(probe.key())).as("node B reads A's write on the new primary").contains(r.probe);
            Duration busBack = await(() -> s.busA.isLive() && s.busB.isLive() && s.busA.resets() > resetsA
                    && s.busB.resets() > resetsB, Duration.ofSeconds(15), "both buses live again, and reset");
            print("crash: both buses live again and reset " + ms(System.nanoTime() - killedAt) + " ms after the kill"
                    + " (waited " + busBack.toMillis() + " ms after the first read+write)");
            s.assertChangeReachesB(written.get(1));
        }
    }

    @Test
    void afterASwitchoverWritesGoToTheNewPrimary() throws Exception {
        try (OwnRedisSentinels redis = OwnRedisSentinels.launch(); Stores s = new Stores(redis.uri())) {
            List<SessionRecord> written = s.insert(SESSIONS);
            assertThat(redis.primary.on(c -> c.waitForReplication(1, 5000)).orElse(0L)).isEqualTo(1);
            long resetsB = s.busB.resets();

            long startedAt = System.nanoTime();
            assertThat(redis.onAnySentinel(c -> c.failover(OwnRedisSentinels.MASTER))).contains("OK");
            AtomicLong promotedAt = watchPromotion(redis, s.stop);
            await(() -> promotedAt.get() != 0, Duration.ofSeconds(15), "sentinels report the replica as primary");
            // a session created once the sentinels report the new primary, before they demote the old one
            SessionRecord inWindow = SampleSessions.typical("in-window", Instant.now());
            boolean windowWriteAcked = false;
            try {
                s.a.insert(inWindow);
                windowWriteAcked = true;
            } catch (SessionStoreException e) {
                assertThat(e.isTransient()).as("%s", e).isTrue();
            }
            String windowKey = s.a.keyPrefix() + "s:{" + inWindow.key().hex().substring(0, 2) + "}:"
                    + inWindow.key().hex();
            long onNew = redis.replica.on(c -> c.exists(windowKey)).orElse(-1L);
            // the old primary is demoted by the sentinels (REPLICAOF, then they kill its clients) some time later:
            // until then, writes that reach it are lost when it becomes the new primary's replica
            Duration demoted = await(() -> redis.primary.on(c -> c.info("replication")).orElse("")
                    .contains("role:slave"), Duration.ofSeconds(20), "old primary demoted");
            long demotedAt = System.nanoTime();
            SessionRecord probe = written.get(0);
            Recovery r = recover(s.a, probe, demotedAt);
            print(String.format("switchover: SENTINEL FAILOVER -> sentinels report the new primary %d ms, -> old"
                    + " primary demoted %d ms, demotion -> first read+write %s ms (%d transient failures)",
                    ms(promotedAt.get() - startedAt), ms(demotedAt - startedAt), r.at == 0 ? "none" : ms(r.at
                    - demotedAt), r.failures));
            boolean windowWriteKept = s.a.find(inWindow.key()).isPresent();
            // measured: acknowledged by the old primary and lost (a plain connection on a Sentinel URI asks the
            // sentinels only when it reconnects; the sentinels demote the old primary about 10 s after the promotion
            // and kill its clients only then). Printed, not asserted: docs/redis.md states it.
            print(String.format("switchover: a create after the new primary was reported, before the demotion: "
                    + "acknowledged %s, on the new primary %s, there after the demotion %s", windowWriteAcked,
                    onNew == 1, windowWriteKept));
            assertThat(r.at).as("served again after the switchover").isNotZero();
            assertThat(Duration.ofNanos(r.at - demotedAt)).isLessThanOrEqualTo(RECOVERY_BOUND);
            assertThat(demoted).isNotNull();

            // every write goes to the new primary: a new session is there, on both stores
            SessionRecord created = SampleSessions.typical("after-switchover", Instant.now());
            s.a.insert(created);
            String key = s.a.keyPrefix() + "s:{" + created.key().hex().substring(0, 2) + "}:" + created.key().hex();
            assertThat(redis.replica.on(c -> c.exists(key)).orElse(0L)).as("written on the new primary").isEqualTo(1);
            for (SessionRecord w : written.subList(1, written.size())) {
                assertThat(s.b.find(w.key())).contains(w);
                assertThat(s.b.update(w.withVersion(w.version() + 1), w.version())).as("B writes too").isTrue();
            }
            await(() -> s.busB.isLive() && s.busB.resets() > resetsB, Duration.ofSeconds(15), "B's bus reset");
            s.assertChangeReachesB(created);
        }
    }

    /** Two stores ("node A" and "node B") on one sentinel URI and key prefix, buses live. */
    private static final class Stores implements AutoCloseable {
        final RedisSessionStore a;
        final RedisSessionStore b;
        final RedisChangeBus busA;
        final RedisChangeBus busB;
        final AtomicBoolean stop = new AtomicBoolean();

        Stores(String uri) {
            String prefix = TestRedis.randomPrefix();
            // as a user would build it; 2 s command timeout: the machine is shared and loaded
            a = RedisSessionStore.builder().uri(uri).keyPrefix(prefix).commandTimeout(Duration.ofSeconds(2))
                    .changeBus(true).build();
            b = RedisSessionStore.builder().uri(uri).keyPrefix(prefix).commandTimeout(Duration.ofSeconds(2))
                    .changeBus(true).build();
            busA = (RedisChangeBus) a.changeBus().orElseThrow();
            busB = (RedisChangeBus) b.changeBus().orElseThrow();
            busA.connect(new RedisClusterFailoverTest.IgnoringListener());
            busB.connect(new RedisClusterFailoverTest.IgnoringListener());
            await(() -> busA.isLive() && busB.isLive(), Duration.ofSeconds(15), "both buses live");
        }

        List<SessionRecord> insert(int n) {
            List<SessionRecord> out = new ArrayList<>();
            Instant now = Instant.now();
            for (int i = 0; i < n; i++) {
                SessionRecord r = SampleSessions.typical("user" + i, now);
                a.insert(r);
                out.add(r);
            }
            return out;
        }

        /** A change made on A is heard by B's bus (A writes again until it is: B may still be resubscribing). */
        void assertChangeReachesB(SessionRecord r) throws InterruptedException {
            SessionRecord current = a.find(r.key()).orElseThrow();
            long heard = busB.receivedMessages();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (busB.receivedMessages() == heard && System.nanoTime() < deadline) {
                assertThat(a.update(current.withVersion(current.version() + 1), current.version())).isTrue();
                current = current.withVersion(current.version() + 1);
                Thread.sleep(200);
            }
            assertThat(busB.receivedMessages()).as("B hears a change made on A").isGreaterThan(heard);
        }

        @Override
        public void close() {
            stop.set(true);
            try {
                a.close();
            } finally {
                b.close();
            }
        }
    }

    private record Recovery(long at, int failures, SessionRecord probe) {
    }

    /**
     * Reads and writes {@code probe} on {@code store} until both succeed (or {@link #PROBE_FOR} after {@code from});
     * every failure before must be transient.
     */
    private static Recovery recover(RedisSessionStore store, SessionRecord probe, long from) throws InterruptedException {
        int failures = 0;
        while (System.nanoTime() - from < PROBE_FOR.toNanos()) {
            try {
                SessionRecord found = store.find(probe.key()).orElseThrow();
                SessionRecord next = found.withVersion(found.version() + 1);
                if (store.update(next, found.version())) {
                    return new Recovery(System.nanoTime(), failures, next);
                }
            } catch (SessionStoreException e) {
                failures++;
                assertThat(e.isTransient()).as("a failure during the failover is transient: %s", e).isTrue();
            }
            Thread.sleep(20);
        }
        return new Recovery(0, failures, probe);
    }

    /** Polls the sentinels until all three report the replica as the primary; the time it first held. */
    private static AtomicLong watchPromotion(OwnRedisSentinels redis, AtomicBoolean stop) {
        AtomicLong at = new AtomicLong();
        Thread t = new Thread(() -> {
            while (at.get() == 0 && !stop.get()) {
                if (redis.primaryPortByEachSentinel().stream().allMatch(p -> p == redis.replica.port)) {
                    at.set(System.nanoTime());
                }
                OwnRedisServer.sleep(50);
            }
        }, "promotion-watcher");
        t.setDaemon(true);
        t.start();
        return at;
    }

    private static void print(String figures) {
        LOG.info(figures);
        System.out.println("RedisSentinelFailoverTest " + figures);
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
