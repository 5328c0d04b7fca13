package io.platformsessions.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.platformsessions.ClientInfo;
import io.platformsessions.SessionConfig;
import io.platformsessions.SessionManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Application nodes for change-bus tests: each has its own pool, store, bus, platform directory and engine, all
 * on one database and one table prefix.
 */
final class ChangeBusNodes implements AutoCloseable {
    static final ClientInfo CLIENT = ClientInfo.unknown();
    /** Poll interval of the polling buses in tests. */
    static final Duration POLL = Duration.ofMillis(50);

    /** Which database and which bus. */
    enum Mode {
        POSTGRES_NOTIFY(TestDatabases.Db.POSTGRES), POSTGRES_POLLING(TestDatabases.Db.POSTGRES),
        MARIADB_POLLING(TestDatabases.Db.MARIADB), H2_POLLING(TestDatabases.Db.H2);

        final TestDatabases.Db db;

        Mode(TestDatabases.Db db) {
            this.db = db;
        }
    }

    /** One node. */
    static final class Node {
        final HikariDataSource pool;
        final JdbcSessionStore store;
        final JdbcChangeBus bus;
        final JdbcPlatformDirectory platforms;
        final SessionManager manager;

        Node(HikariDataSource pool, JdbcSessionStore store, JdbcChangeBus bus, JdbcPlatformDirectory platforms,
             SessionManager manager) {
            this.pool = pool;
            this.store = store;
            this.bus = bus;
            this.platforms = platforms;
            this.manager = manager;
        }
    }

    final Mode mode;
    final String url;
    final String prefix = TestDatabases.randomPrefix();
    final List<Node> nodes = new ArrayList<>();

    ChangeBusNodes(Mode mode) {
        this.mode = mode;
        this.url = mode.db.url();
    }

    /** The JDBC URL the listening connection of node {@code n} uses (its application name tells it apart). */
    String listenUrl(int n) {
        return url + (url.contains("?") ? "&" : "?") + "ApplicationName=" + applicationName(n);
    }

    String applicationName(int n) {
        return "ps-listen-" + prefix + n;
    }

    /** Starts {@code count} nodes and waits until every bus is live. */
    ChangeBusNodes start(int count) {
        for (int i = 0; i < count; i++) {
            add(mode == Mode.POSTGRES_NOTIFY ? JdbcChangeBus.postgres(listenUrl(nodes.size())) : JdbcChangeBus.polling(POLL));
        }
        for (Node n : nodes) {
            await(n.bus::isLive, Duration.ofSeconds(10), "bus live");
        }
        return this;
    }

    /** Adds a node with the given bus. */
    Node add(JdbcChangeBus bus) {
        HikariDataSource pool = TestDatabases.pool(url, 4, "node" + nodes.size());
        JdbcSessionStore store = JdbcSessionStore.builder().dataSource(pool).tablePrefix(prefix).initializeSchema(true)
                .changeBus(bus).build();
        JdbcPlatformDirectory platforms = JdbcPlatformDirectory.builder(pool).tablePrefix(prefix)
                .initializeSchema(true).build();
        SessionManager manager = SessionManager.builder(store).platformDirectory(platforms)
                .config(SessionConfig.builder().maxPlatformSwitchesPerMinute(10_000).build()).build();
        Node n = new Node(pool, store, bus, platforms, manager);
        nodes.add(n);
        return n;
    }

    Node node(int i) {
        return nodes.get(i);
    }

    /** Waits until {@code condition} holds; fails after {@code timeout}. Returns the milliseconds waited. */
    static long await(BooleanSupplier condition, Duration timeout, String what) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("timed out waiting for: " + what).isNegative();
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Override
    public void close() {
        for (Node n : nodes) {
            n.manager.close();
        }
        if (!nodes.isEmpty()) {
            Node first = nodes.get(0);
            first.platforms.dropSchema();
            first.store.dropSchema();
        }
        for (Node n : nodes) {
            n.store.close();
            n.pool.close();
        }
    }
}
