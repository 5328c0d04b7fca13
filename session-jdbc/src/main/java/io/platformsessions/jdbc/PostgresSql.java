package io.platformsessions.jdbc;

import io.platformsessions.spi.SessionRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * PostgreSQL: every operation is one statement, one round trip, including cleanup and archiving (a
 * data-modifying {@code WITH}). Immutable and thread-safe.
 */
final class PostgresSql extends DialectSql {
    /**
     * The archived end reason of an expired row, computed in the database because the row never reaches Java
     * here. Binds now. The rule's owner is {@code SessionTimes.expiryReason}: absolute once now has reached
     * the absolute expiry, else idle.
     */
    private static final String EXPIRY_REASON =
            "CASE WHEN absolute_expires_at <= ? THEN 'ABSOLUTE_TIMEOUT' ELSE 'IDLE_TIMEOUT' END";

    private final boolean asynchronousCreateCommit;
    /** Insert and count the user's other live sessions in one statement; binds the row, user id, now. */
    final String insertCountingOthers;
    /** Delete a batch of expired rows; binds now, limit. */
    final String deleteExpired;
    /** Delete and archive a batch of expired rows; binds now, limit, now (ended), now (reason). */
    final String deleteExpiredArchived;
    /** Delete and archive one row; binds key, ended, reason. */
    final String deleteArchived;

    PostgresSql(String prefix, boolean asynchronousCreateCommit) {
        super(JdbcDialect.POSTGRESQL, new SessionTable(prefix, false), " LIMIT ?", true);
        this.asynchronousCreateCommit = asynchronousCreateCommit;
        String sessions = table.sessions;
        // The main query does not see the CTE's insert (one snapshot): it counts the user's other sessions.
        // set_config sits in the select list of an aggregate without GROUP BY, which yields exactly one row, so
        // it runs even when the count matches nothing; is_local limits it to this statement's transaction.
        insertCountingOthers = "WITH inserted AS (" + statements.insert + " RETURNING 1) SELECT COUNT(*)"
                + (asynchronousCreateCommit ? ", set_config('synchronous_commit', 'off', true)" : "")
                + " FROM " + sessions + " WHERE user_id = ? AND expires_at > ?";
        // Cleanup finds the batch's rows again by ctid (a TID scan) rather than joining back on the 32-byte key.
        // Every ctid the subselect returns is that of a row version this statement has locked, and nobody else
        // can update or delete a locked version before we commit, so the ctid still names it. A row changed by a
        // transaction that committed after our snapshot is locked at its newest version and re-checked
        // (EvalPlanQual): live again, it is not returned; still expired, its ctid is returned but that version
        // is invisible to our snapshot, so the DELETE skips it and a later batch or cleanup run takes it (a batch
        // that comes back short for this reason ends the run early). Either way a session made live again is
        // never deleted (PostgresCleanupRaceTest).
        // SKIP LOCKED: cleaners never wait for each other's rows, so they cannot deadlock. ORDER BY expires_at is
        // not needed for that, but keeps each batch an index scan of the oldest expired rows even under a generic
        // plan (without it PostgreSQL may pick a sequential scan that reads the whole table for every batch).
        // ctid is unique only within one table: this relies on the shipped, unpartitioned sessions table.
        String expiredRows = "SELECT ctid FROM " + sessions + " WHERE expires_at <= ? ORDER BY expires_at LIMIT ? "
                + "FOR UPDATE SKIP LOCKED";
        String columns = table.archiveColumns;
        deleteExpired = "DELETE FROM " + sessions + " WHERE ctid = ANY(ARRAY(" + expiredRows + "))";
        deleteExpiredArchived = "WITH ended AS (" + deleteExpired + " RETURNING " + columns + ") "
                + table.archiveInsertHead() + " SELECT " + columns + ", ?, " + EXPIRY_REASON + " FROM ended";
        deleteArchived = "WITH ended AS (DELETE FROM " + sessions + " WHERE session_key = ? RETURNING " + columns + ") "
                + table.archiveInsertHead() + " SELECT " + columns + ", ?, ? FROM ended";
    }

    @Override
    boolean asynchronousCreateCommit() {
        return asynchronousCreateCommit;
    }

    @Override
    String describe() {
        return asynchronousCreateCommit ? "new sessions commit asynchronously" : "";
    }

    @Override
    int insertAndCountLive(Connection c, SessionRecord r, String attributes, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(insertCountingOthers)) {
            int i = SessionTable.bindData(ps, table.bindKey(ps, 1, r.key().bytes()), r, attributes);
            ps.setString(i, r.userId());
            ps.setLong(i + 1, now);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) + (r.expiresAt().toEpochMilli() > now ? 1 : 0);
            }
        }
    }

    @Override
    boolean deleteArchived(Connection c, byte[] key, long endedAt, String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(deleteArchived)) {
            ps.setBytes(1, key);
            ps.setLong(2, endedAt);
            ps.setString(3, reason);
            return ps.executeUpdate() > 0;
        }
    }

    @Override
    int deleteExpired(Connection c, long now, int limit, boolean archive) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(archive ? deleteExpiredArchived : deleteExpired)) {
            ps.setLong(1, now);
            ps.setInt(2, limit);
            if (archive) {
                ps.setLong(3, now);
                ps.setLong(4, now);
            }
            return ps.executeUpdate();
        }
    }
}
