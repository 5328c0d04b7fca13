package io.platformsessions.jdbc;

import io.platformsessions.Limits;
import io.platformsessions.PlatformConnection;
import io.platformsessions.SessionStoreException;
import io.platformsessions.spi.PlatformDirectory;
import io.platformsessions.spi.PlatformWithdrawalListener;
import io.platformsessions.spi.PlatformWithdrawals;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * A {@link PlatformDirectory} in a table the library manages: the users' platform connections live in
 * {@code <prefix>platform_connections} (schema: {@link JdbcDialect#platformSchemaResource()}), and the
 * application changes them with {@link #add}, {@link #deactivate}, {@link #delete} and {@link #setDefault}.
 * To read the application's own tables instead, use {@link QueryPlatformDirectory}.
 *
 * <p>The engine consults the directory only when a session is created or switches platform, never on an
 * ordinary request. A deactivation or deletion tells the directory's withdrawal listeners once it is
 * committed: the {@link io.platformsessions.SessionManager} built with this directory registers one, so the
 * sessions on that connection move to the user's default connection or to none
 * ({@link io.platformsessions.SessionManager#platformWithdrawn(String, long)}). Thread-safe. Every database
 * failure becomes a {@link SessionStoreException} (transient for connection loss and timeouts).
 */
public final class JdbcPlatformDirectory implements PlatformDirectory {
    private static final int NAME_MAX = 255;
    private static final int TYPE_MAX = 64;
    private static final int URL_MAX = 2048;
    private static final String COLUMNS = "id, user_id, name, platform_type, instance_url, active, is_default";

    private final Jdbi jdbi;
    private final JdbcDialect dialect;
    private final String tablePrefix;
    private final String table;
    private final Clock clock;
    private final PlatformQueries queries;
    private final String insertSql;
    private final String lockUserSql;
    private final String clearDefaultSql;
    private final String setDefaultSql;
    private final String deactivateSql;
    private final String deleteSql;
    private final String ownerSql;
    private final PlatformWithdrawals withdrawals = new PlatformWithdrawals();

    private JdbcPlatformDirectory(Builder b) {
        this.jdbi = new StoreConnections(b.dataSource, b.networkTimeout).jdbi();
        this.tablePrefix = b.tablePrefix;
        this.table = tablePrefix + "platform_connections";
        this.clock = b.clock;
        this.dialect = b.dialect != null ? b.dialect : JdbcDialect.detect(b.dataSource);
        this.queries = new PlatformQueries(jdbi, "SELECT " + COLUMNS + " FROM " + table + " WHERE id = ?",
                "SELECT " + COLUMNS + " FROM " + table + " WHERE user_id = ? ORDER BY id");
        insertSql = "INSERT INTO " + table + " (user_id, name, platform_type, instance_url, active, is_default, "
                + "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
        lockUserSql = "SELECT id, active FROM " + table + " WHERE user_id = ? ORDER BY id FOR UPDATE";
        clearDefaultSql = "UPDATE " + table + " SET is_default = ? WHERE user_id = ? AND is_default = ?";
        setDefaultSql = "UPDATE " + table + " SET is_default = CASE WHEN id = ? THEN ? ELSE ? END WHERE user_id = ?";
        deactivateSql = "UPDATE " + table + " SET active = ?, is_default = ? WHERE id = ?";
        deleteSql = "DELETE FROM " + table + " WHERE id = ?";
        ownerSql = "SELECT user_id FROM " + table + " WHERE id = ?";
        if (b.initializeSchema) {
            createSchema();
        }
    }

    /**
     * Starts building a directory on a data source (for example {@link JdbcSessionStore#dataSource()}, to
     * share the store's pool).
     *
     * @param dataSource the data source; never closed by the directory
     * @return a new builder
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /**
     * Creates the platform-connection table and index if missing. Idempotent.
     *
     * @throws SessionStoreException if the DDL fails
     */
    public void createSchema() {
        try (Handle h = jdbi.open()) {
            SchemaScripts.apply(h, dialect.platformSchemaResource(), tablePrefix);
        } catch (RuntimeException e) {
            throw SqlFailures.map("creating the platform table " + table, e);
        }
    }

    /**
     * Drops the platform-connection table: for tests and tear-down tools.
     *
     * @throws SessionStoreException if the DDL fails
     */
    public void dropSchema() {
        try (Handle h = jdbi.open()) {
            h.execute("DROP TABLE IF EXISTS " + table);
        } catch (RuntimeException e) {
            throw SqlFailures.map("dropping the platform table " + table, e);
        }
    }

    @Override
    public Optional<PlatformConnection> find(long platformId) {
        return queries.find(platformId);
    }

    @Override
    public List<PlatformConnection> findByUser(String userId) {
        return queries.findByUser(userId);
    }

    /**
     * Adds an active platform connection for a user.
     *
     * @param userId the owner, 1 to 255 characters
     * @param name display name, for example {@code alice@mastodon.social}, 1 to 255 characters
     * @param type platform type, for example {@code mastodon}; stored in lower case, 1 to 64 characters
     * @param instanceUrl the instance's {@code https} (or {@code http}) base URL, at most 2048 characters
     * @param makeDefault whether it becomes the user's default (any previous default stops being one)
     * @return the stored connection with its new id
     * @throws IllegalArgumentException if a value is blank, too long, or the URL is not an absolute http(s) URL
     * @throws SessionStoreException if the database fails
     */
    public PlatformConnection add(String userId, String name, String type, String instanceUrl, boolean makeDefault) {
        checkText("user id", userId, Limits.MAX_USER_ID_LENGTH);
        checkText("platform name", name, NAME_MAX);
        checkText("platform type", type, TYPE_MAX);
        checkText("instance URL", instanceUrl, URL_MAX);
        checkUrl(instanceUrl);
        String lowerType = type.toLowerCase(Locale.ROOT);
        try {
            long id = inTransaction(h -> {
                if (makeDefault) {
                    lockUser(h, userId);
                    h.createUpdate(clearDefaultSql).bind(0, false).bind(1, userId).bind(2, true).execute();
                }
                return h.createUpdate(insertSql).bind(0, userId).bind(1, name).bind(2, lowerType).bind(3, instanceUrl)
                        .bind(4, true).bind(5, makeDefault).bind(6, clock.millis())
                        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            });
            return new PlatformConnection(id, userId, name, lowerType, instanceUrl, true, makeDefault);
        } catch (RuntimeException e) {
            throw SqlFailures.map("add a platform connection", e);
        }
    }

    /**
     * Deactivates a connection: it can no longer be selected and stops being the default. Once that is
     * committed, the withdrawal listeners are told (the session manager moves the sessions on it to the
     * user's default connection, or to none). Deactivating an inactive connection tells them again, so
     * calling this again after a failed move retries it.
     *
     * @param platformId the connection id
     * @return {@code true} if the connection exists
     * @throws SessionStoreException if the database fails, or (the connection is deactivated all the same)
     *     if moving its sessions failed
     */
    public boolean deactivate(long platformId) {
        String owner;
        try {
            owner = inTransaction(h -> {
                String userId = h.createQuery(ownerSql).bind(0, platformId).mapTo(String.class).findFirst().orElse(null);
                if (userId != null) {
                    h.createUpdate(deactivateSql).bind(0, false).bind(1, false).bind(2, platformId).execute();
                }
                return userId;
            });
        } catch (RuntimeException e) {
            throw SqlFailures.map("deactivate platform connection " + platformId, e);
        }
        if (owner == null) {
            return false;
        }
        withdrawals.tell(owner, platformId);
        return true;
    }

    /**
     * Deletes a connection. Once that is committed, the withdrawal listeners are told, like for
     * {@link #deactivate}. A failed move can be retried with
     * {@link io.platformsessions.SessionManager#platformWithdrawn(String, long)} (the connection, and with it
     * its owner, is gone from this directory).
     *
     * @param platformId the connection id
     * @return {@code true} if a connection was deleted
     * @throws SessionStoreException if the database fails, or (the connection is deleted all the same) if
     *     moving its sessions failed
     */
    public boolean delete(long platformId) {
        String owner;
        try {
            owner = inTransaction(h -> {
                String userId = h.createQuery(ownerSql).bind(0, platformId).mapTo(String.class).findFirst().orElse(null);
                return userId != null && h.createUpdate(deleteSql).bind(0, platformId).execute() > 0 ? userId : null;
            });
        } catch (RuntimeException e) {
            throw SqlFailures.map("delete platform connection " + platformId, e);
        }
        if (owner == null) {
            return false;
        }
        withdrawals.tell(owner, platformId);
        return true;
    }

    @Override
    public Registration addWithdrawalListener(PlatformWithdrawalListener listener) {
        return withdrawals.add(listener);
    }

    /**
     * Makes one of the user's active connections the default (for sessions created without a platform); all
     * the user's other connections stop being default, in one transaction. Concurrent calls for one user
     * serialize on the user's rows (locked in id order, so they cannot deadlock).
     *
     * @param userId the owner
     * @param platformId the connection; must belong to {@code userId} and be active
     * @return {@code true} if done; {@code false} if the user has no such active connection (nothing changed)
     * @throws SessionStoreException if the database fails
     */
    public boolean setDefault(String userId, long platformId) {
        Objects.requireNonNull(userId, "userId");
        try {
            return inTransaction(h -> {
                List<long[]> rows = lockUser(h, userId);
                boolean ownedAndActive = rows.stream().anyMatch(r -> r[0] == platformId && r[1] == 1);
                if (!ownedAndActive) {
                    return false;
                }
                h.createUpdate(setDefaultSql).bind(0, platformId).bind(1, true).bind(2, false).bind(3, userId).execute();
                return true;
            });
        } catch (RuntimeException e) {
            throw SqlFailures.map("set default platform connection " + platformId, e);
        }
    }

    /**
     * Name of the managed table ({@code <prefix>platform_connections}).
     *
     * @return the table name
     */
    public String table() {
        return table;
    }

    /** READ COMMITTED where locking reads would take gap locks, so concurrent adds cannot deadlock. */
    private <R> R inTransaction(HandleCallback<R, RuntimeException> work) {
        return dialect.hasGapLocks() ? jdbi.inTransaction(TransactionIsolationLevel.READ_COMMITTED, work)
                : jdbi.inTransaction(work);
    }

    private List<long[]> lockUser(Handle h, String userId) {
        return h.createQuery(lockUserSql).bind(0, userId)
                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getBoolean(2) ? 1 : 0})
                .list();
    }

    private static void checkText(String what, String value, int max) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        if (value.length() > max) {
            throw new IllegalArgumentException(what + " is " + value.length() + " characters, longer than " + max);
        }
    }

    private static void checkUrl(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
                throw new IllegalArgumentException("instance URL must be an absolute http(s) URL, was '" + url + "'");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("instance URL is not a valid URI: " + e.getMessage(), e);
        }
    }

    /**
     * Builds a {@link JdbcPlatformDirectory}. Not thread-safe; every setter returns {@code this}.
     */
    public static final class Builder {
        private final DataSource dataSource;
        private String tablePrefix = JdbcSessionStore.DEFAULT_TABLE_PREFIX;
        private boolean initializeSchema;
        private JdbcDialect dialect;
        private Clock clock = Clock.systemUTC();
        private Duration networkTimeout = JdbcSessionStore.DEFAULT_NETWORK_TIMEOUT;

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /**
         * Prefix of {@code <prefix>platform_connections}. Default {@code ps_}.
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
         * Create the table at build time if missing. Default {@code false}.
         *
         * @param value {@code true} to create
         * @return this builder
         */
        public Builder initializeSchema(boolean value) {
            this.initializeSchema = value;
            return this;
        }

        /**
         * Sets the dialect instead of detecting it. Default: detected.
         *
         * @param value the dialect
         * @return this builder
         */
        public Builder dialect(JdbcDialect value) {
            this.dialect = Objects.requireNonNull(value, "dialect");
            return this;
        }

        /**
         * Clock for {@code created_at}. Default {@link Clock#systemUTC()}.
         *
         * @param value the clock
         * @return this builder
         */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * How long the directory waits for any reply from the database before a call fails with a transient
         * {@link SessionStoreException}, as {@link JdbcSessionStore.Builder#networkTimeout(Duration)} does for the
         * store. Default 3 seconds ({@link JdbcSessionStore#DEFAULT_NETWORK_TIMEOUT}).
         *
         * @param value from 100 ms, or zero to leave each connection's own setting
         * @return this builder
         * @throws IllegalArgumentException if negative or between zero and 100 ms
         * @throws NullPointerException if {@code value} is null
         */
        public Builder networkTimeout(Duration value) {
            this.networkTimeout = StoreConnections.checkNetworkTimeout(value);
            return this;
        }

        /**
         * Builds the directory: detects the dialect (one connection) unless it is set and, if asked, creates the
         * table.
         *
         * @return the directory
         * @throws SessionStoreException if the database cannot be reached or the DDL fails
         */
        public JdbcPlatformDirectory build() {
            return new JdbcPlatformDirectory(this);
        }
    }
}
