package io.platformsessions.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.platformsessions.ClientInfo;
import io.platformsessions.CreatedSession;
import io.platformsessions.InvalidationReason;
import io.platformsessions.SessionConfig;
import io.platformsessions.SessionManager;
import io.platformsessions.SessionStoreException;
import io.platformsessions.spi.SessionRecord;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real outage: an H2 TCP server (file database) is stopped and restarted under a live store. Calls fail fast
 * with a transient {@link SessionStoreException}; afterwards the same store instance works again and nothing
 * written before the outage is lost.
 */
@Timeout(60)
class DatabaseDownTest {
    private static final Duration CONNECTION_TIMEOUT = Duration.ofMillis(500);
    /** Generous bound for one failing call: the pool's connection timeout plus slack for a loaded CI machine. */
    private static final Duration FAIL_WITHIN = Duration.ofSeconds(6);

    @TempDir
    Path dir;

    private Server server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void failsFastWhileDownAndRecoversWithTheSameInstance() throws Exception {
        int port = freePort();
        server = startServer(port);
        try (JdbcSessionStore store = JdbcSessionStore.builder().pool(warm(JdbcPool.builder(
                        "jdbc:h2:tcp://127.0.0.1:" + port + "/sessions").username("sa").password("")
                        .connectionTimeout(CONNECTION_TIMEOUT).maximumPoolSize(3).build()))
                .initializeSchema(true).build()) {
            SessionRecord before = TestRecords.record("alice", TestRecords.T0);
            store.insert(before);
            SessionRecord updated = before.withPlatform(null).withVersion(2);
            assertThat(store.update(updated, 1)).isTrue();

            server.stop();
            server = null;

            SessionRecord during = TestRecords.record("bob", TestRecords.T0);
            assertFailsFastAndTransient(() -> store.find(before.key()));
            assertFailsFastAndTransient(() -> store.insert(during));
            assertFailsFastAndTransient(() -> store.update(updated.withVersion(3), 2));
            assertFailsFastAndTransient(() -> store.touch(before.key(), Instant.now(), Instant.now()));
            assertFailsFastAndTransient(() -> store.findByUser("alice"));
            assertFailsFastAndTransient(() -> store.deleteExpired(TestRecords.T0, 10));
            assertFailsFastAndTransient(() -> store.delete(before.key(), InvalidationReason.LOGOUT, Instant.now()));
            assertThat(JdbcPool.statusOf(store.dataSource())).isPresent();

            server = startServer(port);

            // the very same instance, no restart: the first call after the database is back succeeds
            assertThat(store.find(before.key())).as("written before the outage, not lost").contains(updated);
            assertThat(store.find(during.key())).as("the failed insert wrote nothing").isEmpty();
            store.insert(during);
            assertThat(store.findByUser("bob")).containsExactly(during);
            assertThat(store.update(updated.withVersion(3), 2)).isTrue();
            assertThat(store.find(before.key()).orElseThrow().version()).isEqualTo(3);
        }
    }

    @Test
    void theEngineReportsAnOutageAsAStoreErrorNeverAsNoSession() throws Exception {
        int port = freePort();
        server = startServer(port);
        try (JdbcSessionStore store = JdbcSessionStore.builder().pool(warm(JdbcPool.builder(
                        "jdbc:h2:tcp://127.0.0.1:" + port + "/engine").connectionTimeout(CONNECTION_TIMEOUT)
                        .maximumPoolSize(2).build()))
                .initializeSchema(true).build()) {
            SessionManager manager = SessionManager.builder(store)
                    .config(SessionConfig.builder().cacheEnabled(false).build()).build();
            CreatedSession created = manager.create("alice", ClientInfo.unknown());
            String token = created.token().value();

            server.stop();
            server = null;
            long start = System.nanoTime();
            Throwable thrown = catchThrowable(() -> manager.resolve(token, ClientInfo.unknown()));
            // the engine retries the read (RetryPolicy: 3 attempts), each bounded by the pool's timeout
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FAIL_WITHIN.multipliedBy(2));
            assertThat(thrown).isInstanceOf(SessionStoreException.class);
            assertThat(((SessionStoreException) thrown).isTransient()).isTrue();
            assertThat(thrown.getMessage()).doesNotContain(token);

            server = startServer(port);
            assertThat(manager.resolve(token, ClientInfo.unknown())).as("the session survived the outage")
                    .hasValueSatisfying(ctx -> assertThat(ctx.key()).isEqualTo(created.context().key()));
            manager.close();
        }
    }

    @Test
    void buildingAgainstADeadDatabaseFailsFastAndTransient() throws Exception {
        int port = freePort(); // nothing listens here
        long start = System.nanoTime();
        JdbcPool pool = JdbcPool.builder("jdbc:h2:tcp://127.0.0.1:" + port + "/sessions")
                .connectionTimeout(CONNECTION_TIMEOUT).build();
        Throwable thrown = catchThrowable(() -> JdbcSessionStore.builder().pool(pool).build());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FAIL_WITHIN);
        assertThat(thrown).isInstanceOf(SessionStoreException.class);
        assertThat(((SessionStoreException) thrown).isTransient()).isTrue();
        assertThat(pool.isClosed()).as("the failed build closed the pool it was given").isTrue();
    }

    private static void assertFailsFastAndTransient(ThrowingCallable call) {
        long start = System.nanoTime();
        Throwable thrown = catchThrowable(call);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(thrown).isInstanceOf(SessionStoreException.class);
        assertThat(((SessionStoreException) thrown).isTransient()).as("transient: %s", thrown.getMessage()).isTrue();
        assertThat(took).as("failed within a bounded time").isLessThan(FAIL_WITHIN);
    }

    /** Waits until the pool has its first connection: on a loaded machine that can take longer than the timeout. */
    private static JdbcPool warm(JdbcPool pool) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try (Connection c = pool.dataSource().getConnection()) {
                return pool;
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the H2 server did not accept a connection", e);
                }
                Thread.sleep(50);
            }
        }
    }

    private Server startServer(int port) throws SQLException {
        return Server.createTcpServer("-tcpPort", String.valueOf(port), "-baseDir", dir.toString(), "-ifNotExists")
                .start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
