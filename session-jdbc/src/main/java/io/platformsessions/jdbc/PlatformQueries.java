package io.platformsessions.jdbc;

import io.platformsessions.PlatformConnection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The two reads every platform directory answers, by id and by user, with queries that return by position: id,
 * user id, name, platform type, instance URL, active, default. Shared by {@link JdbcPlatformDirectory} (its own
 * table) and {@link QueryPlatformDirectory} (the application's queries). Immutable and thread-safe.
 */
final class PlatformQueries {
    private final Jdbi jdbi;
    private final String findById;
    private final String findByUser;

    PlatformQueries(Jdbi jdbi, String findById, String findByUser) {
        this.jdbi = jdbi;
        this.findById = findById;
        this.findByUser = findByUser;
    }

    Optional<PlatformConnection> find(long platformId) {
        try (Handle h = jdbi.open()) {
            return h.createQuery(findById).bind(0, platformId).map(PlatformQueries::read).findFirst();
        } catch (RuntimeException e) {
            throw SqlFailures.map("find platform connection " + platformId, e);
        }
    }

    List<PlatformConnection> findByUser(String userId) {
        try (Handle h = jdbi.open()) {
            List<PlatformConnection> out = h.createQuery(findByUser).bind(0, userId).map(PlatformQueries::read).list();
            out.removeIf(p -> !p.userId().equals(userId)); // the collation may be laxer than String.equals
            return out;
        } catch (RuntimeException e) {
            throw SqlFailures.map("find platform connections of a user", e);
        }
    }

    /**
     * Checks an application query: exactly one {@code ?}.
     *
     * @param query the SQL
     * @param name what it is, for the message
     * @return the query
     * @throws IllegalArgumentException if it does not have exactly one {@code ?}
     */
    static String oneParameter(String query, String name) {
        Objects.requireNonNull(query, name);
        long marks = query.chars().filter(c -> c == '?').count();
        if (marks != 1) {
            throw new IllegalArgumentException(name + " query must have exactly one '?' parameter, has " + marks);
        }
        return query;
    }

    private static PlatformConnection read(ResultSet rs, StatementContext ctx) throws SQLException {
        return new PlatformConnection(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getBoolean(6), rs.getBoolean(7));
    }
}
