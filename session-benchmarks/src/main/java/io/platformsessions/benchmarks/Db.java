package io.platformsessions.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The databases the benchmarks run on, and how to open a HikariCP pool on the JDBC ones. Every pool gets a
 * fresh namespace (an H2 in-memory database, or a PostgreSQL schema created for the run and dropped
 * on close), so runs never see each other's rows or collide with other users of the server. Redis is not
 * opened here: {@link RedisTarget} gives each subject a fresh key prefix instead.
 * Thread-safe (stateless).
 */
public enum Db {
    /** Embedded H2, in memory, in the benchmark's own JVM. */
    H2("H2"),
    /** The real PostgreSQL named by the environment variable {@value #POSTGRES_ENV}. */
    POSTGRESQL("PostgreSQL"),
    /** The real Redis named by {@value RedisTarget#URI_ENV} (default {@value RedisTarget#DEFAULT_URI}). */
    REDIS("Redis");

    /** Environment variable (or system property) holding the PostgreSQL JDBC URL. */
    public static final String POSTGRES_ENV = "PS_TEST_POSTGRES_URL";

    /** System property: when {@code true}, PostgreSQL pools run with {@code synchronous_commit = off}. */
    public static final String ASYNC_COMMIT_PROPERTY = "ps.bench.pgAsyncCommit";

    private final String label;

    Db(String label) {
        this.label = label;
    }

    /**
     * Human name for tables.
     * @return the label
     */
    public String label() {
        return label;
    }

    /**
     * The PostgreSQL URL from {@value #POSTGRES_ENV} (system property first, then environment).
     * @return the URL, or {@code null} if unset
     */
    public static String postgresUrl() {
        String url = System.getProperty(POSTGRES_ENV);
        if (url == null || url.isBlank()) {
            url = System.getenv(POSTGRES_ENV);
        }
        return url == null || url.isBlank() ? null : url.trim();
    }

    /**
     * Whether this database can be used in this environment.
     * @return {@code true} for H2 always, for PostgreSQL when its URL is set, for Redis when it answers
     */
    public boolean available() {
        return switch (this) {
            case H2 -> true;
            case POSTGRESQL -> postgresUrl() != null;
            case REDIS -> RedisTarget.available();
        };
    }

    /**
     * Whether this is a JDBC database (which {@link #open(int)} opens).
     * @return {@code false} for Redis
     */
    public boolean jdbc() {
        return this != REDIS;
    }

    /**
     * Parses a JMH parameter value.
     * @param value {@code h2}, {@code postgresql} or {@code redis}, any case
     * @return the database
     * @throws IllegalArgumentException for anything else
     */
    public static Db parse(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    /**
     * Opens a pool on a fresh, empty namespace of this database.
     * @param poolSize maximum pool size
     * @return the pool; closing it drops the namespace
     * @throws IllegalStateException if PostgreSQL is asked for but its URL is unset, or for Redis
     */
    public Pool open(int poolSize) {
        if (this == REDIS) {
            throw new IllegalStateException("Redis has no JDBC pool; use RedisTarget");
        }
        String ns = "psbench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        HikariConfig cfg = new HikariConfig();
        cfg.setPoolName("bench-" + name().toLowerCase(Locale.ROOT));
        cfg.setMaximumPoolSize(poolSize);
        cfg.setMinimumIdle(poolSize);
        cfg.setConnectionTimeout(5_000);
        if (this == H2) {
            cfg.setJdbcUrl("jdbc:h2:mem:" + ns + ";DB_CLOSE_DELAY=-1");
            cfg.setUsername("sa");
            cfg.setPassword("");
            return new Pool(this, new HikariDataSource(cfg), null);
        }
        String url = postgresUrl();
        if (url == null) {
            throw new IllegalStateException("set " + POSTGRES_ENV + " (e.g. jdbc:postgresql://127.0.0.1:5432/test?user=postgres)");
        }
        try (Connection c = java.sql.DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + ns);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create schema " + ns + " on PostgreSQL: " + e.getMessage(), e);
        }
        cfg.setJdbcUrl(url);
        cfg.setSchema(ns);
        if (Boolean.getBoolean(ASYNC_COMMIT_PROPERTY)) {
            // diagnostic only (--pg-async-commit): commits stop waiting for the WAL flush, for both libraries
            cfg.setConnectionInitSql("SET synchronous_commit = off");
        }
        return new Pool(this, new HikariDataSource(cfg), ns);
    }

    /**
     * An open pool on a fresh namespace. Thread-safe (the pool is); close once.
     * @param db the database
     * @param dataSource the pool
     * @param schema the PostgreSQL schema created for it, or {@code null} on H2
     */
    public record Pool(Db db, HikariDataSource dataSource, String schema) implements AutoCloseable {

        /**
         * The pool as a plain {@link DataSource}.
         * @return the data source
         */
        public DataSource ds() {
            return dataSource;
        }

        /**
         * Updates the planner statistics of every table in the namespace, as autovacuum would have done
         * in a running system, so that both libraries' queries get the plans they get in production
         * rather than plans for the empty tables seen at creation.
         * @throws IllegalStateException if the database refuses
         */
        public void analyze() {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                if (schema == null) {
                    s.execute("ANALYZE");
                    return;
                }
                java.util.List<String> tables = new java.util.ArrayList<>();
                try (var rs = s.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")) {
                    while (rs.next()) {
                        tables.add(rs.getString(1));
                    }
                }
                for (String t : tables) {
                    s.execute("ANALYZE " + schema + "." + t);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("ANALYZE failed: " + e.getMessage(), e);
            }
        }

        /** Closes the pool and drops the namespace (H2: the in-memory database; PostgreSQL: the schema). */
        @Override
        public void close() {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                // H2: frees the in-memory database's rows; the empty database is dropped with the JVM
                s.execute(schema == null ? "DROP ALL OBJECTS" : "DROP SCHEMA " + schema + " CASCADE");
            } catch (SQLException e) {
                System.err.println("WARN could not drop benchmark namespace " + (schema == null ? "(H2)" : schema) + ": " + e);
            } finally {
                dataSource.close();
            }
        }
    }
}
