package io.platformsessions.jdbc;

import static io.platformsessions.jdbc.ChangeBusNodes.CLIENT;
import static io.platformsessions.jdbc.ChangeBusNodes.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.platformsessions.CreatedSession;
import io.platformsessions.InvalidationReason;
import io.platformsessions.SessionConfig;
import io.platformsessions.SessionLookup;
import io.platformsessions.SessionManager;
import io.platformsessions.SessionMetrics;
import io.platformsessions.SessionStoreException;
import io.platformsessions.spi.SessionRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MariaDB server restarts (a clean shutdown, or SIGKILL: a crash) under two nodes, each with its own
 * {@link JdbcPool}, store, {@linkplain JdbcChangeBus#polling polling bus} and engine, on a server of this test's own
 * ({@link PrivateMariaDb}, never the shared one). While it is down, store calls fail with a transient
 * {@link SessionStoreException} within the pool's connection timeout, engine lookups fail transiently on both nodes
 * (never a cached copy: the buses are not live). After the restart the stores and both buses recover by
 * themselves within {@link #RECOVERY_BOUND}, the buses reset the engines, a change on node A reaches node B's cache through the bus
 * again, and every session written before the restart is still there, unchanged (InnoDB flushes each commit to
 * its redo log, so a crash loses none). Skips loudly without MariaDB's server binaries.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MariaDbRestartChangeBusTest {
    private static final Logger LOG = LoggerFactory.getLogger(MariaDbRestartChangeBusTest.class);
    /**
     * Both stores and both buses are back within this long of the server accepting logins again: a store once
     * HikariCP's background connection attempts (retried with a backoff of a few seconds while the server was
     * down) succeed, measured 1.1-4.7 s; a bus after its own backoff (at most 5 s) plus a borrow from the pool,
     * measured 1.6-7.9 s. Generous for a loaded machine.
     */
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(20);

    private final PrivateMariaDb server = new PrivateMariaDb();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<JdbcSessionStore> stores = new ArrayList<>();

    @ParameterizedTest(name = "crash: {0}")
    @ValueSource(booleans = {false, true})
    void afterARestartStoresAndBusesRecoverAndNothingWrittenBeforeIsLost(boolean crash) throws Exception {
        String url = server.start();
        SessionManager a = node(url, 0);
        SessionManager b = node(url, 1);
        JdbcChangeBus busA = busOf(0);
        JdbcChangeBus busB = busOf(1);
        await(() -> busA.isLive() && busB.isLive(), Duration.ofSeconds(10), "buses live");
        List<CreatedSession> written = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            SessionManager m = i % 2 == 0 ? a : b;
            CreatedSession c = m.create("user" + i % 5, CLIENT);
            m.setAttribute(c.context().key(), "n", String.valueOf(i));
            written.add(c);
        }
        CreatedSession s = written.get(0);
        assertThat(b.lookup(s.token().value(), CLIENT).status()).isEqualTo(SessionLookup.Status.ACTIVE);
        List<SessionRecord> before = new ArrayList<>();
        for (CreatedSession c : written) {
            before.add(stores.get(0).find(c.context().key()).orElseThrow());
        }
        long resetsA = busA.resets();
        long resetsB = busB.resets();

        long downAt = System.nanoTime();
        if (crash) {
            server.killServer();
        } else {
            server.stopServer();
        }
        long stopped = millisSince(downAt);
        long busesDown = await(() -> !busA.isLive() && !busB.isLive(), Duration.ofSeconds(10), "buses down");
        Duration storeFailed = HungDatabaseTest.failsTransientlyWithin(JdbcPool.DEFAULT_CONNECTION_TIMEOUT,
                () -> stores.get(1).find(s.context().key()));
        List<Long> lookupsFailed = new ArrayList<>();
        for (SessionManager m : List.of(a, b)) {
            long start = System.nanoTime();
            Throwable thrown = catchThrowable(() -> m.lookup(s.token().value(), CLIENT));
            lookupsFailed.add(millisSince(start));
            assertThat(thrown).as("a lookup with the server down and the bus not live")
                    .isInstanceOfSatisfying(SessionStoreException.class, e -> assertThat(e.isTransient()).isTrue());
        }

        long upAt = System.nanoTime();
        server.startAgain();
        long started = millisSince(upAt);
        long accepting = System.nanoTime();
        long storeA = HungDatabaseTest.recovers(() -> stores.get(0).find(s.context().key()).isPresent()).toMillis();
        long storeB = HungDatabaseTest.recovers(() -> stores.get(1).find(s.context().key()).isPresent()).toMillis()
                + storeA;
        long buses = storeB + await(() -> busA.isLive() && busB.isLive() && busA.resets() > resetsA
                && busB.resets() > resetsB, RECOVERY_BOUND, "both buses live and reset after the restart");
        assertThat(millisSince(accepting)).as("stores and buses back within %s", RECOVERY_BOUND)
                .isLessThan(RECOVERY_BOUND.toMillis());
        assertThat(busA.failures()).isPositive();
        assertThat(busB.failures()).isPositive();

        for (int i = 0; i < before.size(); i++) {
            assertThat(stores.get(1).find(written.get(i).context().key())).as("session %d written before the %s", i,
                    crash ? "crash" : "shutdown").contains(before.get(i));
        }

        // announcements flow again: b caches the session, a changes it, b's cached copy is dropped by the bus
        assertThat(b.getAttribute(b.lookup(s.token().value(), CLIENT).context(), "n", String.class)).contains("0");
        assertThat(b.metrics().cacheState()).isEqualTo(SessionMetrics.CacheState.BUS_LIVE);
        a.setAttribute(s.context().key(), "n", "after");
        long seen = await(() -> b.getAttribute(b.lookup(s.token().value(), CLIENT).context(), "n", String.class)
                .orElse("").equals("after"), Duration.ofSeconds(5), "a's change after the restart on b");
        a.invalidate(s.context().key(), InvalidationReason.LOGOUT);
        await(() -> b.lookup(s.token().value(), CLIENT).status() == SessionLookup.Status.NOT_FOUND,
                Duration.ofSeconds(5), "a's logout after the restart on b");

        LOG.info("MariaDB {}: server stopped in {} ms; both buses not live {} ms later; a store call failed "
                        + "(transient) after {}; engine lookups failed (transient) after {} ms; server accepting logins "
                        + "{} ms after start; from then: first find on store A after {} ms, on B after {} ms, both buses "
                        + "live and reset after {} ms; a's change seen on b {} ms after it; {} sessions intact",
                crash ? "SIGKILL" : "clean shutdown", stopped, busesDown, storeFailed, lookupsFailed, started, storeA,
                storeB, buses, seen, before.size());
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private JdbcChangeBus busOf(int i) {
        return (JdbcChangeBus) stores.get(i).changeBus().orElseThrow();
    }

    private SessionManager node(String url, int i) {
        JdbcSessionStore store = JdbcSessionStore.builder()
                .pool(JdbcPool.builder(url).maximumPoolSize(3).poolName("restart" + i).build()).initializeSchema(true)
                .changeBus(JdbcChangeBus.polling(ChangeBusNodes.POLL)).build();
        stores.add(store);
        SessionManager m = SessionManager.builder(store).config(SessionConfig.builder().build()).build();
        toClose.add(0, store);
        toClose.add(0, m::close);
        return m;
    }

    @AfterEach
    void stop() throws Exception {
        try {
            for (AutoCloseable c : toClose) {
                c.close();
            }
        } finally {
            server.close();
        }
    }
}
