package io.platformsessions.jdbc;

import io.platformsessions.SessionStoreException;
import io.platformsessions.spi.SessionRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * H2 2.x: rows keyed by {@code key_id} ({@link SessionTable#keyId}); without the archive, cleanup is one
 * bounded {@code DELETE}, otherwise the portable locking transaction; a login's insert and count serialized by
 * a row lock in {@code <prefix>session_locks}. Immutable and thread-safe.
 */
final class H2Sql extends DialectSql {
    /** Rows of {@code <prefix>session_locks}: stripes 0 to 63, created by the H2 schema file. */
    static final int LOCK_STRIPES = 64;

    /** One bounded delete of expired rows; binds now, batch size. */
    final String deleteExpired;
    private final String locks;
    /** Lock the user's stripe until commit; binds the stripe. */
    private final String lockStripe;

    H2Sql(String prefix) {
        // H2 bounds lock waits with its own lock timeout (a database setting), and network timeouts do not apply
        super(JdbcDialect.H2, new SessionTable(prefix, true), " FETCH FIRST ? ROWS ONLY", true, 0);
        // rows are deleted in expires_at index order by every cleaner, so concurrent cleaners cannot deadlock
        deleteExpired = "DELETE FROM " + table.sessions + " WHERE expires_at <= ? FETCH FIRST ? ROWS ONLY";
        locks = prefix + "session_locks";
        lockStripe = "SELECT stripe FROM " + locks + " WHERE stripe = ? FOR UPDATE";
    }

    @Override
    List<String> auxiliaryTables() {
        return List.of(locks);
    }

    @Override
    Map<String, String> columnChecks() {
        Map<String, String> checks = super.columnChecks();
        checks.put(locks, "SELECT stripe FROM " + locks + " WHERE 1 = 0");
        return checks;
    }

    /**
     * H2 has no advisory locks: one short READ COMMITTED transaction locks the row of the user's stripe (a hash of
     * the user id), inserts and counts; the count sees every login of a user of this stripe that committed
     * before, so each count is exact (SessionLimitRaceTest). Logins of users who share a stripe wait for each
     * other too; the transactions are short. A lock wait past H2's lock timeout fails transiently.
     */
    @Override
    int insertAndCountLive(Connection c, SessionRecord r, String attributes, long now) throws SQLException {
        int stripe = Math.floorMod(r.userId().hashCode(), LOCK_STRIPES);
        return Transactions.run(c, Connection.TRANSACTION_READ_COMMITTED, () -> {
            try (PreparedStatement ps = c.prepareStatement(lockStripe)) {
                ps.setInt(1, stripe);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw SessionStoreException.permanentFailure(locks + " lacks lock stripe " + stripe
                                + ": run JdbcSessionStore.createSchema() or the H2 schema file again", null);
                    }
                }
            }
            statements.insert(c, r, attributes);
            try (PreparedStatement ps = c.prepareStatement(statements.countLiveOfUser)) {
                ps.setString(1, r.userId());
                ps.setLong(2, now);
                try (ResultSet rs = ps.executeQuery()) {
                    return count(rs);
                }
            }
        });
    }

    @Override
    int deleteExpired(Connection c, long now, int limit, boolean archive) throws SQLException {
        if (archive) {
            return super.deleteExpired(c, now, limit, true);
        }
        try (PreparedStatement ps = c.prepareStatement(deleteExpired)) {
            ps.setLong(1, now);
            ps.setInt(2, limit);
            return ps.executeUpdate();
        }
    }
}
