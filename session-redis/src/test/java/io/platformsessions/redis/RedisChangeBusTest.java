package io.platformsessions.redis;

import static io.platformsessions.redis.BusNodes.CLIENT;
import static io.platformsessions.redis.BusNodes.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.platformsessions.AccessLevel;
import io.platformsessions.CreatedSession;
import io.platformsessions.InvalidationReason;
import io.platformsessions.PlatformContext;
import io.platformsessions.SessionKey;
import io.platformsessions.SessionLookup;
import io.platformsessions.SessionManager;
import io.platformsessions.SessionMetrics;
import io.platformsessions.SessionStoreException;
import io.platformsessions.spi.SessionChangeBus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis change bus with several nodes (each its own store instance, connections and bus) on one real Redis, a
 * single node and a cluster: what one node changes, the others stop serving from their caches; the bus is not live
 * (cache bypassed) while its connection is down and resets when it is back; nothing is lost under load; foreign
 * messages are counted and ignored.
 */
class RedisChangeBusTest {
    private static final Logger LOG = LoggerFactory.getLogger(RedisChangeBusTest.class);
    private static final Duration WITHIN = Duration.ofSeconds(5);

    private static PlatformContext active(SessionManager m, String token) {
        SessionLookup l = m.lookup(token, CLIENT);
        assertThat(l.status()).isEqualTo(SessionLookup.Status.ACTIVE);
        return l.context();
    }

    private static SessionLookup.Status status(SessionManager m, String token) {
        return m.lookup(token, CLIENT).status();
    }

    /** Waits until a node shows a change and records how long that took. */
    private static void seen(List<Duration> delays, String what, BooleanSupplier condition) {
        delays.add(await(condition, WITHIN, what));
    }

    @ParameterizedTest
    @EnumSource(TestRedis.Target.class)
    void everyKindOfChangeOnOneNodeIsSeenOnTheOthers(TestRedis.Target target) {
        try (BusNodes n = new BusNodes(target, 3)) {
            n.awaitLive();
            SessionManager a = n.node(0);
            SessionManager b = n.node(1);
            SessionManager c = n.node(2);
            List<Duration> delays = new ArrayList<>();
            CreatedSession s = a.create("alice", CLIENT);
            String token = s.token().value();
            SessionKey key = s.context().key();
            active(b, token);
            active(c, token);
            long trips = n.stores.get(1).roundTrips();
            active(b, token);
            assertThat(n.stores.get(1).roundTrips()).as("b serves its cached copy").isEqualTo(trips);

            a.switchPlatform(key, 2);
            for (SessionManager m : List.of(b, c)) {
                seen(delays, "switch", () -> active(m, token).platform().orElseThrow().id() == 2);
            }
            a.setAttribute(key, "theme", "dark");
            for (SessionManager m : List.of(b, c)) {
                seen(delays, "attribute", () -> m.getAttribute(active(m, token), "theme", String.class)
                        .equals(Optional.of("dark")));
            }
            a.elevate(key, AccessLevel.ADMIN, Duration.ofMinutes(5));
            seen(delays, "elevation", () -> b.isElevated(active(b, token), AccessLevel.ADMIN));

            CreatedSession rotated = a.rotate(key);
            seen(delays, "rotation", () -> status(b, token) == SessionLookup.Status.NOT_FOUND);
            assertThat(active(b, rotated.token().value()).sessionId()).isEqualTo(s.context().sessionId());

            CreatedSession other = a.create("alice", CLIENT);
            active(b, other.token().value());
            assertThat(a.invalidateOthers(rotated.context().key())).isEqualTo(1);
            seen(delays, "invalidateOthers", () -> status(b, other.token().value()) == SessionLookup.Status.NOT_FOUND);
            active(b, rotated.token().value());

            active(c, rotated.token().value());
            assertThat(a.invalidateAll("alice", InvalidationReason.LOGOUT_ALL)).isEqualTo(1);
            for (SessionManager m : List.of(b, c)) {
                seen(delays, "invalidateAll", () -> status(m, rotated.token().value()) == SessionLookup.Status.NOT_FOUND);
            }

            CreatedSession bob = b.create("bob", CLIENT);
            active(a, bob.token().value());
            active(c, bob.token().value());
            b.invalidate(bob.context().key(), InvalidationReason.LOGOUT);
            for (SessionManager m : List.of(a, c)) {
                seen(delays, "logout", () -> status(m, bob.token().value()) == SessionLookup.Status.NOT_FOUND);
            }

            assertThat(n.bus(1).receivedMessages()).as("b heard a's six announcements").isGreaterThanOrEqualTo(6);
            assertThat(n.bus(0).receivedMessages()).as("a heard only b's logout, never its own").isEqualTo(1);
            assertThat(n.bus(1).malformedMessages()).isZero();
            Collections.sort(delays);
            LOG.info("{}: {} changes seen on another node after at most {} (median {})", target, delays.size(),
                    delays.get(delays.size() - 1), delays.get(delays.size() / 2));
        }
    }

    @ParameterizedTest
    @EnumSource(TestRedis.Target.class)
    void manyWritesInFlightLoseNoAnnouncement(TestRedis.Target target) throws Exception {
        int threads = 8;
        int sessionsPerThread = 4;
        int writesPerThread = 250;
        try (BusNodes n = new BusNodes(target, 2)) {
            n.awaitLive();
            SessionManager a = n.node(0);
            SessionManager b = n.node(1);
            List<CreatedSession> sessions = new ArrayList<>();
            for (int i = 0; i < threads * sessionsPerThread; i++) {
                CreatedSession s = a.create("user" + i, CLIENT);
                sessions.add(s);
                active(b, s.token().value());
            }
            long before = n.bus(1).receivedMessages();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                List<CreatedSession> mine = sessions.subList(t * sessionsPerThread, (t + 1) * sessionsPerThread);
                done.add(pool.submit(() -> {
                    for (int w = 0; w < writesPerThread; w++) {
                        a.setAttribute(mine.get(w % mine.size()).context().key(), "n", w);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            int writes = threads * writesPerThread;
            await(() -> n.bus(1).receivedMessages() - before == writes, WITHIN,
                    "b received all " + writes + " announcements");
            assertThat(n.bus(1).receivedMessages() - before).as("none lost, none twice").isEqualTo(writes);
            assertThat(n.bus(1).isLive()).isTrue();
            for (int i = 0; i < sessions.size(); i++) {
                int j = i % sessionsPerThread;
                int last = j + sessionsPerThread * ((writesPerThread - 1 - j) / sessionsPerThread);
                PlatformContext ctx = active(b, sessions.get(i).token().value());
                assertThat(b.getAttribute(ctx, "n", Integer.class)).contains(last);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestRedis.Target.class)
    void foreignAndMalformedMessagesAreCountedAndIgnored(TestRedis.Target target) {
        try (BusNodes n = new BusNodes(target, 2)) {
            n.awaitLive();
            SessionManager a = n.node(0);
            SessionManager b = n.node(1);
            CreatedSession s = a.create("alice", CLIENT);
            String token = s.token().value();
            active(b, token);
            String hex = s.context().key().hex();
            String channel = target == TestRedis.Target.CLUSTER ? n.prefix + "bus:{" + hex.substring(0, 2) + "}"
                    : n.prefix + "bus";
            List<String> bad = List.of("hello", "", "1 0123456789abcdef " + hex + " 0",
                    "2 0123456789abcdef " + hex + " 5", "1 0123456789ABCDEF " + hex + " 5",
                    "1 0123456789abcdef " + hex.substring(1) + " 5", "1 0123456789abcdef " + hex + " 99999999999999999999",
                    "1 0123456789abcdef " + hex + " 5 extra", "x".repeat(10_000));
            for (String m : bad) {
                publish(target, channel, m);
            }
            await(() -> n.bus(1).malformedMessages() == bad.size(), WITHIN, "b counted every malformed message");
            assertThat(n.bus(1).isLive()).isTrue();
            assertThat(active(b, token).version()).isEqualTo(s.context().version());
            long trips = n.stores.get(1).roundTrips();
            active(b, token);
            assertThat(n.stores.get(1).roundTrips()).as("b's copy was not dropped").isEqualTo(trips);

            // a well-formed announcement from a node b does not know is applied like any other: b drops its copy
            publish(target, channel, "1 0123456789abcdef " + hex + " -1");
            await(() -> n.bus(1).receivedMessages() == 1, WITHIN, "b received the announcement");
            long tripsAfter = n.stores.get(1).roundTrips();
            active(b, token);
            assertThat(n.stores.get(1).roundTrips()).as("b reads the store again").isGreaterThan(tripsAfter);
        }
    }

    private static void publish(TestRedis.Target target, String channel, String message) {
        String command = target == TestRedis.Target.CLUSTER ? "SPUBLISH" : "PUBLISH";
        target.commands().eval("return redis.call('" + command + "', KEYS[1], ARGV[1])", ScriptOutputType.INTEGER,
                new String[] {channel}, message);
    }

    @ParameterizedTest
    @EnumSource(TestRedis.Target.class)
    void killedPubSubConnectionsAreNotLiveThenReconnectAndResetByThemselves(TestRedis.Target target) {
        try (BusNodes n = new BusNodes(target, 2)) {
            n.awaitLive();
            SessionManager a = n.node(0);
            SessionManager b = n.node(1);
            RedisChangeBus bus = n.bus(1);
            CreatedSession s = a.create("alice", CLIENT);
            String token = s.token().value();
            active(b, token);
            long busResets = bus.resets();
            long engineResets = b.metrics().busResets();

            List<String> killed = killClients(target, bus.clientName());
            assertThat(killed).as("the bus's pub/sub connection(s)").isNotEmpty();
            a.setAttribute(s.context().key(), "during", "outage"); // its announcement may or may not reach b
            await(() -> bus.resets() > busResets && bus.isLive(), WITHIN, "b's bus went down, came back and reset");
            assertThat(b.metrics().busResets()).isGreaterThan(engineResets);
            assertThat(b.getAttribute(active(b, token), "during", String.class)).contains("outage");
            await(() -> !clientIds(target, bus.clientName()).isEmpty(), WITHIN, "reconnected under the same name");
            assertThat(clientIds(target, bus.clientName())).as("new connections").doesNotContainAnyElementsOf(killed);

            a.invalidate(s.context().key(), InvalidationReason.LOGOUT);
            await(() -> status(b, token) == SessionLookup.Status.NOT_FOUND, WITHIN, "announcements flow again");
        }
    }

    /** The Redis servers of the target: the single node, or every node of the cluster. */
    private static List<String> servers(TestRedis.Target target) {
        if (target == TestRedis.Target.SINGLE) {
            return List.of(target.uri());
        }
        List<String> out = new ArrayList<>();
        for (String line : target.commands().clusterNodes().split("\n")) {
            String[] f = line.split(" ");
            if (f.length > 2) {
                out.add("redis://" + f[1].substring(0, f[1].indexOf('@')));
            }
        }
        return out;
    }

    /** Runs {@code action} on a plain connection to each server; each result is prefixed with the server's URI. */
    private static List<String> onEachServer(TestRedis.Target target,
                                             java.util.function.Function<RedisCommands<String, String>, List<String>> action) {
        List<String> out = new ArrayList<>();
        for (String uri : servers(target)) {
            RedisClient client = RedisClient.create(uri);
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                action.apply(c.sync()).forEach(r -> out.add(uri + "/" + r));
            } finally {
                client.shutdown();
            }
        }
        return out;
    }

    /** Ids ({@code server/id}) of the connections named {@code name}: only connections this test's nodes made. */
    private static List<String> clientIds(TestRedis.Target target, String name) {
        return onEachServer(target, c -> idsNamed(c, name));
    }

    private static List<String> idsNamed(RedisCommands<String, String> c, String name) {
        List<String> ids = new ArrayList<>();
        for (String line : c.clientList().split("\n")) {
            if (line.contains(" name=" + name + " ")) {
                ids.add(line.substring(3, line.indexOf(' ')));
            }
        }
        return ids;
    }

    /** Kills the connections named {@code name} (CLIENT KILL ID, one by one) and returns their ids. */
    private static List<String> killClients(TestRedis.Target target, String name) {
        return onEachServer(target, c -> {
            List<String> ids = idsNamed(c, name);
            for (String id : ids) {
                c.clientKill(KillArgs.Builder.id(Long.parseLong(id)));
            }
            return ids;
        });
    }

    @Test
    void whileRedisIsDownTheCacheIsBypassedAndAfterARestartTheNodeResets() throws Exception {
        try (OwnRedisServer server = OwnRedisServer.launch()) {
            String uri = "redis://127.0.0.1:" + server.port;
            RedisSessionStore storeA = RedisSessionStore.builder().uri(uri).changeBus(true).build();
            RedisSessionStore storeB = RedisSessionStore.builder().uri(uri).changeBus(true).build();
            try (SessionManager a = SessionManager.builder(storeA).build();
                 SessionManager b = SessionManager.builder(storeB).build()) {
                RedisChangeBus bus = (RedisChangeBus) storeB.changeBus().orElseThrow();
                await(bus::isLive, WITHIN, "bus live");
                CreatedSession s = a.create("alice", CLIENT);
                active(b, s.token().value());

                server.stop();
                await(() -> !bus.isLive(), WITHIN, "bus not live while Redis is down");
                assertThatThrownBy(() -> b.lookup(s.token().value(), CLIENT))
                        .as("the cached copy is not served: the lookup goes to the store, which is down")
                        .isInstanceOf(SessionStoreException.class);

                server.start(); // no persistence: every session is gone
                await(bus::isLive, Duration.ofSeconds(15), "bus live again after the restart");
                await(() -> {
                    try {
                        return status(b, s.token().value()) == SessionLookup.Status.NOT_FOUND;
                    } catch (SessionStoreException e) {
                        return false; // the store's own connection may still be reconnecting
                    }
                }, WITHIN, "b reads the restarted (empty) Redis, not its old copy");
            } finally {
                storeA.close();
                storeB.close();
            }
        }
    }

    @Test
    void aServerThatStopsAnsweringWithoutDisconnectingFailsTheHeartbeat() throws Exception {
        try (OwnRedisServer server = OwnRedisServer.launch("--enable-debug-command", "yes")) {
            RedisSessionStore store = RedisSessionStore.builder().uri(server.uri()).changeBus(true).build();
            try (SessionManager m = SessionManager.builder(store).build()) {
                RedisChangeBus bus = (RedisChangeBus) store.changeBus().orElseThrow();
                await(() -> bus.resets() == 1, WITHIN, "bus live");
                long resets = bus.resets();
                Thread sleeper = new Thread(() -> {
                    try {
                        server.command("DEBUG SLEEP 4"); // the connection stays up, nothing is answered
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                sleeper.start();
                await(() -> !bus.isLive(), WITHIN, "heartbeat overdue: not live"); // (the store is blocked too)
                sleeper.join();
                await(() -> bus.resets() == resets + 1, WITHIN, "heartbeat answered again: live and reset");
                assertThat(bus.isLive()).isTrue();
            } finally {
                store.close();
            }
        }
    }

    @Test
    void anAclUserNeedsTheBusChannelsAndNothingElse() throws Exception {
        String prefix = TestRedis.randomPrefix();
        try (OwnRedisServer server = OwnRedisServer.launch("--user", "app", "on", ">s3cret", "~" + prefix + "*",
                "&" + prefix + "bus*", "+@all", "-@dangerous", "--user", "default", "off")) {
            RedisSessionStore storeA = RedisSessionStore.builder().uri(server.uri()).keyPrefix(prefix).username("app")
                    .password("s3cret").changeBus(true).build();
            RedisSessionStore storeB = RedisSessionStore.builder().uri(server.uri()).keyPrefix(prefix).username("app")
                    .password("s3cret").changeBus(true).build();
            try (SessionManager a = SessionManager.builder(storeA).build();
                 SessionManager b = SessionManager.builder(storeB).build()) {
                RedisChangeBus bus = (RedisChangeBus) storeB.changeBus().orElseThrow();
                await(() -> bus.resets() == 1, WITHIN, "bus live");
                CreatedSession s = a.create("alice", CLIENT);
                active(b, s.token().value());
                a.invalidate(s.context().key(), InvalidationReason.LOGOUT);
                await(() -> status(b, s.token().value()) == SessionLookup.Status.NOT_FOUND, WITHIN, "b saw the logout");
            } finally {
                storeA.close();
                storeB.close();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestRedis.Target.class)
    void messagesCarryOnlyTheNodeTheKeyHashAndTheVersion(TestRedis.Target target) {
        List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        io.lettuce.core.AbstractRedisClient client = target == TestRedis.Target.CLUSTER
                ? io.lettuce.core.cluster.RedisClusterClient.create(target.uri()) : RedisClient.create(target.uri());
        try (BusNodes n = new BusNodes(target, 2)) {
            n.awaitLive();
            io.lettuce.core.pubsub.StatefulRedisPubSubConnection<String, String> raw =
                    client instanceof RedisClient c ? c.connectPubSub()
                            : ((io.lettuce.core.cluster.RedisClusterClient) client).connectPubSub();
            raw.addListener(new io.lettuce.core.pubsub.RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    heard.add(message);
                }

                @Override
                public void smessage(String channel, String message) {
                    heard.add(message);
                }
            });
            SessionManager a = n.node(0);
            CreatedSession s = a.create("alice", CLIENT);
            String hex = s.context().key().hex();
            if (target == TestRedis.Target.CLUSTER) {
                raw.sync().ssubscribe(n.prefix + "bus:{" + hex.substring(0, 2) + "}");
            } else {
                raw.sync().subscribe(n.prefix + "bus");
            }
            PlatformContext ctx = a.setAttribute(s.context().key(), "plain", "value-7f3a");
            String csrf = a.csrfToken(ctx);
            a.elevate(s.context().key(), AccessLevel.ADMIN, Duration.ofMinutes(5));
            a.invalidate(s.context().key(), InvalidationReason.LOGOUT);
            await(() -> heard.size() == 3, WITHIN, "three announcements");
            String node = n.bus(0).nodeId();
            assertThat(heard).containsExactly("1 " + node + " " + hex + " 2", "1 " + node + " " + hex + " 3",
                    "1 " + node + " " + hex + " -1");
            assertThat(String.join("\n", heard)).doesNotContain(s.token().value()).doesNotContain(csrf)
                    .doesNotContain("value-7f3a").doesNotContain("alice");
            raw.close();
        } finally {
            client.shutdown();
        }
    }

    @Test
    void aShardChannelWhoseSlotMovesIsSubscribedAtItsNewOwnerAndTheNodeResets() throws Exception {
        try (OwnRedisCluster cluster = OwnRedisCluster.launch(3, 0, "--cluster-node-timeout", "2000")) {
            String prefix = TestRedis.randomPrefix();
            String seed = cluster.uris().get(0);
            RedisSessionStore store = RedisSessionStore.builder().clusterUris(seed).keyPrefix(prefix).changeBus(true)
                    .build();
            RedisClient admin = RedisClient.create(seed);
            try (SessionManager m = SessionManager.builder(store).build();
                 StatefulRedisConnection<String, String> c = admin.connect()) {
                RedisChangeBus bus = (RedisChangeBus) store.changeBus().orElseThrow();
                await(() -> bus.resets() == 1, WITHIN, "bus live");
                int slot = (int) (long) c.sync().clusterKeyslot(prefix + "bus:{00}");
                String owner = null;
                String other = null;
                for (OwnRedisCluster.Node node : cluster.nodes()) {
                    if (node.owns(slot)) {
                        owner = node.id();
                    } else if (other == null) {
                        other = node.id();
                    }
                }
                // an empty slot changes owner (no keys to migrate); the old owner unsubscribes its subscribers
                String to = other;
                cluster.onEach(cmd -> "OK".equals(cmd.clusterSetSlotNode(slot, to)));
                // at least one more reset (a loaded machine may also miss a heartbeat meanwhile: another reset)
                await(() -> bus.resets() >= 2 && bus.isLive(), Duration.ofSeconds(30),
                        "resubscribed at the new owner, reset");
                String hex = "00" + "ab".repeat(31);
                cluster.onEach(cmd -> { // only the slot's new owner accepts it (the others answer MOVED)
                    cmd.eval("return redis.call('SPUBLISH', KEYS[1], ARGV[1])", ScriptOutputType.INTEGER,
                            new String[] {prefix + "bus:{00}"}, "1 0123456789abcdef " + hex + " 7");
                    return true;
                });
                await(() -> bus.receivedMessages() == 1, WITHIN, "an announcement from the new owner arrives");
                assertThat(owner).isNotNull();
            } finally {
                store.close();
                admin.shutdown();
            }
        }
    }

    @Test
    void aNodeThatCannotKeepUpIsDisconnectedByRedisInsteadOfQueuingAndRecovers() throws Exception {
        try (OwnRedisServer server = OwnRedisServer.launch("--client-output-buffer-limit", "pubsub 256kb 128kb 1")) {
            RedisSessionStore store = RedisSessionStore.builder().uri(server.uri()).keyPrefix("q:").changeBus(true)
                    .build();
            RedisClient admin = RedisClient.create(server.uri());
            RedisChangeBus bus = (RedisChangeBus) store.changeBus().orElseThrow();
            java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
            SessionChangeBus.Connection slow = bus.connect(new SessionChangeBus.Listener() {
                @Override
                public void onChange(SessionChangeBus.Change change) {
                    if (first.getAndSet(false)) {
                        try {
                            Thread.sleep(3000); // a node that falls behind: the bus's thread is held
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }

                @Override
                public void onReset(String why) {
                }
            });
            try (StatefulRedisConnection<String, String> c = admin.connect()) {
                await(() -> bus.resets() == 1, WITHIN, "bus live");
                List<String> before = idsNamed(c.sync(), bus.clientName());
                assertThat(before).hasSize(1);
                c.sync().publish("q:bus", "1 0123456789abcdef " + "ab".repeat(32) + " 5");
                String junk = "x".repeat(10_000);
                for (int i = 0; i < 2_000; i++) {
                    c.async().publish("q:bus", junk); // 20 MB for a subscriber that reads nothing for 3 s
                }
                await(() -> bus.resets() == 2, Duration.ofSeconds(20), "disconnected by Redis, reconnected, reset");
                assertThat(bus.isLive()).isTrue();
                await(() -> idsNamed(c.sync(), bus.clientName()).size() == 1, WITHIN, "named again");
                assertThat(idsNamed(c.sync(), bus.clientName())).as("Redis closed the connection that fell behind")
                        .doesNotContainAnyElementsOf(before);
                assertThat(bus.malformedMessages()).as("what Redis dropped with the connection never arrived")
                        .isLessThan(2_000);
            } finally {
                slow.close();
                store.close();
                admin.shutdown();
            }
        }
    }

    @Test
    void redisDownAtStartupDoesNotStopTheNodeAndTheBusConnectsLater() throws Exception {
        int port = OwnRedisServer.freePort();
        RedisSessionStore store = RedisSessionStore.builder().uri("redis://127.0.0.1:" + port)
                .connectTimeout(Duration.ofMillis(200)).changeBus(true).build();
        try (SessionManager m = SessionManager.builder(store).build()) {
            RedisChangeBus bus = (RedisChangeBus) store.changeBus().orElseThrow();
            assertThat(bus.isLive()).isFalse();
            Thread.sleep(1500); // a failed retry or two
            try (OwnRedisServer server = OwnRedisServer.launchOn(port)) {
                await(() -> bus.resets() == 1, Duration.ofSeconds(15), "bus connects once Redis is up, and resets");
                assertThat(bus.isLive()).isTrue();
                await(() -> {
                    try {
                        return m.metrics().cacheState() == SessionMetrics.CacheState.BUS_LIVE;
                    } catch (SessionStoreException e) {
                        return false; // the store's own connection retries at most once a second
                    }
                }, WITHIN, "the engine serves from its cache again");
                store.close();
                assertThat(bus.isLive()).isFalse();
            }
        } finally {
            store.close();
        }
    }

    @Test
    void closingTheLastEngineReleasesThePubSubConnection() {
        TestRedis.Target target = TestRedis.Target.SINGLE;
        try (BusNodes n = new BusNodes(target, 1)) {
            n.awaitLive();
            String name = n.bus(0).clientName();
            assertThat(clientIds(target, name)).hasSize(1);
            n.node(0).close();
            await(() -> clientIds(target, name).isEmpty(), WITHIN, "the pub/sub connection is closed");
            assertThat(n.bus(0).isLive()).isFalse();
        }
    }

    @Test
    void twoEnginesOnOneStoreHearEachOtherInProcess() {
        TestRedis.Target target = TestRedis.Target.SINGLE;
        try (BusNodes n = new BusNodes(target, 1)) {
            n.awaitLive();
            SessionManager a = n.node(0);
            try (SessionManager twin = SessionManager.builder(n.stores.get(0)).build()) {
                CreatedSession s = a.create("alice", CLIENT);
                active(twin, s.token().value());
                a.invalidate(s.context().key(), InvalidationReason.LOGOUT);
                assertThat(status(twin, s.token().value())).isEqualTo(SessionLookup.Status.NOT_FOUND);
            }
        }
    }

    @Test
    void theBusNeedsAClientAndIsOffByDefault() {
        String uri = TestRedis.Target.SINGLE.uri();
        RedisClient client = RedisClient.create(uri);
        try (StatefulRedisConnection<String, String> c = client.connect(io.lettuce.core.codec.StringCodec.UTF8)) {
            assertThatThrownBy(() -> RedisSessionStore.builder().connection(c).changeBus(true).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("changeBus");
            RedisSessionStore off = RedisSessionStore.builder().connection(c).build();
            assertThat(off.changeBus()).isEmpty();
            off.close();
        } finally {
            client.shutdown();
        }
    }

    @Test
    void messageFormatRoundTrips() {
        SessionKey key = SessionKey.ofHex("ab".repeat(32));
        SessionChangeBus.Change change = new SessionChangeBus.Change(key, 42);
        String node = "0123456789abcdef";
        String m = RedisBusMessage.format(node, change);
        assertThat(m).isEqualTo("1 0123456789abcdef " + key.hex() + " 42");
        assertThat(RedisBusMessage.parse(m, "fedcba9876543210")).isEqualTo(change);
        assertThat(RedisBusMessage.parse(m, node)).isSameAs(RedisBusMessage.OWN);
        assertThat(RedisBusMessage.parse(RedisBusMessage.format(node, new SessionChangeBus.Change(key,
                SessionChangeBus.DELETED)), "fedcba9876543210").version()).isEqualTo(SessionChangeBus.DELETED);
        assertThat(RedisBusMessage.parse(null, node)).isNull();
    }
}
