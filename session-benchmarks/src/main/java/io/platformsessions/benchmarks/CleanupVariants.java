package io.platformsessions.benchmarks;

import io.platformsessions.jdbc.JdbcSessionStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Diagnostic ({@code --cleanup-variants}): times other SQL for deleting expired sessions from our table
 * against what {@code manager.cleanupExpired()} does today and against Spring Session's cleanup, on the
 * same database, interleaved in rounds, so the lead can check the cleanup fix proposed in
 * {@code docs/benchmarks.md} before changing session-jdbc (the ctid form with
 * {@code ORDER BY expires_at} is what session-jdbc runs now). Plain JDBC, autocommit, one statement per
 * batch. Not thread-safe; run alone.
 */
final class CleanupVariants {
    private static final String TEMPLATE = "bench_cv_expired";

    private CleanupVariants() {
    }

    /**
     * Runs every variant {@code rounds} times on {@code expired} expired sessions.
     * @param db the database
     * @param expired expired sessions per timed call
     * @param rounds timed calls per variant
     * @return a Markdown table of median sessions removed per second
     */
    static String run(Db db, int expired, int rounds) {
        boolean pg = db == Db.POSTGRESQL;
        Map<String, String> sql = new LinkedHashMap<>();
        if (pg) {
            String keys = "SELECT %s FROM ps_sessions WHERE expires_at <= ?%s LIMIT ? FOR UPDATE SKIP LOCKED";
            sql.put("DELETE ... WHERE session_key IN (SELECT session_key ... ORDER BY expires_at LIMIT 500 FOR UPDATE SKIP LOCKED)"
                    + " (the SQL before the ctid change, without the engine)", "DELETE FROM ps_sessions WHERE session_key IN ("
                    + String.format(keys, "session_key", " ORDER BY expires_at") + ")|500");
            sql.put("DELETE ... WHERE ctid = ANY(ARRAY(SELECT ctid ... ORDER BY expires_at LIMIT 500 FOR UPDATE SKIP LOCKED))"
                    + " (today's SQL, without the engine)", "DELETE FROM ps_sessions WHERE ctid = ANY(ARRAY("
                    + String.format(keys, "ctid", " ORDER BY expires_at") + "))|500");
            sql.put("DELETE ... WHERE ctid = ANY(ARRAY(SELECT ctid ... LIMIT 500 FOR UPDATE SKIP LOCKED))",
                    "DELETE FROM ps_sessions WHERE ctid = ANY(ARRAY(" + String.format(keys, "ctid", "") + "))|500");
            sql.put("the same ctid statement, batches of 5,000",
                    "DELETE FROM ps_sessions WHERE ctid = ANY(ARRAY(" + String.format(keys, "ctid", "") + "))|5000");
        } else {
            sql.put("DELETE ... WHERE expires_at <= ? FETCH FIRST 500 ROWS ONLY",
                    "DELETE FROM ps_sessions WHERE expires_at <= ? FETCH FIRST ? ROWS ONLY|500");
            sql.put("the same, batches of 5,000", "DELETE FROM ps_sessions WHERE expires_at <= ? FETCH FIRST ? ROWS ONLY|5000");
        }
        Map<String, List<Double>> results = new LinkedHashMap<>();
        try (Db.Pool pool = db.open(Parallel.THREADS + 2)) {
            DataSource ds = pool.ds();
            JdbcSessionStore store = OurStores.open(pool, ds);
            OursSubject ours = new OursSubject(store, true);
            ours.prepareActive(1_000, 100);
            ours.prepareExpired(expired);
            long now = System.currentTimeMillis();
            execute(ds, "CREATE TABLE " + TEMPLATE + " AS SELECT * FROM ps_sessions WHERE expires_at <= " + now);
            execute(ds, "DELETE FROM ps_sessions WHERE expires_at <= " + now);
            SpringSubject.installSchema(ds, db);
            SpringSubject spring = new SpringSubject(ds);
            for (int r = 0; r < rounds; r++) {
                execute(ds, "INSERT INTO ps_sessions SELECT * FROM " + TEMPLATE);
                pool.analyze();
                long t0 = System.nanoTime();
                long n = ours.cleanup();
                record(results, "manager.cleanupExpired() today", n, expired, t0);
                for (Map.Entry<String, String> v : sql.entrySet()) {
                    execute(ds, "INSERT INTO ps_sessions SELECT * FROM " + TEMPLATE);
                    pool.analyze();
                    String[] parts = v.getValue().split("\\|");
                    t0 = System.nanoTime();
                    n = deleteInBatches(ds, parts[0], Integer.parseInt(parts[1]), System.currentTimeMillis());
                    record(results, v.getKey(), n, expired, t0);
                }
                spring.prepareExpired(expired);
                pool.analyze();
                t0 = System.nanoTime();
                spring.cleanup();
                record(results, "Spring Session cleanUpExpiredSessions()", spring.storedSessions() == 0 ? expired : -1,
                        expired, t0);
            }
            ours.close();
        }
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "%nCleanup variants on %s, %,d expired sessions, median of %d (sessions removed per second):%n%n"
                        + "| variant | sessions/s |%n| --- | ---: |%n", db.label(), expired, rounds));
        results.forEach((k, v) -> b.append(String.format(Locale.ROOT, "| %s | %,.0f |%n", k, median(v))));
        return b.toString();
    }

    private static void record(Map<String, List<Double>> results, String name, long removed, int expected, long t0) {
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (removed != expected) {
            throw new IllegalStateException(name + " removed " + removed + " sessions, expected " + expected);
        }
        results.computeIfAbsent(name, k -> new ArrayList<>()).add(expected / seconds);
    }

    private static double median(List<Double> values) {
        List<Double> v = new ArrayList<>(values);
        Collections.sort(v);
        return v.get(v.size() / 2);
    }

    private static long deleteInBatches(DataSource ds, String sql, int batch, long now) {
        long total = 0;
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            while (true) {
                ps.setLong(1, now);
                ps.setInt(2, batch);
                int n = ps.executeUpdate();
                total += n;
                if (n < batch) {
                    return total;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static void execute(DataSource ds, String sql) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
