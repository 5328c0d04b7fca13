package io.platformsessions.jdbc;

import io.platformsessions.spi.SessionRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * PostgreSQL: every operation is one round trip: one statement, including cleanup and archiving (a
 * data-modifying {@code WITH}), or, for the insert-and-count of a login, four statements sent in one execute.
 * Immutable and thread-safe.
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
    /**
     * Lock the user, insert, count the user's live sessions: four statements in one execute; binds user id (lock),
     * the row, user id, now.
     */
    final String insertAndCount;
    /** Delete a batch of expired rows; binds now, limit. */
    final String deleteExpired;
    /** Delete and archive a batch of expired rows; binds now, limit, now (ended), now (reason). */
    final String deleteExpiredArchived;
    /** Delete and archive one row; binds key, ended, reason. */
    final String deleteArchived;

    PostgresSql(String prefix, boolean asynchronousCreateCommit, int userLockWaitMillis) {
        super(JdbcDialect.POSTGRESQL, new SessionTable(prefix, false), " LIMIT ?", true, userLockWaitMillis);
        this.asynchronousCreateCommit = asynchronousCreateCommit;
        String sessions = table.sessions;
        // One execute, so one round trip and, in autocommit, one implicit transaction (the driver sends the four
        // statements before a single Sync): set this transaction's lock wait (and, if asked, its asynchronous
        // commit); take a transaction-scoped advisory lock on (this table, the user id), released by the commit;
        // insert; count. At READ COMMITTED each statement takes its snapshot when it starts, so the count, which
        // starts after the lock is granted, sees every login of this user that committed before: logins of one
        // user are serialized and each count is exact (SessionLimitRaceTest). A lock wait past lock_timeout fails
        // the whole transaction (55P03, transient) before anything is inserted.
        insertAndCount = "SELECT set_config('lock_timeout', '" + userLockWaitMillis + "', true)"
                + (asynchronousCreateCommit ? ", set_config('synchronous_commit', 'off', true)" : "")
                + "; SELECT pg_advisory_xact_lock(" + sessions.hashCode() + ", hashtext(?))"
                + "; " + statements.insert
                + "; " + statements.countLiveOfUser;
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
        return atReadCommitted(c, () -> {
            try (PreparedStatement ps = c.prepareStatement(insertAndCount)) {
                ps.setString(1, r.userId());
                int i = SessionTable.bindData(ps, table.bindKey(ps, 2, r.key().bytes()), r, attributes);
                ps.setString(i, r.userId());
                ps.setLong(i + 1, now);
                // results: the settings row, the lock row, the insert's update count, the count row
                boolean resultSet = ps.execute();
                for (int resultSets = 0; ; resultSet = ps.getMoreResults()) {
                    if (resultSet && ++resultSets == 3) {
                        try (ResultSet rs = ps.getResultSet()) {
                            return count(rs);
                        }
                    }
                    if (!resultSet && ps.getUpdateCount() == -1) {
                        throw new SQLException("the insert-and-count statements returned no count");
                    }
                }
            }
        });
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
    boolean deleteArchivedInTransaction(Connection c, byte[] key, long endedAt, String reason) throws SQLException {
        return deleteArchived(c, key, endedAt, reason); // one statement: atomic on its own
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
