package io.platformsessions.jdbc;

import io.platformsessions.InvalidationReason;
import io.platformsessions.Limits;
import io.platformsessions.SessionKey;
import io.platformsessions.SessionStoreException;
import io.platformsessions.spi.SessionChangeBus;
import io.platformsessions.spi.SessionRecord;
import io.platformsessions.spi.SessionStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SessionStore} in a relational database (H2, PostgreSQL, MariaDB/MySQL) over a {@link DataSource}.
 * One row per session in {@code <prefix>sessions}; the schema ships in the jar per dialect
 * ({@link JdbcDialect#schemaResource()}).
 *
 * <pre>{@code
 * JdbcSessionStore store = JdbcSessionStore.builder()
 *         .dataSource(appPool)                 // or .pool(JdbcPool.builder(url)...build()), closed with the store
 *         .initializeSchema(true)
 *         .build();
 * SessionManager sessions = SessionManager.builder(store).build();
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
 * <p>Thread-safe. {@link #close()} closes a {@link JdbcPool} given with {@link Builder#pool(JdbcPool)};
 * an application's {@link DataSource} stays open.
 */
public final class JdbcSessionStore implements SessionStore, AutoCloseable {
    /** Default table prefix. */
    public static final String DEFAULT_TABLE_PREFIX = "ps_";
    /** Default {@link Builder#networkTimeout(Duration)} (also the directories'): 3 seconds. */
    public static final Duration DEFAULT_NETWORK_TIMEOUT = Duration.ofSeconds(3);

    private static final Logger LOG = LoggerFactory.getLogger(JdbcSessionStore.class);

    private final DataSource dataSource;
    private final JdbcPool ownedPool;
    private final StoreConnections connections;
    private final String tablePrefix;
    private final DialectSql sql;
    private final SessionStatements statements;
    private final ExpiredSessionCleaner cleaner;
    private final SessionSchema schema;
    private final boolean archive;
    private final Duration networkTimeout;
    /** The bus the store's writes announce to, or {@code null}. */
    private final JdbcChangeBus bus;
    private final ChangeWrites writes;

    private JdbcSessionStore(Builder b) {
        this.dataSource = b.pool != null ? b.pool.dataSource() : b.dataSource;
        this.ownedPool = b.pool;
        this.connections = new StoreConnections(dataSource, b.networkTimeout);
        this.tablePrefix = b.tablePrefix;
        this.archive = b.archiveEndedSessions;
        this.networkTimeout = b.networkTimeout;
        this.sql = DialectSql.forDatabase(connections, b.dialect, tablePrefix, b.asynchronousCreateCommit,
                b.networkTimeout);
        this.statements = sql.statements;
        this.cleaner = new ExpiredSessionCleaner(connections, sql, archive);
        this.schema = new SessionSchema(connections.jdbi(), sql, tablePrefix);
        this.bus = b.changeBus;
        if (b.asynchronousCreateCommit && !sql.asynchronousCreateCommit()) {
            LOG.warn("asynchronousCreateCommit(true) has no effect on {}: new sessions commit durably", sql.dialect);
        }
        if (b.initializeSchema) {
            createSchema();
        }
        this.writes = bus == null ? ChangeWrites.plain(sql) : bus.bind(sql, connections);
        String notes = sql.describe();
        LOG.info("JDBC session store ready: dialect {}, table {}{}{}{}", sql.dialect, sql.table.sessions,
                archive ? ", archive " + sql.table.archive : "", notes.isEmpty() ? "" : ", " + notes,
                bus == null ? "" : ", change bus " + bus);
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
        connections.call("insert session", record.key(), record.key(), c -> {
            statements.insert(c, record, attributes);
            return null;
        });
    }

    /** Inserts and counts the user's live sessions, in the dialect's way ({@code docs/jdbc.md} lists the round trips). */
    @Override
    public int insertAndCountLive(SessionRecord record, Instant now) {
        String attributes = SessionTable.checkAndEncode(record);
        return connections.call("insert session", record.key(), record.key(),
                c -> sql.insertAndCountLive(c, record, attributes, now.toEpochMilli()));
    }

    @Override
    public Optional<SessionRecord> find(SessionKey key) {
        return connections.call("find session", key, c -> statements.find(c, key));
    }

    @Override
    public boolean update(SessionRecord next, long expectedVersion) {
        String attributes = SessionTable.checkAndEncode(next);
        return connections.call("update session", next.key(), c -> writes.update(c, next, attributes, expectedVersion));
    }

    @Override
    public boolean rekey(SessionKey oldKey, SessionRecord next, long expectedVersion) {
        String attributes = SessionTable.checkAndEncode(next);
        return connections.call("rekey session", oldKey, next.key(),
                c -> writes.rekey(c, oldKey, next, attributes, expectedVersion));
    }

    @Override
    public boolean touch(SessionKey key, Instant lastActivityAt, Instant idleExpiresAt) {
        return connections.call("touch session", key, c -> statements.touch(c, key, lastActivityAt, idleExpiresAt));
    }

    @Override
    public boolean delete(SessionKey key, InvalidationReason reason, Instant endedAt) {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(endedAt, "endedAt");
        return connections.call("delete session", key,
                c -> writes.delete(c, key.bytes(), endedAt.toEpochMilli(), archive ? reason.name() : null));
    }

    @Override
    public List<SessionRecord> findByUser(String userId) {
        if (userId.length() > Limits.MAX_USER_ID_LENGTH) {
            return List.of(); // cannot be stored, so there is nothing to find
        }
        return connections.call("find sessions of a user", null, c -> statements.findByUser(c, userId));
    }

    @Override
    public int deleteExpired(Instant now, int batchSize) {
        return cleaner.deleteExpired(now, batchSize);
    }

    @Override
    public Map<String, Long> countActiveByPlatformType(Instant now) {
        return connections.call("count active sessions", null, c -> statements.countActiveByPlatformType(c, now));
    }

    /**
     * The {@link JdbcChangeBus} given to {@link Builder#changeBus}, which this store's writes announce to; an
     * engine built on this store connects to it.
     *
     * @return the bus, or empty
     */
    @Override
    public Optional<SessionChangeBus> changeBus() {
        return Optional.ofNullable(bus);
    }

    // ------------------------------------------------------------------------------------------ accessors

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
     * The bound on each wait for the database's reply ({@link Builder#networkTimeout(Duration)}).
     *
     * @return the network timeout; zero if each connection keeps its own
     */
    public Duration networkTimeout() {
        return networkTimeout;
    }

    /**
     * The data source the store uses: the application's, or the {@link JdbcPool} it was given. Handy for
     * sharing the pool with {@link JdbcPlatformDirectory} or {@link JdbcUserDirectory}. Do not close it; close
     * the store.
     *
     * @return the data source
     */
    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * Closes the {@link JdbcChangeBus} (its thread and connection), then the {@link JdbcPool} the store was given
     * with {@link Builder#pool(JdbcPool)}; a data source given with {@link Builder#dataSource(DataSource)} stays
     * open. Later calls on a closed pool fail with {@link SessionStoreException}. Idempotent.
     */
    @Override
    public void close() {
        if (bus != null) {
            bus.close();
        }
        if (ownedPool != null && !ownedPool.isClosed()) {
            ownedPool.close();
            LOG.info("JDBC session store closed its pool ({})", sql.table.sessions);
        }
    }

    // ------------------------------------------------------------------------------------------ builder

    /**
     * Builds a {@link JdbcSessionStore}. Give either {@link #dataSource(DataSource)} (the application's pool,
     * never closed by the store) or {@link #pool(JdbcPool)} (closed with the store). Not thread-safe; every
     * setter returns {@code this} and rejects a bad value at once ({@link IllegalArgumentException}, or
     * {@link NullPointerException} for a {@code null} that has no meaning); {@link #build()} checks that
     * exactly one connection source is given and leaves the builder as it was.
     */
    public static final class Builder {
        private DataSource dataSource;
        private JdbcPool pool;
        private String tablePrefix = DEFAULT_TABLE_PREFIX;
        private boolean initializeSchema;
        private boolean archiveEndedSessions;
        private boolean asynchronousCreateCommit;
        private JdbcDialect dialect;
        private Duration networkTimeout = DEFAULT_NETWORK_TIMEOUT;
        private JdbcChangeBus changeBus;

        private Builder() {
        }

        /**
         * Keeps the local caches of several application nodes on this database coherent: the store's writes that
         * change or end a session announce it on {@code bus}, and an engine built on the store listens to it
         * ({@link JdbcSessionStore#changeBus()}). {@link JdbcChangeBus#postgres(DataSource)} on PostgreSQL;
         * {@link JdbcChangeBus#polling()} on MariaDB/MySQL, H2, or PostgreSQL behind a transaction-mode pooler
         * (it needs the {@code <prefix>session_changes} table of the shipped schema). One bus per store; the
         * store closes it. Default: none (README, "Multi-node deployments", says what each mode guarantees).
         *
         * @param value the bus
         * @return this builder
         * @throws NullPointerException if {@code value} is null
         */
        public Builder changeBus(JdbcChangeBus value) {
            this.changeBus = Objects.requireNonNull(value, "changeBus");
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
         * Uses a {@link JdbcPool} and closes it in {@link JdbcSessionStore#close()}, or if {@link #build()}
         * fails.
         *
         * @param value the pool
         * @return this builder
         */
        public Builder pool(JdbcPool value) {
            this.pool = Objects.requireNonNull(value, "pool");
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
         * for the write-ahead log to reach the disk ({@code synchronous_commit = off} for that one transaction,
         * set inside the statement: no extra round trip), which is most of what a login costs the database.
         * The price: if the database <em>server</em> crashes (not a lost connection, not a clean restart),
         * sessions created in its last moments (up to three times {@code wal_writer_delay}, 600 ms by default)
         * may be missing after recovery, and their users log in again. Every other write keeps the durable
         * commit, so a crash never brings back an ended session or a rotated-out token. See
         * {@code docs/jdbc.md}, "Durability of new sessions".
         *
         * <p>Default {@code false}. On H2, MariaDB and MySQL it has no effect; {@link #build()} logs a warning.
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
         * How long the store waits for any reply from the database before the call fails with a transient
         * {@link SessionStoreException}: the bound on a hung database (one that accepts connections but never
         * answers), which neither a pool's connection timeout nor the driver's defaults give. Set on each
         * borrowed connection as its JDBC network timeout (the socket read timeout of the PostgreSQL and
         * MariaDB/MySQL drivers: no round trip, no timer), so it holds for a {@link JdbcPool} and an
         * application's data source alike, and restored before the connection goes back; a connection whose
         * own network timeout is already shorter keeps it. A call cut off this way has an unknown outcome, like
         * any lost connection, and the driver closes that connection. H2 ignores it. Default 3 seconds
         * ({@link JdbcSessionStore#DEFAULT_NETWORK_TIMEOUT}); keep it above the slowest statement the store runs
         * (a cleanup batch) on a slow day.
         *
         * @param value from 100 ms, or zero to leave each connection's own setting (often: wait forever)
         * @return this builder
         * @throws IllegalArgumentException if negative or between zero and 100 ms
         * @throws NullPointerException if {@code value} is null
         */
        public Builder networkTimeout(Duration value) {
            this.networkTimeout = StoreConnections.checkNetworkTimeout(value);
            return this;
        }

        /**
         * Builds the store: detects the dialect (one connection, unless the dialect is set and its server version
         * does not matter) and, if asked, creates the schema.
         *
         * @return the store
         * @throws IllegalStateException if neither or both of a data source and a pool were given, if the change
         *         bus already belongs to another store, or, with
         *         {@link #initializeSchema(boolean)}, if an existing table lacks a column this version needs
         * @throws SessionStoreException if the database cannot be reached (transient) or is not supported
         * @throws IllegalArgumentException if the change bus does not work with the database (a PostgreSQL bus on
         *         another database)
         */
        public JdbcSessionStore build() {
            if ((pool == null) == (dataSource == null)) {
                throw new IllegalStateException("give exactly one of dataSource(...) and pool(...)");
            }
            try {
                return new JdbcSessionStore(this);
            } catch (RuntimeException e) {
                if (pool != null) {
                    pool.close();
                }
                throw e;
            }
        }
    }
}
