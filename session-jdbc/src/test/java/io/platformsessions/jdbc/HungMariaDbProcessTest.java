package io.platformsessions.jdbc;

import static io.platformsessions.jdbc.ChangeBusNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.platformsessions.spi.SessionChangeBus;
import io.platformsessions.spi.SessionRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A really hung MariaDB: a server of this test's own ({@link PrivateMariaDb}, never the shared one) stopped with
 * SIGSTOP under a live store with the polling change bus, on a default {@link JdbcPool} and on an application's
 * HikariCP pool (no driver socket timeout, 5 s to borrow). Calls fail with a transient error within the store's
 * network timeout (later ones within the pool's connection timeout), the bus stops being live, and after SIGCONT
 * the same store and bus work again. Skips loudly without MariaDB's server binaries.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HungMariaDbProcessTest {
    private static final Logger LOG = LoggerFactory.getLogger(HungMariaDbProcessTest.class);

    private final PrivateMariaDb server = new PrivateMariaDb();

    @ParameterizedTest(name = "JdbcPool: {0}")
    @ValueSource(booleans = {true, false})
    void aStoppedServerFailsCallsWithinTheBoundAndTheStoreRecoversAfterSigcont(boolean jdbcPool) throws Exception {
        String url = server.start();
        HikariDataSource appPool = jdbcPool ? null : TestDatabases.pool(url, 3, "app");
        JdbcChangeBus bus = JdbcChangeBus.polling(ChangeBusNodes.POLL);
        JdbcSessionStore.Builder builder = JdbcSessionStore.builder().initializeSchema(true).changeBus(bus);
        try (JdbcSessionStore store = (jdbcPool ? builder.pool(JdbcPool.builder(url).maximumPoolSize(3).build())
                : builder.dataSource(appPool)).build()) {
            SessionChangeBus.Connection connection = bus.connect(new SessionChangeBus.Listener() {
                @Override
                public void onChange(SessionChangeBus.Change change) {
                }

                @Override
                public void onReset(String why) {
                }
            });
            await(bus::isLive, Duration.ofSeconds(10), "bus live");
            SessionRecord before = TestRecords.record("alice", TestRecords.T0);
            store.insert(before);

            server.signal("STOP");
            long stoppedAt = System.nanoTime();
            AtomicLong busDownAt = new AtomicLong();
            Thread watcher = new Thread(() -> {
                while (bus.isLive()) {
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                busDownAt.set(System.nanoTime());
            }, "bus-watcher");
            watcher.setDaemon(true);
            watcher.start();
            List<Duration> took = new ArrayList<>();
            // the first call waits on a connection it holds: the store's network timeout (the socket read timeout)
            took.add(HungDatabaseTest.failsTransientlyWithin(store.networkTimeout(), () -> store.find(before.key())));
            // later calls may wait to borrow first: the pool validates its idle connections and gives up after its
            // connection timeout (2 s for JdbcPool, 5 s for this application pool)
            Duration borrowOrReply = jdbcPool ? store.networkTimeout() : Duration.ofSeconds(5);
            took.add(HungDatabaseTest.failsTransientlyWithin(borrowOrReply,
                    () -> store.insertAndCountLive(TestRecords.record("bob", TestRecords.T0), TestRecords.T0)));
            took.add(HungDatabaseTest.failsTransientlyWithin(borrowOrReply, () -> store.findByUser("alice")));
            watcher.join(Duration.ofSeconds(10).toMillis());
            watcher.interrupt();
            Duration busDown = Duration.ofNanos(busDownAt.get() - stoppedAt);
            // a poll starts every interval and waits for its reply (the network timeout) or to borrow (the pool's
            // connection timeout), whichever it is doing when the server stops
            assertThat(busDownAt.get()).as("the bus stopped being live").isNotZero();
            Duration busBound = borrowOrReply.compareTo(store.networkTimeout()) > 0 ? borrowOrReply
                    : store.networkTimeout();
            assertThat(busDown).as("the bus not live within the network or connection timeout")
                    .isLessThan(busBound.plus(ChangeBusNodes.POLL).plus(HungDatabaseTest.SLACK));
            LOG.info("MariaDB stopped (SIGSTOP), {}: calls failed after {}; the bus not live {} after SIGSTOP",
                    jdbcPool ? "JdbcPool" : "application pool", took, busDown);

            server.signal("CONT");
            long continuedAt = System.nanoTime();
            Duration recovery = HungDatabaseTest.recovers(() -> store.find(before.key()).isPresent());
            await(bus::isLive, Duration.ofSeconds(20), "bus live again after SIGCONT");
            Duration busBack = Duration.ofNanos(System.nanoTime() - continuedAt);
            LOG.info("MariaDB continued (SIGCONT), {}: first successful find after {}, bus live after {}",
                    jdbcPool ? "JdbcPool" : "application pool", recovery, busBack);
            assertThat(store.find(before.key())).as("written before the hang, not lost").contains(before);
            assertThat(bus.failures()).as("the hang was a failure of the bus").isPositive();
            connection.close();
        } finally {
            if (appPool != null) {
                appPool.close();
            }
        }
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
    }
}
