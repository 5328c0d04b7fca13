package io.platformsessions.jdbc;

import io.platformsessions.SessionKey;
import io.platformsessions.spi.SessionChangeBus;
import io.platformsessions.spi.SessionRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The store's writes that change or end a session (compare-and-set update, rekey, delete), and how each announces
 * itself to a {@link JdbcChangeBus}: not at all ({@link #plain}), with {@code pg_notify} inside the same statement
 * ({@link Notify}), or with a change-log row in the same transaction ({@link Logged}). What is announced: an update
 * announces the new version, a rekey the end of the old key, a delete the end of the key. Touches (same version)
 * and the expiry cleaner are not announced: every node's copy of a session carries an expiry no later than the
 * stored one, so it already treats an expired session as ended. Immutable and thread-safe.
 */
abstract class ChangeWrites {
    final DialectSql sql;
    final SessionStatements statements;

    ChangeWrites(DialectSql sql) {
        this.sql = sql;
        this.statements = sql.statements;
    }

    /** Writes that announce nothing: the store without a bus. */
    static ChangeWrites plain(DialectSql sql) {
        return new ChangeWrites(sql) {
        };
    }

    /** Compare-and-set update ({@code SessionStore#update}); announces {@code next.version()}. */
    boolean update(Connection c, SessionRecord next, String attributes, long expectedVersion) throws SQLException {
        return statements.update(c, next, attributes, expectedVersion);
    }

    /** Compare-and-set rekey ({@code SessionStore#rekey}); announces the end of {@code oldKey}. */
    boolean rekey(Connection c, SessionKey oldKey, SessionRecord next, String attributes, long expectedVersion)
            throws SQLException {
        return statements.rekey(c, oldKey, next, attributes, expectedVersion);
    }

    /** Delete, archived if {@code reason} is not null ({@code SessionStore#delete}); announces the end of the key. */
    boolean delete(Connection c, byte[] key, long endedAt, String reason) throws SQLException {
        return reason == null ? statements.delete(c, key) : sql.deleteArchived(c, key, endedAt, reason);
    }

    /**
     * PostgreSQL: each write is one statement, a data-modifying {@code WITH} whose outer {@code SELECT} calls
     * {@code pg_notify} once per row it changed, so the announcement commits with the write and costs no round
     * trip. The payload is made in Java ({@link ChangeMessages}).
     */
    static final class Notify extends ChangeWrites {
        private final String channel;
        private final long nodeId;
        private final String update;
        private final String rekey;
        private final String delete;
        private final String deleteArchived;

        Notify(DialectSql sql, String channel, long nodeId) {
            super(sql);
            this.channel = channel;
            this.nodeId = nodeId;
            String notify = " SELECT pg_notify(?, ?) FROM w";
            SessionTable t = sql.table;
            update = "WITH w AS (" + statements.update + " RETURNING 1)" + notify;
            rekey = "WITH w AS (" + statements.rekey + " RETURNING 1)" + notify;
            delete = "WITH w AS (" + statements.delete + " RETURNING 1)" + notify;
            deleteArchived = "WITH w AS (DELETE FROM " + t.sessions + " WHERE " + t.keyMatch + " RETURNING "
                    + t.archiveColumns + "), a AS (" + t.archiveInsertHead() + " SELECT " + t.archiveColumns
                    + ", ?, ? FROM w)" + notify;
        }

        @Override
        boolean update(Connection c, SessionRecord next, String attributes, long expectedVersion) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(update)) {
                int i = SessionTable.bindData(ps, 1, next, attributes);
                i = sql.table.bindKey(ps, i, next.key().bytes());
                ps.setLong(i, expectedVersion);
                return rows(ps, i + 1, next.key().bytes(), next.version()) == 1;
            }
        }

        @Override
        boolean rekey(Connection c, SessionKey oldKey, SessionRecord next, String attributes, long expectedVersion)
                throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(rekey)) {
                int i = SessionTable.bindData(ps, sql.table.bindKey(ps, 1, next.key().bytes()), next, attributes);
                i = sql.table.bindKey(ps, i, oldKey.bytes());
                ps.setLong(i, expectedVersion);
                return rows(ps, i + 1, oldKey.bytes(), SessionChangeBus.DELETED) == 1;
            }
        }

        @Override
        boolean delete(Connection c, byte[] key, long endedAt, String reason) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(reason == null ? delete : deleteArchived)) {
                int i = sql.table.bindKey(ps, 1, key);
                if (reason != null) {
                    ps.setLong(i++, endedAt);
                    ps.setString(i++, reason);
                }
                return rows(ps, i, key, SessionChangeBus.DELETED) > 0;
            }
        }

        /** Binds the channel and payload at {@code at}, runs the statement, counts the rows it changed. */
        private int rows(PreparedStatement ps, int at, byte[] key, long version) throws SQLException {
            ps.setString(at, channel);
            ps.setString(at + 1, ChangeMessages.payload(nodeId, key, version));
            int n = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    n++;
                }
            }
            return n;
        }
    }

    /**
     * Any database: each write and its change-log row run in one transaction (on PostgreSQL and H2 the write's
     * rows lock until the commit, on InnoDB too), so the row commits with the write. Costs the transaction's
     * round trips (autocommit off, the write, the row, commit) instead of one statement.
     */
    static final class Logged extends ChangeWrites {
        private final long nodeId;
        private final String insert;

        Logged(DialectSql sql, long nodeId) {
            super(sql);
            this.nodeId = nodeId;
            this.insert = "INSERT INTO " + sql.table.changes + " (session_key, version, node_id, created_at) "
                    + "VALUES (?, ?, ?, ?)";
        }

        @Override
        boolean update(Connection c, SessionRecord next, String attributes, long expectedVersion) throws SQLException {
            return Transactions.run(c, -1, () -> statements.update(c, next, attributes, expectedVersion)
                    && log(c, next.key().bytes(), next.version()));
        }

        @Override
        boolean rekey(Connection c, SessionKey oldKey, SessionRecord next, String attributes, long expectedVersion)
                throws SQLException {
            return Transactions.run(c, -1, () -> statements.rekey(c, oldKey, next, attributes, expectedVersion)
                    && log(c, oldKey.bytes(), SessionChangeBus.DELETED));
        }

        @Override
        boolean delete(Connection c, byte[] key, long endedAt, String reason) throws SQLException {
            return Transactions.run(c, reason == null ? -1 : sql.cleanupIsolation(), () -> (reason == null
                    ? statements.delete(c, key) : sql.deleteArchivedInTransaction(c, key, endedAt, reason))
                    && log(c, key, SessionChangeBus.DELETED));
        }

        /** Adds the change-log row; returns {@code true}. The row's id is taken last, just before the commit. */
        private boolean log(Connection c, byte[] key, long version) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(insert)) {
                ps.setBytes(1, key);
                ps.setLong(2, version);
                ps.setLong(3, nodeId);
                ps.setLong(4, System.currentTimeMillis());
                ps.executeUpdate();
            }
            return true;
        }
    }
}
