package io.platformsessions.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.SQLExceptionOverride;
import io.platformsessions.AccessLevel;
import io.platformsessions.ActivePlatform;
import io.platformsessions.Elevation;
import io.platformsessions.InvalidationReason;
import io.platformsessions.Limits;
import io.platformsessions.SessionKey;
import io.platformsessions.SessionStoreException;
import io.platformsessions.spi.ClientBinding;
import io.platformsessions.spi.SessionAttributes;
import io.platformsessions.spi.SessionOwner;
import io.platformsessions.spi.SessionRecord;
import io.platformsessions.spi.SessionStore;
import io.platformsessions.spi.SessionTimes;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.TemplateEngine;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
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
 * archive) are each exactly one SQL statement, one round trip. All SQL is built once at construction.
 * These per-request statements run as plain {@link PreparedStatement}s on a pooled connection: in a rough
 * measurement Jdbi's per-statement machinery cost several times the CPU of the statement itself (about
 * 29 µs against 7.5 µs per {@code find} on in-memory H2; see {@code docs/jdbc.md}), and so do the one-statement
 * cleanup batches. Jdbi runs the schema scripts and the multi-statement cleanup and archive transactions.
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

    /** Column sizes (characters) of the shipped schema; {@code user_id} holds {@link Limits#MAX_USER_ID_LENGTH}. */
    private static final int SESSION_ID_MAX = 64;
    private static final int USERNAME_MAX = 255;
    private static final int PLATFORM_NAME_MAX = 255;
    private static final int PLATFORM_TYPE_MAX = 64;
    private static final int PLATFORM_URL_MAX = 2048;
    private static final int CSRF_MAX = 128;
    private static final int IP_NETWORK_MAX = 64;
    private static final int UA_FAMILY_MAX = 128;
    private static final int LANGUAGE_MAX = 64;
    private static final int DEVICE_LABEL_MAX = 255;
    private static final int CLEANUP_ATTEMPTS = 3;

    private static final Logger LOG = LoggerFactory.getLogger(JdbcSessionStore.class);
    private static final AccessLevel[] LEVELS = AccessLevel.values();

    private static final RowMapper<byte[]> KEY = (rs, ctx) -> rs.getBytes(1);
    /** Java types of {@link SessionSql#ARCHIVE_COLUMNS}, for binding values read back from a row. */
    private static final Class<?>[] ARCHIVE_TYPES = {byte[].class, String.class, String.class, String.class,
        Long.class, String.class, String.class, String.class, Long.class, Long.class, Long.class, Long.class,
        Long.class, String.class, String.class, String.class, String.class};
    private static final int ABSOLUTE_EXPIRES_INDEX = 11;

    private final DataSource dataSource;
    private final HikariDataSource ownedPool;
    private final Jdbi jdbi;
    private final JdbcDialect dialect;
    private final String tablePrefix;
    private final SessionSql sql;
    private final boolean archive;
    private final boolean asynchronousCreateCommit;
    private final TransactionIsolationLevel cleanupIsolation;

    private JdbcSessionStore(Builder b, DataSource dataSource, HikariDataSource ownedPool) {
        this.dataSource = dataSource;
        this.ownedPool = ownedPool;
        this.tablePrefix = b.tablePrefix;
        this.archive = b.archiveEndedSessions;
        this.jdbi = AutoCommitConnections.jdbi(dataSource);
        // All SQL is plain text built here: no template processing per statement.
        jdbi.setTemplateEngine(TemplateEngine.NOP);
        boolean skipLocked = true;
        JdbcDialect detected = b.dialect;
        if (detected == null || detected == JdbcDialect.MARIADB || detected == JdbcDialect.MYSQL) {
            try (Connection c = dataSource.getConnection()) {
                DatabaseMetaData meta = c.getMetaData();
                if (detected == null) {
                    detected = JdbcDialect.of(meta);
                }
                skipLocked = JdbcDialect.supportsSkipLocked(detected, meta.getDatabaseMajorVersion(),
                        meta.getDatabaseMinorVersion());
            } catch (SQLException e) {
                throw SqlFailures.map("connecting to the session database", e);
            }
        }
        this.dialect = detected;
        this.sql = new SessionSql(dialect, tablePrefix, skipLocked);
        this.cleanupIsolation = dialect == JdbcDialect.MARIADB || dialect == JdbcDialect.MYSQL
                ? TransactionIsolationLevel.READ_COMMITTED : null;
        this.asynchronousCreateCommit = b.asynchronousCreateCommit && dialect == JdbcDialect.POSTGRESQL;
        if (b.asynchronousCreateCommit && !asynchronousCreateCommit) {
            LOG.warn("asynchronousCreateCommit(true) has no effect on {}: new sessions commit durably", dialect);
        }
        if (b.initializeSchema) {
            createSchema();
        }
        LOG.info("JDBC session store ready: dialect {}, table {}{}{}{}", dialect, sql.sessions,
                archive ? ", archive " + sql.archive : "", skipLocked ? "" : ", cleanup without SKIP LOCKED",
                asynchronousCreateCommit ? ", new sessions commit asynchronously" : "");
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
        try (Handle h = jdbi.open()) {
            SchemaScripts.apply(h, dialect.schemaResource(), tablePrefix);
        } catch (RuntimeException e) {
            throw SqlFailures.map("creating the session tables " + sql.sessions, e);
        }
        checkColumns(sql.sessions, sql.columnCheck);
        checkColumns(sql.archive, sql.archiveColumnCheck);
    }

    private void checkColumns(String table, String query) {
        try (Connection c = autoCommitConnection(); Statement st = c.createStatement()) {
            st.executeQuery(query).close();
        } catch (SQLException e) {
            if (SqlFailures.isTransient(e)) {
                throw SqlFailures.map("checking the columns of " + table, e);
            }
            throw new IllegalStateException("table " + table + " exists but does not match this version of "
                    + "Platform Sessions (" + e.getMessage() + "); it was probably created by an older version: "
                    + "migrate it to JdbcSessionStore.schemaSql(" + dialect + ", \"" + tablePrefix + "\"), or drop it "
                    + "if its sessions can go", e);
        }
    }

    /**
     * Drops the sessions and archive tables: for tests and tear-down tools, never called by the library.
     *
     * @throws SessionStoreException if the DDL fails
     */
    public void dropSchema() {
        try (Handle h = jdbi.open()) {
            h.execute("DROP TABLE IF EXISTS " + sql.archive);
            h.execute("DROP TABLE IF EXISTS " + sql.sessions);
        } catch (RuntimeException e) {
            throw SqlFailures.map("dropping the session tables " + sql.sessions, e);
        }
    }

    // ------------------------------------------------------------------------------------------ SessionStore

    private Connection autoCommitConnection() throws SQLException {
        return AutoCommitConnections.borrow(dataSource);
    }

    @Override
    public void insert(SessionRecord record) {
        String attributes = checkRecord(record);
        try (Connection c = autoCommitConnection(); PreparedStatement ps = c.prepareStatement(sql.insert)) {
            setData(ps, bindKey(ps, 1, record.key().bytes()), record, attributes);
            ps.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            if (SqlFailures.isDuplicateKey(e)) {
                throw SessionStoreException.permanentFailure("a session with key " + record.key().prefix() + "… exists", e);
            }
            throw SqlFailures.map("insert session " + record.key().prefix() + "…", e);
        }
    }

    /**
     * Inserts and counts the user's live sessions: one statement on PostgreSQL (a data-modifying
     * {@code WITH}), an insert and a {@code COUNT(*)} on the same connection elsewhere.
     */
    @Override
    public int insertAndCountLive(SessionRecord record, Instant now) {
        String attributes = checkRecord(record);
        long nowMillis = now.toEpochMilli();
        try (Connection c = autoCommitConnection()) {
            if (dialect == JdbcDialect.POSTGRESQL) {
                try (PreparedStatement ps = c.prepareStatement(asynchronousCreateCommit
                        ? sql.pgInsertCountingOthersAsync : sql.pgInsertCountingOthers)) {
                    int i = setData(ps, bindKey(ps, 1, record.key().bytes()), record, attributes);
                    ps.setString(i, record.userId());
                    ps.setLong(i + 1, nowMillis);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getInt(1) + (record.expiredAt(now) ? 0 : 1);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(sql.insert)) {
                setData(ps, bindKey(ps, 1, record.key().bytes()), record, attributes);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(sql.countLiveOfUser)) {
                ps.setString(1, record.userId());
                ps.setLong(2, nowMillis);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        } catch (SQLException | RuntimeException e) {
            if (SqlFailures.isDuplicateKey(e)) {
                throw SessionStoreException.permanentFailure("a session with key " + record.key().prefix() + "… exists", e);
            }
            throw SqlFailures.map("insert session " + record.key().prefix() + "…", e);
        }
    }

    @Override
    public Optional<SessionRecord> find(SessionKey key) {
        try (Connection c = autoCommitConnection(); PreparedStatement ps = c.prepareStatement(sql.find)) {
            bindKey(ps, 1, key.bytes());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(readRecord(rs)) : Optional.empty();
            }
        } catch (SQLException | RuntimeException e) {
            throw SqlFailures.map("find session " + key.prefix() + "…", e);
        }
    }

    @Override
    public boolean update(SessionRecord next, long expectedVersion) {
        String attributes = checkRecord(next);
        try (Connection c = autoCommitConnection(); PreparedStatement ps = c.prepareStatement(sql.update)) {
            int i = setData(ps, 1, next, attributes);
            ps.setLong(bindKey(ps, i, next.key().bytes()), expectedVersion);
            return ps.executeUpdate() == 1;
        } catch (SQLException | RuntimeException e) {
            throw SqlFailures.map("update session " + next.key().prefix() + "…", e);
        }
    }

    @Override
    public boolean rekey(SessionKey oldKey, SessionRecord next, long expectedVersion) {
        String attributes = checkRecord(next);
        try (Connection c = autoCommitConnection(); PreparedStatement ps = c.prepareStatement(sql.rekey)) {
            int i = setData(ps, bindKey(ps, 1, next.key().bytes()), next, attributes);
            ps.setLong(bindKey(ps, i, oldKey.bytes()), expectedVersion);
            return ps.executeUpdate() == 1;
        } catch (SQLException | RuntimeException e) {
            if (SqlFailures.isDuplicateKey(e)) {
                throw SessionStoreException.permanentFailure("a session with key " + next.key().prefix() + "… exists", e);
            }
            throw SqlFailures.map("rekey session " + oldKey.prefix() + "…", e);
        }
    }

    @Override
    public boolean touch(SessionKey key, Instant lastActivityAt, Instant idleExpiresAt) {
        long last = lastActivityAt.toEpochMilli();
        try (Connection c = autoCommitConnection(); PreparedStatement ps = c.prepareStatement(sql.touch)) {
            ps.setLong(1, last);
            ps.setLong(2, idleExpiresAt.toEpochMilli());
            ps.setLong(bindKey(ps, 3, key.bytes()), last);
            return ps.executeUpdate() > 0;
        } catch (SQLException | RuntimeException e) {
            throw SqlFailures.map("touch session " + key.prefix() + "…", e);
        }
    }

    @Override
    public boolean delete(SessionKey key, InvalidationReason reason, Instant endedAt) {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(endedAt, "endedAt");
        try {
            if (!archive) {
                try (Connection c = autoCommitConnection(); PreparedStatement ps = c.prepareStatement(sql.delete)) {
                    bindKey(ps, 1, key.bytes());
                    return ps.executeUpdate() > 0;
                }
            }
            long ended = endedAt.toEpochMilli();
            if (dialect == JdbcDialect.POSTGRESQL) {
                try (Handle h = jdbi.open()) {
                    return h.createUpdate(sql.pgDeleteArchived)
                            .bind(0, key.bytes()).bind(1, ended).bind(2, reason.name())
                            .execute() > 0;
                }
            }
            return inTransaction(h -> {
                byte[] k = key.bytes();
                if (bindKey(h.createQuery(sql.lockOne), 0, k).map(KEY).findOne().isEmpty()) {
                    return false;
                }
                bindKey(h.createUpdate(sql.archiveOne).bind(0, ended).bind(1, reason.name()), 2, k).execute();
                return bindKey(h.createUpdate(sql.delete), 0, k).execute() > 0;
            });
        } catch (SQLException | RuntimeException e) {
            throw SqlFailures.map("delete session " + key.prefix() + "…", e);
        }
    }

    @Override
    public List<SessionRecord> findByUser(String userId) {
        if (userId.length() > Limits.MAX_USER_ID_LENGTH) {
            return List.of(); // cannot be stored, so there is nothing to find
        }
        try (Connection c = autoCommitConnection(); PreparedStatement ps = c.prepareStatement(sql.findByUser)) {
            ps.setString(1, userId);
            List<SessionRecord> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    SessionRecord r = readRecord(rs);
                    // the database's collation may be laxer than String.equals (MySQL PAD SPACE, for one)
                    if (r.userId().equals(userId)) {
                        rows.add(r);
                    }
                }
            }
            return rows;
        } catch (SQLException | RuntimeException e) {
            throw SqlFailures.map("find sessions of a user", e);
        }
    }

    @Override
    public int deleteExpired(Instant now, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive, was " + batchSize);
        }
        long nowMillis = now.toEpochMilli();
        for (int attempt = 1; ; attempt++) {
            try {
                if (dialect == JdbcDialect.POSTGRESQL) {
                    try (Connection c = autoCommitConnection();
                         PreparedStatement ps = c.prepareStatement(archive ? sql.pgDeleteExpiredArchived : sql.pgDeleteExpired)) {
                        ps.setLong(1, nowMillis);
                        ps.setInt(2, batchSize);
                        if (archive) {
                            ps.setLong(3, nowMillis);
                            ps.setLong(4, nowMillis);
                        }
                        return ps.executeUpdate();
                    }
                }
                if (dialect == JdbcDialect.H2 && !archive) {
                    try (Connection c = autoCommitConnection(); PreparedStatement ps = c.prepareStatement(sql.h2DeleteExpired)) {
                        ps.setLong(1, nowMillis);
                        ps.setInt(2, batchSize);
                        return ps.executeUpdate();
                    }
                }
                return inTransaction(h -> deleteExpiredBatch(h, nowMillis, batchSize));
            } catch (SQLException | RuntimeException e) {
                if (attempt < CLEANUP_ATTEMPTS && SqlFailures.isLockConflict(e)) {
                    // Deleting expired rows is idempotent: another node holding or having taken the rows is fine.
                    LOG.debug("expired-session cleanup hit a lock conflict (attempt {}), retrying: {}", attempt,
                            e.toString());
                    continue;
                }
                throw SqlFailures.map("delete expired sessions", e);
            }
        }
    }

    /** A short transaction; READ COMMITTED on MariaDB/MySQL so that locking reads take no gap locks. */
    private <R> R inTransaction(HandleCallback<R, RuntimeException> work) {
        return cleanupIsolation == null ? jdbi.inTransaction(work) : jdbi.inTransaction(cleanupIsolation, work);
    }

    /**
     * H2, MariaDB, MySQL: lock and read a batch of expired rows (skipping rows another cleaner holds), then
     * archive and delete exactly those rows with primary-key point statements in one JDBC batch each. Point
     * statements matter on InnoDB: a {@code DELETE ... WHERE session_key IN (...)} is a multi-range scan that
     * reads (and must lock) one record past each key, which can be a row another cleaner holds: a deadlock.
     */
    private int deleteExpiredBatch(Handle h, long nowMillis, int batchSize) {
        List<Object[]> rows = h.createQuery(sql.lockExpired).bind(0, nowMillis).bind(1, batchSize)
                .map((rs, ctx) -> {
                    Object[] row = new Object[SessionSql.ARCHIVE_COLUMN_COUNT];
                    for (int i = 0; i < row.length; i++) {
                        row[i] = rs.getObject(i + 1);
                    }
                    row[0] = rs.getBytes(1);
                    return row;
                })
                .list();
        if (rows.isEmpty()) {
            return 0;
        }
        if (archive) {
            PreparedBatch insert = h.prepareBatch(sql.archiveValues);
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    insert.bindByType(i, row[i], ARCHIVE_TYPES[i]);
                }
                long absolute = ((Number) row[ABSOLUTE_EXPIRES_INDEX]).longValue();
                insert.bind(row.length, nowMillis)
                        .bind(row.length + 1, (absolute <= nowMillis ? InvalidationReason.ABSOLUTE_TIMEOUT
                                : InvalidationReason.IDLE_TIMEOUT).name())
                        .add();
            }
            insert.execute();
        }
        PreparedBatch delete = h.prepareBatch(sql.delete);
        for (Object[] row : rows) {
            bindKey(delete, 0, (byte[]) row[0]).add();
        }
        int deleted = 0;
        for (int count : delete.execute()) {
            // the rows are locked by this transaction, so "success, count unknown" means one row
            deleted += count == Statement.SUCCESS_NO_INFO ? 1 : count;
        }
        return deleted;
    }

    @Override
    public Map<String, Long> countActiveByPlatformType(Instant now) {
        try (Connection c = autoCommitConnection(); PreparedStatement ps = c.prepareStatement(sql.countActive)) {
            ps.setLong(1, now.toEpochMilli());
            Map<String, Long> out = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String type = rs.getString(1);
                    out.merge(type == null ? "" : type, rs.getLong(2), Long::sum);
                }
            }
            return out;
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
        return dialect;
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
        return sql.sessions;
    }

    /**
     * Name of the archive table ({@code <prefix>sessions_archive}), written only when archiving is on.
     *
     * @return the table name
     */
    public String archiveTable() {
        return sql.archive;
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
            LOG.info("JDBC session store closed its pool ({})", sql.sessions);
        }
    }

    // ------------------------------------------------------------------------------------------ rows

    /** Validates what the schema cannot hold and returns the encoded attributes. */
    private String checkRecord(SessionRecord r) {
        checkLength("user id", r.userId(), Limits.MAX_USER_ID_LENGTH);
        checkLength("session id", r.sessionId(), SESSION_ID_MAX);
        checkLength("username", r.username(), USERNAME_MAX);
        checkLength("CSRF secret", r.csrfSecret(), CSRF_MAX);
        ActivePlatform p = r.platform();
        if (p != null) {
            checkLength("platform name", p.name(), PLATFORM_NAME_MAX);
            checkLength("platform type", p.type(), PLATFORM_TYPE_MAX);
            checkLength("platform instance URL", p.instanceUrl(), PLATFORM_URL_MAX);
        }
        ClientBinding c = r.client();
        checkLength("client IP network", c.ipNetwork(), IP_NETWORK_MAX);
        checkLength("client browser family", c.userAgentFamily(), UA_FAMILY_MAX);
        checkLength("client language", c.language(), LANGUAGE_MAX);
        checkLength("client device label", c.deviceLabel(), DEVICE_LABEL_MAX);
        String attributes = r.attributes().encode();
        // UTF-8 needs at most 3 bytes per UTF-16 char: only count exactly when it could matter
        if ((long) attributes.length() * 3 > Limits.MAX_ATTRIBUTES_BYTES) {
            long bytes = utf8Length(attributes);
            if (bytes > Limits.MAX_ATTRIBUTES_BYTES) {
                throw new IllegalArgumentException("session attributes are " + bytes + " bytes encoded, over the "
                        + "limit of " + Limits.MAX_ATTRIBUTES_BYTES + " every store holds (Limits.MAX_ATTRIBUTES_BYTES)");
            }
        }
        return attributes;
    }

    private static void checkLength(String what, String value, int max) {
        if (value != null && value.length() > max) {
            throw new IllegalArgumentException(what + " is " + value.length() + " characters, longer than the "
                    + max + " the session table holds");
        }
    }

    static long utf8Length(CharSequence s) {
        long n = 0;
        for (int i = 0, len = s.length(); i < len; i++) {
            char ch = s.charAt(i);
            if (ch < 0x80) {
                n += 1;
            } else if (ch < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(ch) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** Binds the row's key (on H2 after its {@code key_id}) from {@code at}; returns the next index. */
    private int bindKey(PreparedStatement ps, int at, byte[] key) throws SQLException {
        int i = at;
        if (sql.keyIdColumn) {
            ps.setLong(i++, SessionSql.keyId(key));
        }
        ps.setBytes(i++, key);
        return i;
    }

    /** {@link #bindKey(PreparedStatement, int, byte[])} for a Jdbi statement (0-based positions). */
    private <S extends SqlStatement<S>> S bindKey(S statement, int at, byte[] key) {
        return sql.keyIdColumn ? statement.bind(at, SessionSql.keyId(key)).bind(at + 1, key) : statement.bind(at, key);
    }

    /** Binds the {@link SessionSql#DATA_COLUMNS} from {@code at}; returns the next index. */
    private static int setData(PreparedStatement ps, int at, SessionRecord r, String attributes) throws SQLException {
        ActivePlatform p = r.platform();
        ClientBinding c = r.client();
        Elevation e = r.elevation();
        ps.setString(at, r.sessionId());
        ps.setString(at + 1, r.userId());
        ps.setString(at + 2, r.username());
        if (p == null) {
            ps.setNull(at + 3, Types.BIGINT);
            ps.setNull(at + 4, Types.VARCHAR);
            ps.setNull(at + 5, Types.VARCHAR);
            ps.setNull(at + 6, Types.VARCHAR);
        } else {
            ps.setLong(at + 3, p.id());
            ps.setString(at + 4, p.name());
            ps.setString(at + 5, p.type());
            ps.setString(at + 6, p.instanceUrl());
        }
        ps.setLong(at + 7, r.createdAt().toEpochMilli());
        ps.setLong(at + 8, r.lastActivityAt().toEpochMilli());
        ps.setLong(at + 9, r.expiresAt().toEpochMilli());
        ps.setLong(at + 10, r.absoluteExpiresAt().toEpochMilli());
        ps.setLong(at + 11, r.version());
        ps.setString(at + 12, r.csrfSecret());
        setNullable(ps, at + 13, c.ipNetwork());
        setNullable(ps, at + 14, c.userAgentFamily());
        setNullable(ps, at + 15, c.language());
        setNullable(ps, at + 16, c.deviceLabel());
        if (e == null) {
            ps.setNull(at + 17, Types.VARCHAR);
            ps.setNull(at + 18, Types.BIGINT);
        } else {
            ps.setString(at + 17, e.level().name());
            ps.setLong(at + 18, e.until().toEpochMilli());
        }
        ps.setString(at + 19, attributes);
        return at + SessionSql.DATA_COLUMN_COUNT;
    }

    private static void setNullable(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }

    static SessionRecord readRecord(ResultSet rs) throws SQLException {
        SessionKey key = SessionKey.ofBytes(rs.getBytes(1));
        long platformId = rs.getLong(5);
        ActivePlatform platform = rs.wasNull() ? null
                : new ActivePlatform(platformId, rs.getString(6), rs.getString(7), rs.getString(8));
        String ip = rs.getString(15);
        String ua = rs.getString(16);
        String language = rs.getString(17);
        String device = rs.getString(18);
        ClientBinding client = ip == null && ua == null && language == null && device == null
                ? ClientBinding.unknown() : new ClientBinding(ip, ua, language, device);
        String level = rs.getString(19);
        long until = rs.getLong(20);
        Elevation elevation = level == null || rs.wasNull() ? null
                : new Elevation(accessLevel(level, key), Instant.ofEpochMilli(until));
        SessionTimes times = new SessionTimes(Instant.ofEpochMilli(rs.getLong(9)), Instant.ofEpochMilli(rs.getLong(10)),
                Instant.ofEpochMilli(rs.getLong(11)), Instant.ofEpochMilli(rs.getLong(12)));
        return new SessionRecord(key, rs.getString(2), new SessionOwner(rs.getString(3), rs.getString(4)), platform,
                times, rs.getLong(13), rs.getString(14), client, elevation, SessionAttributes.decode(rs.getString(21)));
    }

    private static AccessLevel accessLevel(String name, SessionKey key) {
        for (AccessLevel l : LEVELS) {
            if (l.name().equals(name)) {
                return l;
            }
        }
        throw SessionStoreException.permanentFailure("session " + key.prefix() + "… has an unknown elevation level '" + name + "'",
                null);
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
