package io.platformsessions.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.SQLExceptionOverride;
import io.platformsessions.InvalidationReason;
import io.platformsessions.Limits;
import io.platformsessions.SessionKey;
import io.platformsessions.SessionStoreException;
import io.platformsessions.spi.SessionRecord;
import io.platformsessions.spi.SessionStore;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SessionStore} in a relational database (H2, PostgreSQL, MariaDB/MySQL), on Jdbi 3 over a
 * HikariCP pool. One row per session in {@code <prefix>sessions}; the schema ships in the jar per
 * dialect ({@link JdbcDialect#schemaResource()}).
 *
 * <pre>{@code
 * JdbcSessionStore store = JdbcSessionStore.builder()
 *         .jdbcUrl("jdbc:postgresql://db/app").username("app").password(secret)
 *         .initializeSchema(true)
 *         .build();
 * SessionManager sessions = SessionManager.builder(store).build();
 * ...
 * store.close(); // closes the pool the store created
 * }</pre>
 *
 * <p>Cost per operation (autocommit, no explicit transaction): {@link #find}, {@link #insert},
 * {@link #update}, {@link #rekey}, {@link #touch}, {@link #findByUser} and {@link #delete} (without
 * archive) are each exactly one SQL statement, one round trip. All SQL is built once at construction, as
 * plain JDBC {@link java.sql.PreparedStatement}s (the package documentation states where Jdbi is used).
 *
 * <p>Failures: every SQL or pool failure becomes a {@link SessionStoreException}; it is
 * {@linkplain SessionStoreException#isTransient() transient} for connection loss, pool and statement
 * timeouts, serialization failures, deadlocks and lock timeouts. Messages name sessions by
 * {@link SessionKey#prefix()} only. Values that cannot fit the schema (a user id over
 * {@link Limits#MAX_USER_ID_LENGTH} characters, attributes over {@link Limits#MAX_ATTRIBUTES_BYTES} bytes
 * encoded, ...) are refused with {@link IllegalArgumentException} before any SQL runs.
 *
 * <p>Thread-safe. Close it with {@link #close()} when it owns its pool (built from a JDBC URL); closing a
 * store built on an application's {@link DataSource} leaves that data source open.
 */
public final class JdbcSessionStore implements SessionStore, AutoCloseable {
    /** Default table prefix. */
    public static final String DEFAULT_TABLE_PREFIX = "ps_";
    /** Default {@link Builder#connectionTimeout(Duration)} of an owned pool: 2 seconds. */
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(2);
    /** Default {@link Builder#maximumPoolSize(int)} of an owned pool. */
    public static final int DEFAULT_MAXIMUM_POOL_SIZE = 10;

    private static final Logger LOG = LoggerFactory.getLogger(JdbcSessionStore.class);

    private final DataSource dataSource;
    private final HikariDataSource ownedPool;
    private final StoreConnections connections;
    private final String tablePrefix;
    private final DialectSql sql;
    private final SessionStatements statements;
    private final ExpiredSessionCleaner cleaner;
    private final SessionSchema schema;
    private final boolean archive;

    private JdbcSessionStore(Builder b, DataSource dataSource, HikariDataSource ownedPool) {
        this.dataSource = dataSource;
        this.ownedPool = ownedPool;
        this.connections = new StoreConnections(dataSource);
        this.tablePrefix = b.tablePrefix;
        this.archive = b.archiveEndedSessions;
        this.sql = dialectSql(dataSource, b.dialect, tablePrefix, b.asynchronousCreateCommit);
        this.statements = sql.statements;
        this.cleaner = new ExpiredSessionCleaner(connections, sql, archive);
        this.schema = new SessionSchema(connections.jdbi(), sql, tablePrefix);
        if (b.asynchronousCreateCommit && !sql.asynchronousCreateCommit()) {
            LOG.warn("asynchronousCreateCommit(true) has no effect on {}: new sessions commit durably", sql.dialect);
        }
        if (b.initializeSchema) {
            createSchema();
        }
        String notes = sql.describe();
        LOG.info("JDBC session store ready: dialect {}, table {}{}{}", sql.dialect, sql.table.sessions,
                archive ? ", archive " + sql.table.archive : "", notes.isEmpty() ? "" : ", " + notes);
    }

    /** The dialect's SQL; reads the connection's metadata when the dialect or its server version matters. */
    private static DialectSql dialectSql(DataSource dataSource, JdbcDialect configured, String prefix, boolean async) {
        if (configured != null && !configured.versionMatters()) {
            return DialectSql.of(configured, prefix, 0, 0, async);
        }
        try (Connection c = dataSource.getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            JdbcDialect dialect = configured != null ? configured : JdbcDialect.of(meta);
            return DialectSql.of(dialect, prefix, meta.getDatabaseMajorVersion(), meta.getDatabaseMinorVersion(), async);
        } catch (SQLException e) {
            throw SqlFailures.map("connecting to the session database", e);
        }
    }

    /**
     * Starts building a store.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The schema script of a dialect with the table prefix filled in, for applications that manage their
     * schema themselves (Flyway, Liquibase) and want to see or copy it.
     *
     * @param dialect the dialect
     * @param tablePrefix the prefix, as for {@link Builder#tablePrefix(String)}
     * @return the SQL text, statements separated by {@code ;} at line ends
     * @throws IllegalArgumentException if the prefix is not allowed
     */
    public static String schemaSql(JdbcDialect dialect, String tablePrefix) {
        return SchemaScripts.text(dialect.schemaResource(), tablePrefix);
    }

    /**
     * Creates the sessions and archive tables and their indexes if they do not exist (what
     * {@link Builder#initializeSchema(boolean)} does at build time), then checks that the tables have every
     * column this version uses: {@code CREATE TABLE IF NOT EXISTS} keeps a table made by an older version as
     * it is. Idempotent.
     *
     * @throws SessionStoreException if the DDL fails
     * @throws IllegalStateException if an existing table lacks a column this version needs; the message names
     *         the table and the database's complaint
     */
    public void createSchema() {
        schema.create();
    }

    /**
     * Drops the sessions and archive tables: for tests and tear-down tools, never called by the library.
     *
     * @throws SessionStoreException if the DDL fails
     */
    public void dropSchema() {
        schema.drop();
    }

    // ------------------------------------------------------------------------------------------ SessionStore

    @Override
    public void insert(SessionRecord record) {
        String attributes = SessionTable.checkAndEncode(record);
        try (Connection c = connections.borrow()) {
            statements.insert(c, record, attributes);
        } catch (SQLException | RuntimeException e) {
            throw insertFailure(record, e);
        }
    }

    /** Inserts and counts the user's live sessions, in the dialect's way ({@code docs/jdbc.md} lists the round trips). */
    @Override
    public int insertAndCountLive(SessionRecord record, Instant now) {
        String attributes = SessionTable.checkAndEncode(record);
        try (Connection c = connections.borrow()) {
            return sql.insertAndCountLive(c, record, attributes, now.toEpochMilli());
        } catch (SQLException | RuntimeException e) {
            throw insertFailure(record, e);
        }
    }

    private static SessionStoreException insertFailure(SessionRecord record, Throwable e) {
        if (SqlFailures.isDuplicateKey(e)) {
            return SessionStoreException.permanentFailure("a session with key " + record.key().prefix() + "… exists", e);
        }
        return SqlFailures.map("insert session " + record.key().prefix() + "…", e);
    }

    @Override
    public Optional<SessionRecord> find(SessionKey key) {
        try (Connection c = connections.borrow()) {
            return statements.find(c, key);
        } catch (SQLException | RuntimeException e) {
            throw SqlFailures.map("find session " + key.prefix() + "…", e);
        }
    }

    @Override
    public boolean update(SessionRecord next, long expectedVersion) {
        String attributes = SessionTable.checkAndEncode(next);
        try (Connection c = connections.borrow()) {
            return statements.update(c, next, attributes, expectedVersion);
        } catch (SQLException | RuntimeException e) {
            throw SqlFailures.map("update session " + next.key().prefix() + "…", e);
        }
    }

    @Override
    public boolean rekey(SessionKey oldKey, SessionRecord next, long expectedVersion) {
        String attributes = SessionTable.checkAndEncode(next);
        try (Connection c = connections.borrow()) {
            return statements.rekey(c, oldKey, next, attributes, expectedVersion);
        } catch (SQLException | RuntimeException e) {
            if (SqlFailures.isDuplicateKey(e)) {
                throw SessionStoreException.permanentFailure("a session with key " + next.key().prefix() + "… exists", e);
            }
            throw SqlFailures.map("rekey session " + oldKey.prefix() + "…", e);
        }
    }

    @Override
    public boolean touch(SessionKey key, Instant lastActivityAt, Instant idleExpiresAt) {
        try (Connection c = connections.borrow()) {
            return statements.touch(c, key, lastActivityAt, idleExpiresAt);
        } catch (SQLException | RuntimeException e) {
            throw SqlFailures.map("touch session " + key.prefix() + "…", e);
        }
    }

    @Override
    public boolean delete(SessionKey key, InvalidationReason reason, Instant endedAt) {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(endedAt, "endedAt");
        try (Connection c = connections.borrow()) {
            return archive ? sql.deleteArchived(c, key.bytes(), endedAt.toEpochMilli(), reason.name())
                    : statements.delete(c, key.bytes());
        } catch (SQLException | RuntimeException e) {
            throw SqlFailures.map("delete session " + key.prefix() + "…", e);
        }
    }

    @Override
    public List<SessionRecord> findByUser(String userId) {
        if (userId.length() > Limits.MAX_USER_ID_LENGTH) {
            return List.of(); // cannot be stored, so there is nothing to find
        }
        try (Connection c = connections.borrow()) {
            return statements.findByUser(c, userId);
        } catch (SQLException | RuntimeException e) {
            throw SqlFailures.map("find sessions of a user", e);
        }
    }

    @Override
    public int deleteExpired(Instant now, int batchSize) {
        return cleaner.deleteExpired(now, batchSize);
    }

    @Override
    public Map<String, Long> countActiveByPlatformType(Instant now) {
        try (Connection c = connections.borrow()) {
            return statements.countActiveByPlatformType(c, now);
        } catch (SQLException | RuntimeException e) {
            throw SqlFailures.map("count active sessions", e);
        }
    }

    // ------------------------------------------------------------------------------------------ monitoring

    /**
     * The pool's state: for the pool this store owns, or for an application {@link DataSource} that is
     * (or wraps) a {@link HikariDataSource}.
     *
     * @return the status, or empty if the data source is not a started Hikari pool
     */
    public Optional<PoolStatus> poolStatus() {
        HikariDataSource hikari = ownedPool;
        if (hikari == null) {
            try {
                hikari = dataSource instanceof HikariDataSource h ? h
                        : dataSource.isWrapperFor(HikariDataSource.class) ? dataSource.unwrap(HikariDataSource.class)
                        : null;
            } catch (SQLException e) {
                hikari = null;
            }
        }
        HikariPoolMXBean pool = hikari == null ? null : hikari.getHikariPoolMXBean();
        if (pool == null) {
            return Optional.empty();
        }
        return Optional.of(new PoolStatus(pool.getActiveConnections(), pool.getIdleConnections(),
                pool.getThreadsAwaitingConnection(), pool.getTotalConnections()));
    }

    /**
     * The dialect in use (detected or configured).
     *
     * @return the dialect
     */
    public JdbcDialect dialect() {
        return sql.dialect;
    }

    /**
     * The table prefix in use.
     *
     * @return the prefix, possibly empty
     */
    public String tablePrefix() {
        return tablePrefix;
    }

    /**
     * Name of the sessions table ({@code <prefix>sessions}).
     *
     * @return the table name
     */
    public String sessionsTable() {
        return sql.table.sessions;
    }

    /**
     * Name of the archive table ({@code <prefix>sessions_archive}), written only when archiving is on.
     *
     * @return the table name
     */
    public String archiveTable() {
        return sql.table.archive;
    }

    /**
     * Whether ended sessions are copied to {@link #archiveTable()} before deletion.
     *
     * @return {@code true} if archiving
     */
    public boolean archivesEndedSessions() {
        return archive;
    }

    /**
     * The data source the store uses: its own pool, or the application's. Handy for sharing the pool with
     * {@link JdbcPlatformDirectory} or {@link JdbcUserDirectory}. Do not close it; close the store.
     *
     * @return the data source
     */
    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * Closes the pool if the store created it (built from a JDBC URL); otherwise does nothing. Later calls
     * fail with {@link SessionStoreException}. Idempotent.
     */
    @Override
    public void close() {
        if (ownedPool != null && !ownedPool.isClosed()) {
            ownedPool.close();
            LOG.info("JDBC session store closed its pool ({})", sql.table.sessions);
        }
    }

    // ------------------------------------------------------------------------------------------ builder

    /**
     * Builds a {@link JdbcSessionStore}. Give either {@link #jdbcUrl(String)} (the store creates and owns a
     * HikariCP pool) or {@link #dataSource(DataSource)} (the application's pool, never closed by the store).
     * The pool options apply to an owned pool only. Not thread-safe; every setter returns {@code this}.
     * Each setter rejects a bad value at once ({@link IllegalArgumentException}, or
     * {@link NullPointerException} for a {@code null} that has no meaning); {@link #build()} checks that
     * exactly one connection source is given and leaves the builder as it was.
     */
    public static final class Builder {
        private String jdbcUrl;
        private String username;
        private String password;
        private DataSource dataSource;
        private String tablePrefix = DEFAULT_TABLE_PREFIX;
        private boolean initializeSchema;
        private boolean archiveEndedSessions;
        private boolean asynchronousCreateCommit;
        private JdbcDialect dialect;
        private int maximumPoolSize = DEFAULT_MAXIMUM_POOL_SIZE;
        private int minimumIdle = -1;
        private Duration connectionTimeout = DEFAULT_CONNECTION_TIMEOUT;
        private Duration validationTimeout = Duration.ofSeconds(1);
        private Duration idleTimeout = Duration.ofMinutes(10);
        private Duration maxLifetime = Duration.ofMinutes(30);
        private String poolName = "platform-sessions";
        private final Properties dataSourceProperties = new Properties();
        private Consumer<HikariConfig> hikariCustomizer = c -> { };

        private Builder() {
        }

        /**
         * The JDBC URL of the database; the store then creates its own HikariCP pool and closes it in
         * {@link JdbcSessionStore#close()}. The driver (H2, PostgreSQL, MariaDB, MySQL) must be on the class path.
         *
         * @param value for example {@code jdbc:postgresql://db:5432/app}
         * @return this builder
         */
        public Builder jdbcUrl(String value) {
            this.jdbcUrl = Objects.requireNonNull(value, "jdbcUrl");
            return this;
        }

        /**
         * The database user for {@link #jdbcUrl(String)}. Default: none (use the URL's).
         *
         * @param value the user name
         * @return this builder
         */
        public Builder username(String value) {
            this.username = value;
            return this;
        }

        /**
         * The database password for {@link #jdbcUrl(String)}. Default: none.
         *
         * @param value the password
         * @return this builder
         */
        public Builder password(String value) {
            this.password = value;
            return this;
        }

        /**
         * Uses the application's data source (ideally a pool). The store never closes it.
         *
         * @param value the data source
         * @return this builder
         */
        public Builder dataSource(DataSource value) {
            this.dataSource = Objects.requireNonNull(value, "dataSource");
            return this;
        }

        /**
         * Prefix of the table names ({@code <prefix>sessions}, {@code <prefix>sessions_archive}).
         * Default {@value JdbcSessionStore#DEFAULT_TABLE_PREFIX}.
         *
         * @param value a lower-case letter then letters, digits or {@code _}, at most 30 characters; or empty
         * @return this builder
         * @throws IllegalArgumentException if the prefix is not allowed
         */
        public Builder tablePrefix(String value) {
            this.tablePrefix = SchemaScripts.checkPrefix(value);
            return this;
        }

        /**
         * Whether {@link #build()} creates the tables and indexes if they are missing
         * ({@code CREATE TABLE IF NOT EXISTS}). Default {@code false}: apply the shipped schema file with
         * your migration tool instead.
         *
         * <p>The existing tables are then checked for every column this version uses, so that a table created by
         * an older version fails {@link #build()} with an {@link IllegalStateException} naming it, rather than
         * every later call with a missing-column error.
         *
         * @param value {@code true} to create missing tables
         * @return this builder
         */
        public Builder initializeSchema(boolean value) {
            this.initializeSchema = value;
            return this;
        }

        /**
         * PostgreSQL only, opt-in: the statement that stores a <em>new</em> session commits without waiting
         * for the write-ahead log to reach the disk ({@code synchronous_commit = off} for that one
         * transaction, set inside the statement: no extra round trip). A login then returns without the
         * disk flush, which is most of what creating a session costs on PostgreSQL (measured here: 200 µs to
         * over 1 ms per flush, against about 100 µs for the rest; see docs/benchmarks.md).
         *
         * <p>The price: if the database <em>server</em> crashes (power loss, OS crash, killed postmaster;
         * not a lost connection, not a clean restart), sessions created in the last moments before the crash
         * (up to three times PostgreSQL's {@code wal_writer_delay}, 600 ms by default) may be missing after
         * recovery, and their users must log in again. The database stays consistent. Every other write
         * (logout, invalidation, token rotation, platform switch, attributes, limit eviction) keeps the
         * database's durable commit, so a crash can never bring back an ended session or a rotated-out token.
         * With a synchronous standby, such a create does not wait for the standby either.
         *
         * <p>Default {@code false} (every commit is durable). On H2, MariaDB and MySQL this option has no
         * effect (they have no per-transaction equivalent); {@link #build()} logs a warning if it is set there.
         *
         * @param value {@code true} to commit new sessions asynchronously on PostgreSQL
         * @return this builder
         */
        public Builder asynchronousCreateCommit(boolean value) {
            this.asynchronousCreateCommit = value;
            return this;
        }

        /**
         * Whether ended sessions (expired, or deleted with a reason) are copied to
         * {@code <prefix>sessions_archive} in the same transaction before deletion, with the reason and
         * time. The archive keeps no CSRF secret and no attribute values. Default {@code false}.
         *
         * @param value {@code true} to archive
         * @return this builder
         */
        public Builder archiveEndedSessions(boolean value) {
            this.archiveEndedSessions = value;
            return this;
        }

        /**
         * Sets the dialect instead of detecting it from the connection metadata. Default: detected.
         *
         * @param value the dialect
         * @return this builder
         */
        public Builder dialect(JdbcDialect value) {
            this.dialect = Objects.requireNonNull(value, "dialect");
            return this;
        }

        /**
         * Owned pool: most connections. Default {@value JdbcSessionStore#DEFAULT_MAXIMUM_POOL_SIZE}.
         *
         * @param value at least 1
         * @return this builder
         * @throws IllegalArgumentException if below 1
         */
        public Builder maximumPoolSize(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maximumPoolSize must be at least 1, was " + value);
            }
            this.maximumPoolSize = value;
            return this;
        }

        /**
         * Owned pool: idle connections kept ready. Default: same as {@link #maximumPoolSize(int)} (a fixed
         * size pool, as HikariCP recommends).
         *
         * @param value 0 or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder minimumIdle(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("minimumIdle must not be negative, was " + value);
            }
            this.minimumIdle = value;
            return this;
        }

        /**
         * Owned pool: how long a caller waits for a connection before the operation fails with a transient
         * {@link SessionStoreException}. Default 2 seconds, so a dead database fails requests fast instead of
         * hanging them for HikariCP's usual 30 s.
         *
         * @param value at least 250 ms
         * @return this builder
         * @throws IllegalArgumentException if below 250 ms
         */
        public Builder connectionTimeout(Duration value) {
            this.connectionTimeout = atLeast(value, Duration.ofMillis(250), "connectionTimeout");
            return this;
        }

        /**
         * Owned pool: how long checking a connection's liveness may take. Default 1 second; capped at the
         * connection timeout.
         *
         * @param value at least 250 ms
         * @return this builder
         * @throws IllegalArgumentException if below 250 ms
         */
        public Builder validationTimeout(Duration value) {
            this.validationTimeout = atLeast(value, Duration.ofMillis(250), "validationTimeout");
            return this;
        }

        /**
         * Owned pool: how long a connection above {@link #minimumIdle(int)} may sit idle before it is closed.
         * Default 10 minutes.
         *
         * @param value at least 10 seconds, or zero for never
         * @return this builder
         * @throws IllegalArgumentException if negative or between zero and 10 seconds
         * @throws NullPointerException if {@code value} is null
         */
        public Builder idleTimeout(Duration value) {
            Objects.requireNonNull(value, "idleTimeout");
            this.idleTimeout = value.isZero() ? value : atLeast(value, Duration.ofSeconds(10), "idleTimeout");
            return this;
        }

        /**
         * Owned pool: the longest a connection lives before it is replaced (set it below any database or
         * network idle-kill timeout). Default 30 minutes.
         *
         * @param value at least 30 seconds
         * @return this builder
         * @throws IllegalArgumentException if below 30 seconds
         */
        public Builder maxLifetime(Duration value) {
            this.maxLifetime = atLeast(value, Duration.ofSeconds(30), "maxLifetime");
            return this;
        }

        /**
         * Owned pool: its name in logs and JMX. Default {@code platform-sessions}.
         *
         * @param value the name
         * @return this builder
         */
        public Builder poolName(String value) {
            this.poolName = Objects.requireNonNull(value, "poolName");
            return this;
        }

        /**
         * Owned pool: a JDBC driver property, for example {@code socketTimeout} (seconds, PostgreSQL) to bound
         * a statement on a hung server. Default: none.
         *
         * @param name the property name
         * @param value its value
         * @return this builder
         */
        public Builder dataSourceProperty(String name, String value) {
            dataSourceProperties.setProperty(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Owned pool: any further HikariCP setting, applied after the options above. Default: none.
         *
         * @param value receives the configuration before the pool starts
         * @return this builder
         */
        public Builder hikariConfig(Consumer<HikariConfig> value) {
            this.hikariCustomizer = Objects.requireNonNull(value, "hikariConfig");
            return this;
        }

        private static Duration atLeast(Duration value, Duration min, String name) {
            Objects.requireNonNull(value, name);
            if (value.compareTo(min) < 0) {
                throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
            }
            return value;
        }

        /**
         * Builds the store: starts the owned pool (if any), detects the dialect and, if asked, creates the
         * schema.
         *
         * @return the store
         * @throws IllegalStateException if neither or both of a JDBC URL and a data source were given, or, with
         *         {@link #initializeSchema(boolean)}, if an existing table lacks a column this version needs
         * @throws SessionStoreException if the database cannot be reached (transient) or is not supported
         */
        public JdbcSessionStore build() {
            if ((jdbcUrl == null) == (dataSource == null)) {
                throw new IllegalStateException("give exactly one of jdbcUrl(...) and dataSource(...)");
            }
            if (dataSource != null) {
                return new JdbcSessionStore(this, dataSource, null);
            }
            HikariDataSource pool = new HikariDataSource(toHikariConfig());
            try {
                return new JdbcSessionStore(this, pool, pool);
            } catch (RuntimeException e) {
                pool.close();
                throw e;
            }
        }

        HikariConfig toHikariConfig() {
            HikariConfig c = new HikariConfig();
            c.setJdbcUrl(jdbcUrl);
            if (username != null) {
                c.setUsername(username);
            }
            if (password != null) {
                c.setPassword(password);
            }
            c.setPoolName(poolName);
            c.setMaximumPoolSize(maximumPoolSize);
            c.setMinimumIdle(minimumIdle < 0 ? maximumPoolSize : Math.min(minimumIdle, maximumPoolSize));
            c.setConnectionTimeout(connectionTimeout.toMillis());
            c.setValidationTimeout(Math.min(validationTimeout.toMillis(), connectionTimeout.toMillis()));
            c.setIdleTimeout(idleTimeout.toMillis());
            c.setMaxLifetime(maxLifetime.toMillis());
            // Start even if the database is down; the first operation (dialect detection) reports it.
            c.setInitializationFailTimeout(-1);
            c.setExceptionOverride(new EvictBrokenConnections());
            c.setDataSourceProperties(dataSourceProperties);
            hikariCustomizer.accept(c);
            return c;
        }
    }

    /**
     * Makes HikariCP drop connections that H2 (whose SQLStates HikariCP does not know) reports as broken,
     * so a restarted database is picked up on the next borrow.
     */
    static final class EvictBrokenConnections implements SQLExceptionOverride {
        @java.lang.Override
        public SQLExceptionOverride.Override adjudicate(SQLException e) {
            int code = e.getErrorCode();
            return code == 90067 || code == 90098 || code == 90121
                    ? SQLExceptionOverride.Override.MUST_EVICT : SQLExceptionOverride.Override.CONTINUE_EVICT;
        }
    }
}
