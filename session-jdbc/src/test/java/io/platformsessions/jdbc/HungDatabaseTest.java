package io.platformsessions.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.zaxxer.hikari.HikariDataSource;
import io.platformsessions.ClientInfo;
import io.platformsessions.CreatedSession;
import io.platformsessions.SessionConfig;
import io.platformsessions.SessionManager;
import io.platformsessions.SessionStoreException;
import io.platformsessions.spi.SessionRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hung database (connections open, no reply ever) no longer holds calls for as long as the hang lasts: with
 * the default {@link JdbcSessionStore#DEFAULT_NETWORK_TIMEOUT}, on a {@link JdbcPool} and on an application's
 * HikariCP pool with HikariCP's defaults alike, every call fails with a transient error within the bound, and the
 * same store works again once the database answers. The hang is a {@link TcpProxy} that stops forwarding in
 * both directions; the database behind it is never touched. {@link HungPostgresProcessTest} stops a real
 * server's processes.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HungDatabaseTest {
    private static final Logger LOG = LoggerFactory.getLogger(HungDatabaseTest.class);
    /** Slack over the network timeout for a loaded machine. */
    static final Duration SLACK = Duration.ofMillis(2_000);

    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (TestDatabases.Db db : List.of(TestDatabases.Db.POSTGRES, TestDatabases.Db.MARIADB)) {
            out.add(Arguments.of(db, true));
            out.add(Arguments.of(db, false));
        }
        return out;
    }

    @ParameterizedTest(name = "{0}, JdbcPool: {1}")
    @MethodSource("cases")
    void everyCallFailsTransientlyWithinTheBoundAndTheStoreRecovers(TestDatabases.Db db, boolean jdbcPool)
            throws Exception {
        String url = db.url();
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", TestDatabases.port(url))) {
            String proxied = TestDatabases.viaPort(url, proxy.port());
            // the application's pool: no driver socket timeout, HikariCP's 5 s validation timeout, 5 s to borrow
            HikariDataSource appPool = jdbcPool ? null : TestDatabases.pool(proxied, 3, "app");
            JdbcSessionStore.Builder builder = JdbcSessionStore.builder().tablePrefix(TestDatabases.randomPrefix())
                    .initializeSchema(true);
            JdbcSessionStore store = (jdbcPool ? builder.pool(JdbcPool.builder(proxied).maximumPoolSize(3).build())
                    : builder.dataSource(appPool)).build();
            try {
                SessionRecord before = TestRecords.record("alice", TestRecords.T0);
                store.insert(before);

                proxy.freeze();
                List<Duration> took = new ArrayList<>();
                // the first call waits on a connection it holds: the store's network timeout
                took.add(failsTransientlyWithin(store.networkTimeout(), () -> store.find(before.key())));
                // later calls may wait to borrow first: the pool validates its idle connections and gives up after
                // its connection timeout (2 s for JdbcPool, 5 s for this application pool), whichever comes first
                Duration borrowOrReply = jdbcPool ? store.networkTimeout() : Duration.ofSeconds(5);
                took.add(failsTransientlyWithin(borrowOrReply,
                        () -> store.insertAndCountLive(TestRecords.record("bob", TestRecords.T0), TestRecords.T0)));
                took.add(failsTransientlyWithin(borrowOrReply,
                        () -> store.touch(before.key(), TestRecords.T0.plusSeconds(61), TestRecords.T0.plusSeconds(1861))));
                LOG.info("{} hung, {}: calls failed after {}", db, jdbcPool ? "JdbcPool" : "application pool", took);

                proxy.thaw();
                Duration recovery = recovers(() -> store.find(before.key()).isPresent());
                LOG.info("{} back, {}: first successful find after {}", db, jdbcPool ? "JdbcPool" : "application pool",
                        recovery);
                assertThat(store.findByUser("alice")).extracting(SessionRecord::key).contains(before.key());
            } finally {
                proxy.thaw();
                store.dropSchema();
                store.close();
                if (appPool != null) {
                    appPool.close();
                }
            }
        }
    }

    /**
     * Through the engine, which retries a transient read (three attempts): a lookup on a hung database ends in a
     * transient error, never in "no session", after the first attempt's network timeout and the retries' waits to
     * borrow, which the pool bounds (validation 1 s, connection timeout 2 s for a default {@link JdbcPool}).
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = TestDatabases.Db.class, names = {"POSTGRES", "MARIADB"})
    void theEngineAnswersAStoreErrorWithinAFewSeconds(TestDatabases.Db db) throws Exception {
        String url = db.url();
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", TestDatabases.port(url));
             JdbcSessionStore store = JdbcSessionStore.builder().pool(JdbcPool.builder(TestDatabases.viaPort(url,
                     proxy.port())).maximumPoolSize(3).build()).tablePrefix(TestDatabases.randomPrefix())
                     .initializeSchema(true).build()) {
            try (SessionManager manager = SessionManager.builder(store)
                    .config(SessionConfig.builder().cacheEnabled(false).build()).build()) {
                CreatedSession created = manager.create("alice", ClientInfo.unknown());
                proxy.freeze();
                long start = System.nanoTime();
                Throwable thrown = catchThrowable(() -> manager.resolve(created.token().value(), ClientInfo.unknown()));
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                LOG.info("{} hung: the engine's resolve failed after {}", db, took);
                assertThat(thrown).isInstanceOfSatisfying(SessionStoreException.class,
                        e -> assertThat(e.isTransient()).isTrue());
                assertThat(took).isLessThan(store.networkTimeout().plus(JdbcPool.DEFAULT_CONNECTION_TIMEOUT.multipliedBy(2))
                        .plus(SLACK));
                proxy.thaw();
                recovers(() -> manager.resolve(created.token().value(), ClientInfo.unknown()).isPresent());
            } finally {
                proxy.thaw();
                store.dropSchema();
            }
        }
    }

    /** Asserts that {@code call} fails with a transient store error within {@code bound} (plus slack). */
    static Duration failsTransientlyWithin(Duration bound, ThrowingCallable call) {
        long start = System.nanoTime();
        Throwable thrown = catchThrowable(call);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(thrown).isInstanceOfSatisfying(SessionStoreException.class,
                e -> assertThat(e.isTransient()).as("transient: %s", e.getMessage()).isTrue());
        assertThat(took).as("failed within the bound").isLessThan(bound.plus(SLACK));
        return took;
    }

    /** Retries {@code ok} (store errors count as not yet) until it holds; returns how long that took. */
    static Duration recovers(Supplier<Boolean> ok) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                if (ok.get()) {
                    return Duration.ofNanos(System.nanoTime() - start);
                }
            } catch (SessionStoreException e) {
                // a connection broken by the hang; the pool replaces it
            }
            assertThat(System.nanoTime()).as("the store works again within 30 s").isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
