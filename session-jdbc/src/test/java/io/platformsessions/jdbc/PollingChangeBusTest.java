package io.platformsessions.jdbc;

import static io.platformsessions.jdbc.ChangeBusNodes.CLIENT;
import static io.platformsessions.jdbc.ChangeBusNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.platformsessions.CreatedSession;
import io.platformsessions.InvalidationReason;
import io.platformsessions.SessionLookup;
import io.platformsessions.SessionManager;
import io.platformsessions.jdbc.ChangeBusNodes.Mode;
import io.platformsessions.jdbc.ChangeBusNodes.Node;
import io.platformsessions.spi.SessionChangeBus;
import io.platformsessions.spi.SessionRecord;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The change-log bus on each database: ids that commit out of order, a jump in the log, pruning, and what an
 * announcing write costs on the wire.
 */
@Timeout(120)
class PollingChangeBusTest {
    private static final Logger LOG = LoggerFactory.getLogger(PollingChangeBusTest.class);

    /**
     * A write whose change-log id is below one that another write committed first (its transaction was slower) is
     * still delivered: the poller watches the skipped id.
     */
    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"POSTGRES_POLLING", "MARIADB_POLLING", "H2_POLLING"})
    void aChangeThatCommitsAfterALaterIdIsStillSeen(Mode mode) throws Exception {
        try (ChangeBusNodes nodes = new ChangeBusNodes(mode).start(2)) {
            SessionManager a = nodes.node(0).manager;
            SessionManager b = nodes.node(1).manager;
            CreatedSession slow = a.create("alice", CLIENT);
            CreatedSession fast = a.create("bob", CLIENT);
            assertThat(b.lookup(slow.token().value(), CLIENT).status()).isEqualTo(SessionLookup.Status.ACTIVE);
            assertThat(b.lookup(fast.token().value(), CLIENT).status()).isEqualTo(SessionLookup.Status.ACTIVE);
            try (Connection c = DriverManager.getConnection(nodes.url)) {
                c.setAutoCommit(false);
                // what a slow node's logout does: delete, then the change-log row (its id taken now) ...
                byte[] key = slow.context().key().bytes();
                try (PreparedStatement ps = c.prepareStatement(nodes.node(0).store.dialect() == JdbcDialect.H2
                        ? "DELETE FROM " + nodes.prefix + "sessions WHERE key_id = ? AND session_key = ?"
                        : "DELETE FROM " + nodes.prefix + "sessions WHERE session_key = ?")) {
                    int i = 1;
                    if (nodes.node(0).store.dialect() == JdbcDialect.H2) {
                        ps.setLong(i++, SessionTable.keyId(key));
                    }
                    ps.setBytes(i, key);
                    assertThat(ps.executeUpdate()).isOne();
                }
                insertChange(c, nodes.prefix, key, SessionChangeBus.DELETED, System.currentTimeMillis());
                // ... meanwhile a later id commits and b reads past it
                a.invalidate(fast.context().key(), InvalidationReason.LOGOUT);
                await(() -> b.lookup(fast.token().value(), CLIENT).status() == SessionLookup.Status.NOT_FOUND,
                        Duration.ofSeconds(5), "the later change");
                assertThat(b.lookup(slow.token().value(), CLIENT).status()).as("b's cached copy, not yet told")
                        .isEqualTo(SessionLookup.Status.ACTIVE);
                c.commit();
            }
            await(() -> b.lookup(slow.token().value(), CLIENT).status() == SessionLookup.Status.NOT_FOUND,
                    Duration.ofSeconds(5), "the change that committed late");
        }
    }

    /**
     * An id that stays open (a slow transaction) while more than a query's batch of rows commits after it does
     * not hold those rows back: they are read page by page, long before the hole is given up.
     */
    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"MARIADB_POLLING", "H2_POLLING"})
    void anOpenHoleDoesNotHoldBackWhatCommitsAfterIt(Mode mode) throws Exception {
        try (ChangeBusNodes nodes = new ChangeBusNodes(mode).start(2)) {
            SessionManager a = nodes.node(0).manager;
            SessionManager b = nodes.node(1).manager;
            CreatedSession s = a.create("alice", CLIENT);
            assertThat(b.lookup(s.token().value(), CLIENT).status()).isEqualTo(SessionLookup.Status.ACTIVE);
            try (Connection slow = DriverManager.getConnection(nodes.url);
                 Connection busy = DriverManager.getConnection(nodes.url)) {
                slow.setAutoCommit(false);
                insertChange(slow, nodes.prefix, TestRecords.randomKey().bytes(), 1, System.currentTimeMillis());
                busy.setAutoCommit(false);
                for (int i = 0; i < PollingChangeBus.BATCH + 100; i++) {
                    insertChange(busy, nodes.prefix, TestRecords.randomKey().bytes(), 1, System.currentTimeMillis());
                }
                busy.commit();
                a.invalidate(s.context().key(), InvalidationReason.LOGOUT);
                long waited = await(() -> b.lookup(s.token().value(), CLIENT).status() == SessionLookup.Status.NOT_FOUND,
                        PollingChangeBus.HOLE_GRACE.dividedBy(2), "a change behind an open hole and a full batch");
                LOG.info("{}: seen after {} ms with a hole open", mode, waited);
                slow.rollback();
            }
        }
    }

    /** A jump in the ids too large to watch id by id resets the other nodes: they may have missed something. */
    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"POSTGRES_POLLING", "MARIADB_POLLING", "H2_POLLING"})
    void aJumpInTheLogResetsTheNodes(Mode mode) throws Exception {
        try (ChangeBusNodes nodes = new ChangeBusNodes(mode).start(2)) {
            Node b = nodes.node(1);
            CreatedSession s = nodes.node(0).manager.create("alice", CLIENT);
            nodes.node(0).manager.setAttribute(s.context().key(), "k", "v");
            await(() -> b.bus.changesReceived() >= 1, Duration.ofSeconds(5), "first change");
            long resets = b.bus.resets();
            long max;
            try (Connection c = DriverManager.getConnection(nodes.url); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT MAX(id) FROM " + nodes.prefix + "session_changes")) {
                rs.next();
                max = rs.getLong(1);
            }
            try (Connection c = DriverManager.getConnection(nodes.url); PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO " + nodes.prefix + "session_changes (id, session_key, version, node_id, created_at) "
                            + "VALUES (?, ?, 5, 1, ?)")) {
                ps.setLong(1, max + PollingChangeBus.MAX_HOLES + 10);
                ps.setBytes(2, s.context().key().bytes());
                ps.setLong(3, System.currentTimeMillis());
                ps.executeUpdate();
            }
            await(() -> b.bus.resets() > resets, Duration.ofSeconds(5), "reset after the jump");
            assertThat(b.bus.isLive()).isTrue();
        }
    }

    /** Rows older than the retention go, in bounded batches; newer rows stay. */
    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"MARIADB_POLLING", "H2_POLLING"})
    void oldRowsArePrunedInBatches(Mode mode) throws Exception {
        try (ChangeBusNodes nodes = new ChangeBusNodes(mode).start(1)) {
            int old = PollingChangeBus.PRUNE_BATCH + 200;
            try (Connection c = DriverManager.getConnection(nodes.url)) {
                c.setAutoCommit(false);
                for (int i = 0; i < old; i++) {
                    insertChange(c, nodes.prefix, TestRecords.randomKey().bytes(), 1, 1_000);
                }
                insertChange(c, nodes.prefix, TestRecords.randomKey().bytes(), 1, System.currentTimeMillis());
                c.commit();
                List<Long> counts = new ArrayList<>();
                await(() -> {
                    long n = count(c, nodes.prefix);
                    if (counts.isEmpty() || counts.get(counts.size() - 1) != n) {
                        counts.add(n);
                    }
                    return n == 1;
                }, Duration.ofSeconds(20), "old rows pruned");
                assertThat(counts).as("counts seen: never more than one batch at a time").contains(201L);
            }
        }
    }

    /** What an announcing write costs on the wire with the change log (docs/jdbc.md). */
    @ParameterizedTest
    @EnumSource(value = TestDatabases.Db.class, names = {"MARIADB", "POSTGRES"})
    void roundTripsOfAnnouncingWrites(TestDatabases.Db db) throws Exception {
        String url = db.url();
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", TestDatabases.port(url));
             HikariDataSource pool = TestDatabases.pool(TestDatabases.viaPort(url, proxy.port()), 1, "wire")) {
            JdbcSessionStore store = JdbcSessionStore.builder().dataSource(pool)
                    .tablePrefix(TestDatabases.randomPrefix()).initializeSchema(true)
                    .changeBus(JdbcChangeBus.polling()).build();
            try {
                List<Integer> trips = new ArrayList<>();
                for (int round = 0; round < 4; round++) {
                    SessionRecord r = TestRecords.record("alice", TestRecords.T0);
                    store.insert(r);
                    SessionRecord next = r.withVersion(r.version() + 1);
                    proxy.reset();
                    assertThat(store.update(next, r.version())).isTrue();
                    trips.add(proxy.roundTrips());
                    proxy.reset();
                    assertThat(store.delete(next.key(), InvalidationReason.LOGOUT, TestRecords.T0)).isTrue();
                    trips.add(proxy.roundTrips());
                }
                List<Integer> fewest = TcpProxy.fewestPerOperation(trips, 2);
                LOG.info("{} polling bus: round trips of update, delete: {} (all rounds: {})", db, fewest, trips);
                // PostgreSQL: the update (BEGIN sent with it), the insert, COMMIT; MariaDB also switches autocommit
                // off and on again, one round trip each
                assertThat(fewest).containsOnly(db == TestDatabases.Db.POSTGRES ? 3 : 5);
            } finally {
                store.dropSchema();
                store.close();
            }
        }
    }

    private static long count(Connection c, String prefix) {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + prefix + "session_changes")) {
            rs.next();
            c.commit();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static void insertChange(Connection c, String prefix, byte[] key, long version, long createdAt)
            throws Exception {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + prefix + "session_changes "
                + "(session_key, version, node_id, created_at) VALUES (?, ?, 1, ?)")) {
            ps.setBytes(1, key);
            ps.setLong(2, version);
            ps.setLong(3, createdAt);
            ps.executeUpdate();
        }
    }
}
