package io.platformsessions.jdbc;

import static io.platformsessions.jdbc.ChangeBusNodes.CLIENT;
import static io.platformsessions.jdbc.ChangeBusNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.platformsessions.AccessLevel;
import io.platformsessions.CreatedSession;
import io.platformsessions.InvalidationReason;
import io.platformsessions.PlatformConnection;
import io.platformsessions.SessionKey;
import io.platformsessions.SessionLookup;
import io.platformsessions.SessionManager;
import io.platformsessions.SessionMetrics;
import io.platformsessions.jdbc.ChangeBusNodes.Mode;
import io.platformsessions.jdbc.ChangeBusNodes.Node;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two and three nodes (separate pools, stores, buses and engines) on one real database: what node A changes, nodes
 * B and C, which hold the session in their caches, see promptly, for every bus mode. Without a working bus B would
 * serve its cached copy indefinitely (a bus-connected engine has no staleness bound), so each wait can fail.
 */
@Timeout(180)
class ChangeBusTest {
    /** Far above the expected delay (milliseconds), far below "never". */
    private static final Duration SEEN_WITHIN = Duration.ofSeconds(5);

    private static SessionLookup.Status status(SessionManager m, String token) {
        return m.lookup(token, CLIENT).status();
    }

    /** Looks the session up on {@code m} and checks it was served from the cache (the bus was live). */
    private static void cachedOn(SessionManager m, CreatedSession s) {
        assertThat(status(m, s.token().value())).isEqualTo(SessionLookup.Status.ACTIVE);
        assertThat(m.metrics().cacheState()).isEqualTo(SessionMetrics.CacheState.BUS_LIVE);
    }

    private static void gone(List<SessionManager> readers, CreatedSession s, String what) {
        for (SessionManager m : readers) {
            await(() -> status(m, s.token().value()) == SessionLookup.Status.NOT_FOUND, SEEN_WITHIN, what);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void everyKindOfChangeOnAIsSeenOnBAndC(Mode mode) {
        try (ChangeBusNodes nodes = new ChangeBusNodes(mode).start(3)) {
            SessionManager a = nodes.node(0).manager;
            List<SessionManager> readers = List.of(nodes.node(1).manager, nodes.node(2).manager);
            PlatformConnection one = nodes.node(0).platforms.add("alice", "alice@one", "mastodon", "https://one", true);
            PlatformConnection two = nodes.node(0).platforms.add("alice", "alice@two", "pixelfed", "https://two", false);

            // logout
            CreatedSession s = a.create("alice", CLIENT);
            readers.forEach(m -> cachedOn(m, s));
            a.invalidate(s.context().key(), InvalidationReason.LOGOUT);
            gone(readers, s, "logout seen");

            // rotate: the old token dies everywhere, the new one works
            CreatedSession r = a.create("alice", CLIENT);
            readers.forEach(m -> cachedOn(m, r));
            CreatedSession rotated = a.rotate(r.context().key());
            gone(readers, r, "rotation seen");
            readers.forEach(m -> assertThat(status(m, rotated.token().value())).isEqualTo(SessionLookup.Status.ACTIVE));

            // invalidateAll and invalidateOthers
            CreatedSession x = a.create("alice", CLIENT);
            CreatedSession y = a.create("alice", CLIENT);
            readers.forEach(m -> {
                cachedOn(m, x);
                cachedOn(m, y);
            });
            a.invalidateOthers(x.context().key());
            gone(readers, y, "invalidateOthers seen");
            gone(readers, rotated, "invalidateOthers seen");
            readers.forEach(m -> assertThat(status(m, x.token().value())).isEqualTo(SessionLookup.Status.ACTIVE));
            a.invalidateAll("alice", InvalidationReason.LOGOUT_ALL);
            gone(readers, x, "invalidateAll seen");

            // switch, attribute, elevation
            CreatedSession z = a.create("alice", one.id(), CLIENT);
            readers.forEach(m -> cachedOn(m, z));
            SessionKey key = z.context().key();
            a.switchPlatform(key, two.id());
            for (SessionManager m : readers) {
                await(() -> m.lookup(z.token().value(), CLIENT).context().platform().orElseThrow().id() == two.id(),
                        SEEN_WITHIN, "switch seen");
            }
            a.setAttribute(key, "theme", "dark");
            for (SessionManager m : readers) {
                await(() -> m.getAttribute(m.lookup(z.token().value(), CLIENT).context(), "theme", String.class)
                        .isPresent(), SEEN_WITHIN, "attribute seen");
            }
            a.elevate(key, AccessLevel.ADMIN, Duration.ofMinutes(5));
            for (SessionManager m : readers) {
                await(() -> m.isElevated(m.lookup(z.token().value(), CLIENT).context(), AccessLevel.ADMIN),
                        SEEN_WITHIN, "elevation seen");
            }
            for (SessionManager m : readers) {
                assertThat(m.metrics().cacheState()).isEqualTo(SessionMetrics.CacheState.BUS_LIVE);
            }
            assertThat(nodes.node(0).bus.changesReceived()).as("a skips its own announcements").isZero();
            assertThat(nodes.node(1).bus.malformedMessages()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void manyWritesInFlightLoseNoAnnouncement(Mode mode) throws Exception {
        try (ChangeBusNodes nodes = new ChangeBusNodes(mode).start(2)) {
            SessionManager a = nodes.node(0).manager;
            SessionManager b = nodes.node(1).manager;
            int sessions = 16;
            int writesPerSession = 25;
            List<CreatedSession> created = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                created.add(a.create("user" + i, CLIENT));
                cachedOn(b, created.get(i));
            }
            long before = nodes.node(1).bus.changesReceived();
            AtomicInteger written = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (CreatedSession s : created) {
                    futures.add(pool.submit(() -> {
                        for (int w = 1; w <= writesPerSession; w++) {
                            a.setAttribute(s.context().key(), "n", w);
                            written.incrementAndGet();
                        }
                    }));
                }
                for (Future<?> f : futures) {
                    f.get(120, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            int total = sessions * writesPerSession;
            assertThat(written.get()).isEqualTo(total);
            await(() -> nodes.node(1).bus.changesReceived() - before >= total, SEEN_WITHIN, "every announcement");
            assertThat(nodes.node(1).bus.changesReceived() - before).as("each write announced once").isEqualTo(total);
            for (CreatedSession s : created) {
                assertThat(b.getAttribute(b.lookup(s.token().value(), CLIENT).context(), "n", Integer.class))
                        .contains(writesPerSession);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void malformedAnnouncementsAreCountedAndIgnored(Mode mode) throws Exception {
        try (ChangeBusNodes nodes = new ChangeBusNodes(mode).start(2)) {
            Node b = nodes.node(1);
            try (Connection c = DriverManager.getConnection(nodes.url)) {
                if (mode == Mode.POSTGRES_NOTIFY) {
                    String channel = nodes.prefix + "session_changes";
                    try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
                        for (String bad : List.of("garbage", "", "0123456789abcdef:1:zz",
                                "0123456789abcdef:0:" + "00".repeat(32), "0123456789abcdef:01:" + "00".repeat(32),
                                "0123456789abcdef:-2:" + "00".repeat(32), "x".repeat(7000))) {
                            ps.setString(1, channel);
                            ps.setString(2, bad);
                            ps.execute();
                        }
                    }
                    await(() -> b.bus.malformedMessages() >= 7, SEEN_WITHIN, "malformed payloads counted");
                    assertThat(b.bus.malformedMessages()).isEqualTo(7);
                } else {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + nodes.prefix + "session_changes"
                            + " (session_key, version, node_id, created_at) VALUES (?, ?, 1, ?)")) {
                        for (long version : new long[] {0, -2}) {
                            ps.setBytes(1, new byte[32]);
                            ps.setLong(2, version);
                            ps.setLong(3, System.currentTimeMillis()); // not old enough to be pruned
                            ps.executeUpdate();
                        }
                    }
                    await(() -> b.bus.malformedMessages() >= 2, SEEN_WITHIN, "malformed rows counted");
                    assertThat(b.bus.malformedMessages()).isEqualTo(2);
                }
            }
            // the bus still works
            CreatedSession s = nodes.node(0).manager.create("alice", CLIENT);
            cachedOn(b.manager, s);
            nodes.node(0).manager.invalidate(s.context().key(), InvalidationReason.LOGOUT);
            gone(List.of(b.manager), s, "logout after malformed input");
            assertThat(b.bus.isLive()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void closingTheManagerStopsTheBusThreadAndANewConnectStartsIt(Mode mode) {
        try (ChangeBusNodes nodes = new ChangeBusNodes(mode).start(1)) {
            Node a = nodes.node(0);
            assertThat(busThreads(nodes.prefix)).isEqualTo(1);
            a.manager.close();
            assertThat(a.bus.isLive()).isFalse();
            assertThat(busThreads(nodes.prefix)).isZero();

            // a stopped bus starts again on the next connect, and resets the new engine when live
            java.util.concurrent.atomic.AtomicInteger resets = new java.util.concurrent.atomic.AtomicInteger();
            io.platformsessions.spi.SessionChangeBus.Connection again = a.bus.connect(
                    new io.platformsessions.spi.SessionChangeBus.Listener() {
                        @Override
                        public void onChange(io.platformsessions.spi.SessionChangeBus.Change change) {
                        }

                        @Override
                        public void onReset(String why) {
                            resets.incrementAndGet();
                        }
                    });
            await(() -> again.isLive() && resets.get() == 1, SEEN_WITHIN, "live again after a restart");
            again.close();
            assertThat(busThreads(nodes.prefix)).isZero();
        }
    }

    /** Two engines on one store (so one bus, one node id) hear each other through the bus, in this JVM. */
    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"POSTGRES_NOTIFY", "H2_POLLING"})
    void twoEnginesOnOneStoreHearEachOther(Mode mode) {
        try (ChangeBusNodes nodes = new ChangeBusNodes(mode).start(1)) {
            Node n = nodes.node(0);
            SessionManager a = n.manager;
            SessionManager b = SessionManager.builder(n.store).platformDirectory(n.platforms).build();
            try {
                await(() -> b.metrics().cacheState() == SessionMetrics.CacheState.BUS_LIVE, SEEN_WITHIN, "b live");
                CreatedSession s = a.create("alice", CLIENT);
                cachedOn(b, s);
                a.invalidate(s.context().key(), InvalidationReason.LOGOUT);
                assertThat(status(b, s.token().value())).as("delivered in-process, at once")
                        .isEqualTo(SessionLookup.Status.NOT_FOUND);
            } finally {
                b.close();
            }
            assertThat(n.bus.isLive()).as("a is still connected").isTrue();
        }
    }

    static long busThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().endsWith(prefix + "session_changes")).count();
    }

    static void execute(String url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
