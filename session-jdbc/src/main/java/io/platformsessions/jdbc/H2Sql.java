package io.platformsessions.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * H2 2.x: rows keyed by {@code key_id} ({@link SessionTable#keyId}); without the archive, cleanup is one
 * bounded {@code DELETE}, otherwise the portable locking transaction. Immutable and thread-safe.
 */
final class H2Sql extends DialectSql {
    /** One bounded delete of expired rows; binds now, batch size. */
    final String deleteExpired;

    H2Sql(String prefix) {
        super(JdbcDialect.H2, new SessionTable(prefix, true), " FETCH FIRST ? ROWS ONLY", true);
        // rows are deleted in expires_at index order by every cleaner, so concurrent cleaners cannot deadlock
        deleteExpired = "DELETE FROM " + table.sessions + " WHERE expires_at <= ? FETCH FIRST ? ROWS ONLY";
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
