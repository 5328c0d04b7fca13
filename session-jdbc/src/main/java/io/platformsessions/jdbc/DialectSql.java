package io.platformsessions.jdbc;

import io.platformsessions.spi.SessionRecord;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What differs between databases, as one strategy object per dialect: {@link PostgresSql}, {@link H2Sql},
 * {@link MySqlSql} (MariaDB and MySQL). The store and the cleaner call these methods and never test the
 * dialect themselves; SQL is built once per table prefix. Immutable and thread-safe.
 *
 * <p>The defaults here are the portable forms, used by H2 and MariaDB/MySQL: the archiving deletes as short transactions that lock the rows first, then archive and delete them with
 * primary-key point statements. Point statements matter on InnoDB: a {@code DELETE ... WHERE session_key IN
 * (...)} is a multi-range scan that reads (and must lock) one record past each key, which can be a row
 * another cleaner holds: a deadlock.
 */
abstract class DialectSql {
    /** Longest a login waits for its user's lock when the network timeout allows it. */
    static final int MAX_USER_LOCK_WAIT_MILLIS = 2_000;
    private static final int UNKNOWN = -1;

    final JdbcDialect dialect;
    /**
     * Longest a login waits for another login of the same user to finish its insert and count (the per-user
     * lock of {@link #insertAndCountLive}); then it fails with a transient error and inserts nothing.
     */
    final int userLockWaitMillis;
    final SessionTable table;
    final SessionStatements statements;
    /** Lock and read a batch of expired rows' {@link SessionTable#ARCHIVED} columns; binds now, limit. */
    final String lockExpiredArchived;
    /** Lock and read a batch of expired rows' keys; binds now, limit. */
    private final String lockExpiredKeys;
    /** Archive one row from values; binds the {@link SessionTable#ARCHIVED} columns, ended, reason. */
    private final String archiveValues;
    /** The pool's default transaction isolation, read from the first connection that needs it. */
    private volatile int poolIsolation = UNKNOWN;
    /** Lock one row; binds the key. */
    private final String lockOne;
    /** Archive one row; binds ended, reason, the key. */
    private final String archiveOne;

    DialectSql(JdbcDialect dialect, SessionTable table, String rowLimit, boolean skipLocked, int userLockWaitMillis) {
        this.dialect = dialect;
        this.userLockWaitMillis = userLockWaitMillis;
        this.table = table;
        this.statements = new SessionStatements(table);
        String expired = " FROM " + table.sessions + " WHERE expires_at <= ? ORDER BY expires_at" + rowLimit
                + " FOR UPDATE" + (skipLocked ? " SKIP LOCKED" : "");
        lockExpiredArchived = "SELECT " + table.archiveColumns + expired;
        lockExpiredKeys = "SELECT session_key" + expired;
        archiveValues = table.archiveInsertHead() + " VALUES ("
                + SessionTable.placeholders(SessionTable.ARCHIVED.size() + 2) + ")";
        lockOne = "SELECT session_key FROM " + table.sessions + " WHERE " + table.keyMatch + " FOR UPDATE";
        archiveOne = table.archiveInsertHead() + " SELECT " + table.archiveColumns + ", ?, ? FROM " + table.sessions
                + " WHERE " + table.keyMatch;
    }

    /**
     * The strategy for a dialect.
     *
     * @param dialect the dialect
     * @param prefix the table prefix
     * @param major the server's major version, for features that depend on it
     * @param minor the server's minor version
     * @param asynchronousCreateCommit whether new sessions may commit asynchronously (where the database can)
     * @param networkTimeout the store's network timeout (zero: none), which a lock wait must stay under
     * @return the strategy
     */
    static DialectSql of(JdbcDialect dialect, String prefix, int major, int minor, boolean asynchronousCreateCommit,
                         Duration networkTimeout) {
        int lockWait = userLockWait(networkTimeout);
        return switch (dialect) {
            case POSTGRESQL -> new PostgresSql(prefix, asynchronousCreateCommit, lockWait);
            case H2 -> new H2Sql(prefix);
            case MARIADB, MYSQL -> new MySqlSql(dialect, prefix, JdbcDialect.supportsSkipLocked(dialect, major, minor),
                    lockWait);
        };
    }

    /**
     * The per-user lock wait: {@link #MAX_USER_LOCK_WAIT_MILLIS}, or half the network timeout if that is shorter,
     * so that a login gives up waiting (cleanly, nothing inserted, connection intact) before its connection's
     * network timeout would cut it off mid-statement with an unknown outcome.
     */
    static int userLockWait(Duration networkTimeout) {
        long half = networkTimeout.toMillis() / 2;
        return networkTimeout.isZero() ? MAX_USER_LOCK_WAIT_MILLIS : (int) Math.min(MAX_USER_LOCK_WAIT_MILLIS, half);
    }

    /**
     * The strategy for a database, reading its metadata (one connection) when the dialect is not given or its
     * server version matters.
     *
     * @param dataSource the database
     * @param configured the dialect, or {@code null} to detect it
     * @param prefix the table prefix
     * @param asynchronousCreateCommit whether new sessions may commit asynchronously (where the database can)
     * @param connections the store's connections, with its network timeout
     * @param networkTimeout that network timeout
     * @return the strategy
     * @throws io.platformsessions.SessionStoreException if the database cannot be reached or is not supported
     */
    static DialectSql forDatabase(StoreConnections connections, JdbcDialect configured, String prefix,
                                  boolean asynchronousCreateCommit, Duration networkTimeout) {
        if (configured != null && !configured.versionMatters()) {
            return of(configured, prefix, 0, 0, asynchronousCreateCommit, networkTimeout);
        }
        try (StoreConnections.Borrowed b = connections.borrow()) {
            DatabaseMetaData meta = b.connection.getMetaData();
            JdbcDialect dialect = configured != null ? configured : JdbcDialect.of(meta);
            return of(dialect, prefix, meta.getDatabaseMajorVersion(), meta.getDatabaseMinorVersion(),
                    asynchronousCreateCommit, networkTimeout);
        } catch (SQLException e) {
            throw SqlFailures.map("connecting to the session database", e);
        }
    }

    /** Whether new sessions commit asynchronously ({@code JdbcSessionStore.Builder#asynchronousCreateCommit}). */
    boolean asynchronousCreateCommit() {
        return false;
    }

    /** What sets this dialect's SQL apart, for the store's start-up log line; empty if nothing. */
    String describe() {
        return "";
    }

    /**
     * Inserts a session and counts the user's live sessions, the new one included, exactly: inserts of one user
     * are serialized by a per-user lock held from before the insert until the count is taken, so each count
     * includes every session of the user committed before it and none inserted after
     * ({@code SessionStore#insertAndCountLive}). A login that waits longer than {@link #userLockWaitMillis}
     * for that lock fails with a transient error and inserts nothing.
     *
     * @param c a connection in autocommit mode
     * @param r the new session
     * @param attributes its encoded attributes
     * @param now epoch milliseconds
     * @return the count
     * @throws SQLException if the database fails
     */
    abstract int insertAndCountLive(Connection c, SessionRecord r, String attributes, long now) throws SQLException;

    /** Reads the count of a {@link SessionStatements#countLiveOfUser} result. */
    static int count(ResultSet rs) throws SQLException {
        if (!rs.next()) {
            throw new SQLException("the count of live sessions returned no row");
        }
        return rs.getInt(1);
    }

    /**
     * Runs {@code work} at READ COMMITTED at most: a login's count must see what committed before its statement
     * started, which a REPEATABLE READ or SERIALIZABLE snapshot, taken before the per-user lock, would not. Only a
     * pool whose connections default to a stricter level pays for the switch (and the switch back).
     */
    <R> R atReadCommitted(Connection c, Transactions.Work<R> work) throws SQLException {
        int isolation = poolIsolation;
        if (isolation == UNKNOWN) {
            isolation = c.getTransactionIsolation();
            poolIsolation = isolation;
        }
        if (isolation <= Connection.TRANSACTION_READ_COMMITTED) {
            return work.run();
        }
        c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        try {
            return work.run();
        } finally {
            c.setTransactionIsolation(isolation);
        }
    }

    /**
     * Deletes one session and archives it with {@code reason}, atomically.
     *
     * @param c a connection in autocommit mode
     * @param key the session key
     * @param endedAt epoch milliseconds
     * @param reason an {@code InvalidationReason} name
     * @return whether a session was deleted
     * @throws SQLException if the database fails
     */
    boolean deleteArchived(Connection c, byte[] key, long endedAt, String reason) throws SQLException {
        return Transactions.run(c, cleanupIsolation(), () -> deleteArchivedInTransaction(c, key, endedAt, reason));
    }

    /**
     * What {@link #deleteArchived} does, inside a transaction the caller runs (at {@link #cleanupIsolation()}), so
     * that a change-log row can join it.
     *
     * @param c a connection in a transaction
     * @param key the session key
     * @param endedAt epoch milliseconds
     * @param reason an {@code InvalidationReason} name
     * @return whether a session was deleted
     * @throws SQLException if the database fails
     */
    boolean deleteArchivedInTransaction(Connection c, byte[] key, long endedAt, String reason) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement(lockOne)) {
            table.bindKey(lock, 1, key);
            try (ResultSet rs = lock.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
            }
        }
        try (PreparedStatement archive = c.prepareStatement(archiveOne)) {
            archive.setLong(1, endedAt);
            archive.setString(2, reason);
            table.bindKey(archive, 3, key);
            archive.executeUpdate();
        }
        return statements.delete(c, key);
    }

    /**
     * Deletes (and, if {@code archive}, archives) at most {@code limit} expired sessions, oldest first,
     * skipping rows another cleaner holds.
     *
     * @param c a connection in autocommit mode
     * @param now epoch milliseconds
     * @param limit the batch size
     * @param archive whether to archive them first
     * @return the number deleted
     * @throws SQLException if the database fails
     */
    int deleteExpired(Connection c, long now, int limit, boolean archive) throws SQLException {
        return Transactions.run(c, cleanupIsolation(), () -> {
            List<Object[]> rows = new ArrayList<>();
            try (PreparedStatement lock = c.prepareStatement(archive ? lockExpiredArchived : lockExpiredKeys)) {
                lock.setLong(1, now);
                lock.setInt(2, limit);
                try (ResultSet rs = lock.executeQuery()) {
                    while (rs.next()) {
                        rows.add(archive ? SessionTable.readArchived(rs) : new Object[] {rs.getBytes(1)});
                    }
                }
            }
            if (rows.isEmpty()) {
                return 0;
            }
            if (archive) {
                Instant ended = Instant.ofEpochMilli(now);
                try (PreparedStatement insert = c.prepareStatement(archiveValues)) {
                    for (Object[] row : rows) {
                        int i = SessionTable.bindArchived(insert, 1, row);
                        insert.setLong(i, now);
                        insert.setString(i + 1, SessionTable.archivedTimes(row).expiryReason(ended).name());
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
            }
            int deleted = 0;
            try (PreparedStatement delete = c.prepareStatement(statements.delete)) {
                for (Object[] row : rows) {
                    table.bindKey(delete, 1, archive ? SessionTable.archivedKey(row) : (byte[]) row[0]);
                    delete.addBatch();
                }
                for (int count : delete.executeBatch()) {
                    // the rows are locked by this transaction, so "success, count unknown" means one row
                    deleted += count == Statement.SUCCESS_NO_INFO ? 1 : count;
                }
            }
            return deleted;
        });
    }

    /** Tables this dialect's schema creates besides the sessions and archive tables (dropped with them). */
    List<String> auxiliaryTables() {
        return List.of();
    }

    /**
     * Queries that read no row but name every column this version uses, by table: {@code createSchema} runs
     * them to catch tables made by an older version.
     */
    Map<String, String> columnChecks() {
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put(table.sessions, statements.columnCheck);
        checks.put(table.archive, statements.archiveColumnCheck);
        checks.put(table.changes, "SELECT id, session_key, version, node_id, created_at FROM " + table.changes
                + " WHERE 1 = 0");
        return checks;
    }

    /**
     * Deletes at most one batch of change-log rows older than a time, oldest first; binds the time (epoch ms)
     * and the batch size. This portable form is PostgreSQL's and H2's.
     */
    String pruneChanges() {
        return "DELETE FROM " + table.changes + " WHERE id IN (SELECT id FROM " + table.changes
                + " WHERE created_at < ? ORDER BY id LIMIT ?)";
    }

    /** Isolation for the locking transactions; -1 keeps the connection's. */
    int cleanupIsolation() {
        return -1;
    }
}
