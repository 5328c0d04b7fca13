package io.platformsessions.jdbc;

import static io.platformsessions.jdbc.ChangeBusNodes.CLIENT;
import static io.platformsessions.jdbc.ChangeBusNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.platformsessions.CreatedSession;
import io.platformsessions.InvalidationReason;
import io.platformsessions.SessionLookup;
import io.platformsessions.SessionManager;
import io.platformsessions.SessionMetrics;
import io.platformsessions.jdbc.ChangeBusNodes.Mode;
import io.platformsessions.jdbc.ChangeBusNodes.Node;
import io.platformsessions.spi.SessionRecord;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The PostgreSQL {@code LISTEN/NOTIFY} bus under failure, and its cost on the wire. Runs against the shared
 * PostgreSQL ({@code PS_TEST_POSTGRES_URL}; skipped loudly without it) and never stops that server: a killed
 * listener is {@code pg_terminate_backend} of the bus's own connection, found by its application name.
 */
@Timeout(120)
class PostgresChangeBusTest {

    @Test
    void aTerminatedListenerReconnectsByItselfAndNoCallerSeesAnErrorOrAStaleCopy() throws Exception {
        try (ChangeBusNodes nodes = new ChangeBusNodes(Mode.POSTGRES_NOTIFY).start(2)) {
            SessionManager a = nodes.node(0).manager;
            Node b = nodes.node(1);
            CreatedSession s = a.create("alice", CLIENT);
            assertThat(b.manager.lookup(s.token().value(), CLIENT).status()).isEqualTo(SessionLookup.Status.ACTIVE);
            long resets = b.bus.resets();

            // a reader on b the whole time: never an exception
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> readerFailure = new AtomicReference<>();
            AtomicInteger reads = new AtomicInteger();
            Thread reader = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        b.manager.lookup(s.token().value(), CLIENT);
                        reads.incrementAndGet();
                    } catch (Throwable t) {
                        readerFailure.compareAndSet(null, t);
                    }
                }
            });
            reader.start();
            try {
                assertThat(terminate(nodes.url, nodes.applicationName(1))).as("listener found and terminated").isOne();
                a.setAttribute(s.context().key(), "during", "outage"); // its announcement may be lost: b must not care
                long waited = await(() -> b.manager.getAttribute(b.manager.lookup(s.token().value(), CLIENT).context(),
                        "during", String.class).isPresent(), Duration.ofSeconds(5), "change made during the outage");
                await(() -> b.bus.isLive() && b.bus.resets() > resets, Duration.ofSeconds(10), "listener back");
                assertThat(b.bus.failures()).isPositive();
                assertThat(b.manager.metrics().cacheState()).isEqualTo(SessionMetrics.CacheState.BUS_LIVE);
                System.out.println("change during listener outage seen on b after " + waited + " ms");

                // announcements flow again, through the new connection
                a.invalidate(s.context().key(), InvalidationReason.LOGOUT);
                await(() -> b.manager.lookup(s.token().value(), CLIENT).status() == SessionLookup.Status.NOT_FOUND,
                        Duration.ofSeconds(5), "logout after reconnect");
            } finally {
                stop.set(true);
                reader.join();
            }
            assertThat(readerFailure.get()).as("no exception reached a caller").isNull();
            assertThat(reads.get()).isPositive();
        }
    }

    @Test
    void aDatabaseDownAtStartStopsNothingAndTheBusComesUpWhenItIsBack() {
        AtomicBoolean down = new AtomicBoolean(true);
        AtomicInteger attempts = new AtomicInteger();
        try (ChangeBusNodes nodes = new ChangeBusNodes(Mode.POSTGRES_NOTIFY)) {
            DataSource flaky = new UrlDataSource(nodes.listenUrl(0)) {
                @Override
                public Connection getConnection() throws SQLException {
                    attempts.incrementAndGet();
                    if (down.get()) {
                        throw new SQLException("Connection refused (test)", "08001");
                    }
                    return super.getConnection();
                }
            };
            Node a = nodes.add(JdbcChangeBus.postgres(flaky));
            CreatedSession s = a.manager.create("alice", CLIENT);
            assertThat(a.manager.lookup(s.token().value(), CLIENT).status()).isEqualTo(SessionLookup.Status.ACTIVE);
            assertThat(a.manager.metrics().cacheState()).isEqualTo(SessionMetrics.CacheState.BUS_DOWN);
            await(() -> attempts.get() >= 3, Duration.ofSeconds(5), "retries with backoff");
            assertThat(a.bus.isLive()).isFalse();
            down.set(false);
            await(a.bus::isLive, Duration.ofSeconds(10), "bus up once the database is");
            assertThat(a.manager.lookup(s.token().value(), CLIENT).status()).isEqualTo(SessionLookup.Status.ACTIVE);
            assertThat(a.manager.metrics().cacheState()).isEqualTo(SessionMetrics.CacheState.BUS_LIVE);
        }
    }

    @Test
    void closingTheManagerReleasesTheListeningConnection() throws Exception {
        try (ChangeBusNodes nodes = new ChangeBusNodes(Mode.POSTGRES_NOTIFY).start(1)) {
            assertThat(backends(nodes.url, nodes.applicationName(0))).isOne();
            nodes.node(0).manager.close();
            await(() -> {
                try {
                    return backends(nodes.url, nodes.applicationName(0)) == 0;
                } catch (SQLException e) {
                    throw new AssertionError(e);
                }
            }, Duration.ofSeconds(5), "listening backend gone");
        }
    }

    @Test
    void theStoreRefusesAPostgresBusOnAnotherDatabase() {
        try (HikariDataSource pool = TestDatabases.Db.H2.pool(2)) {
            JdbcChangeBus bus = JdbcChangeBus.postgres("jdbc:postgresql://127.0.0.1:1/none");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> JdbcSessionStore.builder().dataSource(pool)
                    .changeBus(bus).build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("polling");
        }
    }

    /** Writes that announce stay one round trip each on the wire. */
    @Test
    void announcingWritesAreStillOneRoundTripEach() throws Exception {
        String url = TestDatabases.Db.POSTGRES.url();
        for (boolean archive : new boolean[] {false, true}) {
            try (TcpProxy proxy = new TcpProxy("127.0.0.1", TestDatabases.port(url));
                 HikariDataSource pool = TestDatabases.pool(TestDatabases.viaPort(url, proxy.port()), 1, "wire")) {
                JdbcChangeBus bus = JdbcChangeBus.postgres(url);
                JdbcSessionStore store = JdbcSessionStore.builder().dataSource(pool)
                        .tablePrefix(TestDatabases.randomPrefix()).initializeSchema(true).archiveEndedSessions(archive)
                        .changeBus(bus).build();
                try {
                    List<Integer> trips = new ArrayList<>();
                    for (int round = 0; round < 4; round++) { // the first warms the driver up
                        SessionRecord r = TestRecords.record("alice", TestRecords.T0);
                        store.insert(r);
                        SessionRecord next = r.withVersion(r.version() + 1);
                        proxy.reset();
                        assertThat(store.update(next, r.version())).isTrue();
                        trips.add(proxy.roundTrips());
                        SessionRecord rekeyed = next.withKey(TestRecords.randomKey()).withVersion(next.version() + 1);
                        proxy.reset();
                        assertThat(store.rekey(next.key(), rekeyed, next.version())).isTrue();
                        trips.add(proxy.roundTrips());
                        proxy.reset();
                        assertThat(store.delete(rekeyed.key(), InvalidationReason.LOGOUT, TestRecords.T0)).isTrue();
                        trips.add(proxy.roundTrips());
                        proxy.reset();
                        assertThat(store.update(next, next.version())).as("nothing to update").isFalse();
                        trips.add(proxy.roundTrips());
                    }
                    assertThat(TcpProxy.fewestPerOperation(trips, 4))
                            .as("update, rekey, delete, failed update; archive %s; all rounds %s", archive, trips)
                            .containsOnly(1);
                } finally {
                    store.dropSchema();
                    store.close();
                }
            }
        }
    }

    /** Counts and terminates the backends with this application name; returns how many. */
    static int terminate(String url, String applicationName) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); PreparedStatement ps = c.prepareStatement(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?")) {
            ps.setString(1, applicationName);
            int n = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    n++;
                }
            }
            return n;
        }
    }

    static int backends(String url, String applicationName) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = ?")) {
            ps.setString(1, applicationName);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** A minimal unpooled data source over {@link DriverManager}. */
    static class UrlDataSource implements DataSource {
        private final String url;

        UrlDataSource(String url) {
            this.url = url;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return DriverManager.getConnection(url);
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return DriverManager.getConnection(url, username, password);
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
