package io.platformsessions.jdbc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Every SQL statement the session store runs, built once per dialect and table prefix. Immutable.
 */
final class SessionSql {
    private static final VarHandle KEY_ID = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    /** The session columns after {@code session_key}, in bind and read order. */
    static final String DATA_COLUMNS = "session_id, user_id, username, platform_id, platform_name, platform_type, "
            + "platform_url, created_at, last_activity_at, expires_at, absolute_expires_at, version, csrf_secret, "
            + "client_ip_network, client_ua_family, client_language, client_device_label, elevation_level, "
            + "elevated_until, attributes";
    /** Number of {@link #DATA_COLUMNS}. */
    static final int DATA_COLUMN_COUNT = 20;
    /** The columns copied to the archive (no CSRF secret, no elevation, no attribute values). */
    static final String ARCHIVE_COLUMNS = "session_key, session_id, user_id, username, platform_id, platform_name, "
            + "platform_type, platform_url, created_at, last_activity_at, expires_at, absolute_expires_at, version, "
            + "client_ip_network, client_ua_family, client_language, client_device_label";
    /** Number of {@link #ARCHIVE_COLUMNS}. */
    static final int ARCHIVE_COLUMN_COUNT = 17;
    private static final String EXPIRY_REASON =
            "CASE WHEN absolute_expires_at <= ? THEN 'ABSOLUTE_TIMEOUT' ELSE 'IDLE_TIMEOUT' END";

    /**
     * H2 only: the sessions table's primary key is {@code key_id}, the first 8 bytes of the session key as a
     * signed big-endian {@code BIGINT}, and every statement that finds a row by key binds it before the key
     * ({@link #keyId}). H2 keeps a table's rows in a B-tree keyed by a single-column integer primary key,
     * or else by a hidden row id plus a second index for the key; and it executes every {@code UPDATE} as
     * removing and re-adding the row in every index. One structure fewer made an H2 update about 25 %
     * cheaper. Equal keys have equal {@code key_id}s; two different keys that share their first 8 bytes (a
     * 2^-64 chance per pair) collide on the primary key, and the second insert is refused as a duplicate key.
     */
    final boolean keyIdColumn;
    final String sessions;
    final String archive;
    /** Reads no row but names every column of the sessions table this version uses. */
    final String columnCheck;
    /** Reads no row but names every column of the archive table this version uses. */
    final String archiveColumnCheck;
    final String insert;
    final String find;
    final String findByUser;
    final String update;
    final String rekey;
    final String touch;
    final String delete;
    final String countActive;
    /** PostgreSQL: delete a batch of expired rows in one statement; binds now, limit. */
    final String pgDeleteExpired;
    /** PostgreSQL: delete and archive a batch in one statement; binds now, limit, now (ended), now (reason). */
    final String pgDeleteExpiredArchived;
    /** PostgreSQL: delete and archive one row in one statement; binds key, ended, reason. */
    final String pgDeleteArchived;
    /** Other dialects: lock and read a batch of expired rows ({@link #ARCHIVE_COLUMNS}); binds now, limit. */
    final String lockExpired;
    /** Live sessions of a user; binds user id, now. */
    final String countLiveOfUser;
    /** PostgreSQL: insert and count the user's other live sessions in one statement; binds the row, user id, now. */
    final String pgInsertCountingOthers;
    /**
     * {@link #pgInsertCountingOthers} whose transaction commits with {@code synchronous_commit = off}
     * ({@code JdbcSessionStore.Builder#asynchronousCreateCommit}). {@code set_config} sits in the select list
     * of an aggregate without {@code GROUP BY}, which yields exactly one row, so it runs even when the count
     * matches nothing; its {@code is_local} flag limits it to this statement's transaction.
     */
    final String pgInsertCountingOthersAsync;
    /** H2 without archive: one bounded delete of expired rows; binds now, batch size. */
    final String h2DeleteExpired;
    /** Other dialects: archive one row from values; binds the {@link #ARCHIVE_COLUMNS}, ended, reason. */
    final String archiveValues;
    /** Other dialects: lock one row; binds the key (on H2 its {@code key_id} first). */
    final String lockOne;
    /** Other dialects: archive one row; binds ended, reason, the key (on H2 its {@code key_id} first). */
    final String archiveOne;

    SessionSql(JdbcDialect dialect, String prefix, boolean skipLocked) {
        keyIdColumn = dialect == JdbcDialect.H2;
        sessions = prefix + "sessions";
        archive = prefix + "sessions_archive";
        String all = "session_key, " + DATA_COLUMNS;
        String keyColumns = keyIdColumn ? "key_id, session_key" : "session_key";
        String keyMatch = keyIdColumn ? "key_id = ? AND session_key = ?" : "session_key = ?";
        int keyParameters = keyIdColumn ? 2 : 1;
        insert = "INSERT INTO " + sessions + " (" + keyColumns + ", " + DATA_COLUMNS + ") VALUES ("
                + placeholders(keyParameters + DATA_COLUMN_COUNT) + ")";
        find = "SELECT " + all + " FROM " + sessions + " WHERE " + keyMatch;
        columnCheck = "SELECT " + keyColumns + ", " + DATA_COLUMNS + " FROM " + sessions + " WHERE 1 = 0";
        archiveColumnCheck = "SELECT " + ARCHIVE_COLUMNS + ", ended_at, end_reason FROM " + archive + " WHERE 1 = 0";
        findByUser = "SELECT " + all + " FROM " + sessions + " WHERE user_id = ?";
        String set = DATA_COLUMNS.replace(", ", " = ?, ") + " = ?";
        update = "UPDATE " + sessions + " SET " + set + " WHERE " + keyMatch + " AND version = ?";
        rekey = "UPDATE " + sessions + " SET " + keyColumns.replace(", ", " = ?, ") + " = ?, " + set
                + " WHERE " + keyMatch + " AND version = ?";
        // the stored absolute expiry caps the idle one, so a touch racing with extend() cannot undo it
        touch = "UPDATE " + sessions + " SET last_activity_at = ?, expires_at = LEAST(?, absolute_expires_at)"
                + " WHERE " + keyMatch
                + " AND last_activity_at < ?";
        delete = "DELETE FROM " + sessions + " WHERE " + keyMatch;
        countActive = "SELECT platform_type, COUNT(*) FROM " + sessions + " WHERE expires_at > ? GROUP BY platform_type";
        String liveOfUser = " FROM " + sessions + " WHERE user_id = ? AND expires_at > ?";
        countLiveOfUser = "SELECT COUNT(*)" + liveOfUser;
        // the main query does not see the CTE's insert (one snapshot): it counts the user's other sessions
        String inserted = "WITH inserted AS (" + insert + " RETURNING 1) ";
        pgInsertCountingOthers = inserted + countLiveOfUser;
        pgInsertCountingOthersAsync = inserted + "SELECT COUNT(*), set_config('synchronous_commit', 'off', true)"
                + liveOfUser;
        // rows are deleted in expires_at index order by every cleaner, so concurrent cleaners cannot deadlock
        h2DeleteExpired = "DELETE FROM " + sessions + " WHERE expires_at <= ? FETCH FIRST ? ROWS ONLY";

        String limit = dialect == JdbcDialect.H2 ? " FETCH FIRST ? ROWS ONLY" : " LIMIT ?";
        // PostgreSQL cleanup: the DELETE finds the batch's rows again by ctid (a TID scan) rather than joining back
        // on the 32-byte key. Every ctid the subselect returns is that of a row version this statement has locked,
        // and nobody else can update or delete a locked version before we commit, so the ctid still names it. A
        // row changed by a transaction that committed after our snapshot is locked at its newest version and
        // re-checked (EvalPlanQual): live again, it is not returned; still expired, its ctid is returned but that
        // version is invisible to our snapshot, so the DELETE skips it and a later batch or cleanup run takes it
        // (a batch that comes back short for this reason ends the run early). Either way a
        // session made live again is never deleted (PostgresCleanupRaceTest).
        // SKIP LOCKED: cleaners never wait for each other's rows, so they cannot deadlock. ORDER BY expires_at is
        // not needed for that, but keeps each batch an index scan of the oldest expired rows even under a generic
        // plan (without it PostgreSQL may pick a sequential scan that reads the whole table for every batch).
        // ctid is unique only within one table: this relies on the shipped, unpartitioned sessions table.
        String expiredRows = "SELECT ctid FROM " + sessions + " WHERE expires_at <= ? ORDER BY expires_at"
                + limit + " FOR UPDATE" + (skipLocked ? " SKIP LOCKED" : "");
        pgDeleteExpired = "DELETE FROM " + sessions + " WHERE ctid = ANY(ARRAY(" + expiredRows + "))";
        pgDeleteExpiredArchived = "WITH ended AS (DELETE FROM " + sessions + " WHERE ctid = ANY(ARRAY(" + expiredRows
                + ")) RETURNING " + ARCHIVE_COLUMNS + ") INSERT INTO " + archive + " (" + ARCHIVE_COLUMNS
                + ", ended_at, end_reason) SELECT " + ARCHIVE_COLUMNS + ", ?, " + EXPIRY_REASON + " FROM ended";
        pgDeleteArchived = "WITH ended AS (DELETE FROM " + sessions + " WHERE session_key = ? RETURNING "
                + ARCHIVE_COLUMNS + ") INSERT INTO " + archive + " (" + ARCHIVE_COLUMNS + ", ended_at, end_reason)"
                + " SELECT " + ARCHIVE_COLUMNS + ", ?, ? FROM ended";
        lockExpired = "SELECT " + ARCHIVE_COLUMNS + " FROM " + sessions + " WHERE expires_at <= ? ORDER BY expires_at"
                + limit + " FOR UPDATE" + (skipLocked ? " SKIP LOCKED" : "");
        archiveValues = "INSERT INTO " + archive + " (" + ARCHIVE_COLUMNS + ", ended_at, end_reason) VALUES ("
                + placeholders(ARCHIVE_COLUMN_COUNT + 2) + ")";
        lockOne = "SELECT session_key FROM " + sessions + " WHERE " + keyMatch + " FOR UPDATE";
        archiveOne = "INSERT INTO " + archive + " (" + ARCHIVE_COLUMNS + ", ended_at, end_reason) SELECT "
                + ARCHIVE_COLUMNS + ", ?, ? FROM " + sessions + " WHERE " + keyMatch;
    }

    /**
     * The H2 primary key of a session key: its first 8 bytes as a signed big-endian long.
     * @param key the 32-byte session key
     * @return the {@code key_id} value
     */
    static long keyId(byte[] key) {
        return (long) KEY_ID.get(key, 0);
    }

    static String placeholders(int n) {
        StringBuilder b = new StringBuilder(n * 3);
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "?" : ", ?");
        }
        return b.toString();
    }
}
