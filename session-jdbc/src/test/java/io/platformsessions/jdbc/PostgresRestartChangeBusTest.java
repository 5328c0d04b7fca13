package io.platformsessions.jdbc;

import static io.platformsessions.jdbc.ChangeBusNodes.CLIENT;
import static io.platformsessions.jdbc.ChangeBusNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.platformsessions.CreatedSession;
import io.platformsessions.InvalidationReason;
import io.platformsessions.SessionConfig;
import io.platformsessions.SessionLookup;
import io.platformsessions.SessionManager;
import io.platformsessions.SessionMetrics;
import io.platformsessions.SessionStoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The PostgreSQL server restarts while two nodes with {@code LISTEN/NOTIFY} buses run on it (a cluster of this
 * test's own, never the shared server): both buses reconnect by themselves, a change made while a listener was
 * down is not missed (the node reads the store until its bus is back, then drops its cache), and the only
 * failures callers see are transient store errors while the server is down.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PostgresRestartChangeBusTest {
    private final PrivatePostgres cluster = new PrivatePostgres();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @Test
    void afterARestartTheBusesReconnectAndNoNodeServesAStaleCopy() throws Exception {
        String url = cluster.start();
        SessionManager a = node(url, 0);
        SessionManager b = node(url, 1);
        JdbcChangeBus busB = (JdbcChangeBus) storeOf(1).changeBus().orElseThrow();
        await(() -> busB.isLive() && ((JdbcChangeBus) storeOf(0).changeBus().orElseThrow()).isLive(),
                Duration.ofSeconds(10), "buses live");
        CreatedSession s = a.create("alice", CLIENT);
        assertThat(b.lookup(s.token().value(), CLIENT).status()).isEqualTo(SessionLookup.Status.ACTIVE);
        long resets = busB.resets();

        cluster.stopServer();
        AtomicInteger transientFailures = new AtomicInteger();
        await(() -> !busB.isLive(), Duration.ofSeconds(5), "b's bus down with the server");
        for (SessionManager m : List.of(a, b)) {
            try {
                SessionLookup.Status st = m.lookup(s.token().value(), CLIENT).status();
                throw new AssertionError("a lookup answered " + st + " with the server down and the bus not live");
            } catch (SessionStoreException e) {
                assertThat(e.isTransient()).as("%s", e).isTrue();
                transientFailures.incrementAndGet();
            }
        }
        cluster.startAgain();

        retry(() -> a.setAttribute(s.context().key(), "after", "restart"), transientFailures);
        long waited = await(() -> retry(() -> b.getAttribute(b.lookup(s.token().value(), CLIENT).context(), "after",
                String.class).isPresent(), transientFailures), Duration.ofSeconds(20), "the change made after the restart");
        await(() -> busB.isLive() && busB.resets() > resets, Duration.ofSeconds(20), "b's listener back");
        assertThat(busB.failures()).isPositive();
        System.out.println("after the restart: change seen on b after " + waited + " ms; transient failures seen by "
                + "callers while the server was down: " + transientFailures.get());

        // announcements flow again
        assertThat(b.lookup(s.token().value(), CLIENT).status()).isEqualTo(SessionLookup.Status.ACTIVE);
        assertThat(b.metrics().cacheState()).isEqualTo(SessionMetrics.CacheState.BUS_LIVE);
        a.invalidate(s.context().key(), InvalidationReason.LOGOUT);
        await(() -> b.lookup(s.token().value(), CLIENT).status() == SessionLookup.Status.NOT_FOUND,
                Duration.ofSeconds(5), "logout after the restart");
    }

    /** Runs {@code call} until it succeeds; only transient store failures may happen meanwhile (counted). */
    private static <T> T retry(Supplier<T> call, AtomicInteger transientFailures) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try {
                return call.get();
            } catch (SessionStoreException e) {
                assertThat(e.isTransient()).as("only transient failures while the server restarts: %s", e).isTrue();
                assertThat(System.nanoTime() - deadline).as("store back within 30 s").isNegative();
                transientFailures.incrementAndGet();
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    throw new AssertionError(ie);
                }
            }
        }
    }

    private final List<JdbcSessionStore> stores = new ArrayList<>();

    private JdbcSessionStore storeOf(int i) {
        return stores.get(i);
    }

    private SessionManager node(String url, int i) {
        HikariDataSource pool = TestDatabases.pool(url, 3, "restart" + i);
        toClose.add(pool);
        JdbcSessionStore store = JdbcSessionStore.builder().dataSource(pool).initializeSchema(true)
                .changeBus(JdbcChangeBus.postgres(url + "&ApplicationName=listen" + i)).build();
        stores.add(store);
        SessionManager m = SessionManager.builder(store).config(SessionConfig.builder().build()).build();
        toClose.add(0, store);
        toClose.add(0, m::close);
        return m;
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        cluster.close();
    }
}
