package io.platformsessions.benchmarks;

import io.platformsessions.jdbc.JdbcDialect;
import io.platformsessions.jdbc.JdbcSessionStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Makes storing many expired sessions in our table cheap, so the cleanup benchmark can repeat:
 * {@link #build} replicates a few real rows (written by the store for sessions created through the
 * public API) into a template table, each copy with its own key (SHA-256 of the seed key and the copy
 * number) and user id; {@link #copyInto} then adds them all to the sessions table with one
 * {@code INSERT ... SELECT}. Benchmark set-up only, never timed. Not thread-safe.
 */
final class ExpiredTemplate {
    private static final String TEMPLATE = "bench_tpl_ps_sessions";
    private final JdbcSessionStore store;
    private int size = -1;

    ExpiredTemplate(JdbcSessionStore store) {
        this.store = store;
    }

    /** Rows the template holds, or -1 before {@link #build}. */
    int size() {
        return size;
    }

    /**
     * Builds the template from the expired rows now in the sessions table (the seeds), copied
     * {@code copies} times each, and then deletes the seeds.
     * @param copies copies per seed row
     * @param nowMillis the current time; rows expiring at or before it are the seeds
     */
    void build(int copies, long nowMillis) {
        String sessions = store.sessionsTable();
        boolean pg = store.dialect() == JdbcDialect.POSTGRESQL;
        try (Connection c = store.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + TEMPLATE);
            s.execute("CREATE TABLE " + TEMPLATE + " AS SELECT * FROM " + sessions + " WHERE 1 = 0");
            List<String> columns = new ArrayList<>();
            try (var rs = s.executeQuery("SELECT * FROM " + sessions + " WHERE 1 = 0")) {
                ResultSetMetaData md = rs.getMetaData();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    columns.add(md.getColumnName(i).toLowerCase(Locale.ROOT));
                }
            }
            String copyKey = pg
                    ? "sha256(convert_to(encode(s.session_key, 'hex') || '-' || g.n, 'UTF8'))"
                    : "HASH('SHA-256', RAWTOHEX(s.session_key) || '-' || g.n)";
            StringBuilder select = new StringBuilder();
            for (String col : columns) {
                if (select.length() > 0) {
                    select.append(", ");
                }
                switch (col) {
                    case "session_key" -> select.append(copyKey);
                    // H2's primary key: the copy's key's first 8 bytes (see SessionSql.keyIdColumn)
                    case "key_id" -> select.append("CAST(SUBSTRING(").append(copyKey).append(", 1, 8) AS BIGINT)");
                    case "user_id" -> select.append("s.user_id || '-' || g.n");
                    default -> select.append("s.").append(col);
                }
            }
            String series = pg ? "generate_series(1, ?) AS g(n)" : "(SELECT X AS n FROM SYSTEM_RANGE(1, ?)) g";
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TEMPLATE + " SELECT " + select + " FROM "
                    + sessions + " s CROSS JOIN " + series + " WHERE s.expires_at <= ?")) {
                ps.setInt(1, copies);
                ps.setLong(2, nowMillis);
                size = ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + sessions + " WHERE expires_at <= ?")) {
                ps.setLong(1, nowMillis);
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not build the expired-session template: " + e.getMessage(), e);
        }
    }

    /** Adds every template row to the sessions table. */
    void copyInto() {
        try (Connection c = store.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO " + store.sessionsTable() + " SELECT * FROM " + TEMPLATE);
        } catch (SQLException e) {
            throw new IllegalStateException("could not copy expired sessions: " + e.getMessage(), e);
        }
    }
}
