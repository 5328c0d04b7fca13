package io.platformsessions.jdbc;

import io.platformsessions.spi.SessionRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.HexFormat;

/**
 * MariaDB and MySQL: the portable forms, with locking transactions in READ COMMITTED (so locking reads take
 * no gap locks) and {@code SKIP LOCKED} where the server has it (MariaDB 10.6, MySQL 8); a login's insert and
 * count serialized by a named lock ({@code GET_LOCK}). Immutable and thread-safe.
 */
final class MySqlSql extends DialectSql {
    private final boolean skipLocked;
    /** Insert the row only once this connection holds the user's named lock; binds the row, lock name, wait. */
    final String insertLocking;
    /** Count the user's live sessions, then release the named lock; binds lock name, user id, now. */
    final String countReleasing;
    private final String release;

    MySqlSql(JdbcDialect dialect, String prefix, boolean skipLocked, int userLockWaitMillis) {
        super(dialect, new SessionTable(prefix, false), " LIMIT ?", skipLocked, userLockWaitMillis);
        this.skipLocked = skipLocked;
        // Two statements in autocommit, two round trips, each its own transaction. The insert happens only if
        // GET_LOCK, evaluated first, got the user's lock (a named lock belongs to the connection, not to a
        // transaction, so it outlives the insert's commit). The count is materialized in a derived table (an
        // aggregate cannot be merged into the outer query) before RELEASE_LOCK runs, and its statement starts
        // after the lock was granted, so it sees every login of this user that committed before: logins of one
        // user are serialized and each count is exact (SessionLimitRaceTest).
        insertLocking = "INSERT INTO " + table.sessions + " (" + table.keyColumns + ", " + table.dataColumns + ") SELECT "
                + SessionTable.placeholders(table.keyParameters() + SessionTable.DATA.size())
                + " FROM DUAL WHERE GET_LOCK(?, ?) = 1";
        countReleasing = "SELECT live.n, RELEASE_LOCK(?) FROM (SELECT COUNT(*) AS n FROM " + table.sessions
                + " WHERE user_id = ? AND expires_at > ?) AS live";
        release = "SELECT RELEASE_LOCK(?)";
    }

    @Override
    String describe() {
        return skipLocked ? "" : "cleanup without SKIP LOCKED";
    }

    /** MariaDB and MySQL refuse {@code LIMIT} in an {@code IN} subquery, but take it on the {@code DELETE}. */
    @Override
    String pruneChanges() {
        return "DELETE FROM " + table.changes + " WHERE created_at < ? ORDER BY id LIMIT ?";
    }

    @Override
    int cleanupIsolation() {
        return Connection.TRANSACTION_READ_COMMITTED;
    }

    @Override
    int insertAndCountLive(Connection c, SessionRecord r, String attributes, long now) throws SQLException {
        String lock = lockName(r.userId());
        boolean released = false;
        try {
            try (PreparedStatement ps = c.prepareStatement(insertLocking)) {
                int i = SessionTable.bindData(ps, table.bindKey(ps, 1, r.key().bytes()), r, attributes);
                ps.setString(i, lock);
                ps.setDouble(i + 1, userLockWaitMillis / 1000.0); // MariaDB takes fractions; MySQL whole seconds
                if (ps.executeUpdate() == 0) {
                    released = true; // GET_LOCK timed out: nothing held, nothing inserted
                    throw new SQLTimeoutException("another login of this user held its session-limit lock for over "
                            + userLockWaitMillis + " ms; nothing was inserted", "HYT00");
                }
            }
            try (PreparedStatement ps = c.prepareStatement(countReleasing)) {
                ps.setString(1, lock);
                ps.setString(2, r.userId());
                ps.setLong(3, now);
                try (ResultSet rs = ps.executeQuery()) {
                    int n = count(rs);
                    released = true;
                    return n;
                }
            }
        } finally {
            if (!released) {
                release(c, lock);
            }
        }
    }

    /**
     * Releases the lock after a failure; if even that fails, aborts the connection so that no pooled connection
     * keeps holding a user's lock (the server releases it when the connection ends).
     */
    private void release(Connection c, String lock) {
        try (PreparedStatement ps = c.prepareStatement(release)) {
            ps.setString(1, lock);
            ps.executeQuery().close();
        } catch (SQLException | RuntimeException e) {
            try {
                c.abort(Runnable::run);
            } catch (SQLException | RuntimeException ignored) {
                // the connection is gone either way
            }
        }
    }

    /** The named lock of a user of this table: at most 64 characters whatever the user id, case-insensitive safe. */
    String lockName(String userId) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(table.sessions.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            byte[] digest = sha.digest(userId.getBytes(StandardCharsets.UTF_8));
            return "ps:" + HexFormat.of().formatHex(digest, 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
