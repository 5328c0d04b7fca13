package io.platformsessions.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * A HikariCP connection pool built from a JDBC URL, with defaults suited to the session store: for
 * applications that have no pool of their own to give {@link JdbcSessionStore.Builder#dataSource(DataSource)}.
 * Optional: HikariCP is an optional dependency of {@code session-jdbc}, so add {@code com.zaxxer:HikariCP} to
 * use this class.
 *
 * <pre>{@code
 * JdbcPool pool = JdbcPool.builder("jdbc:postgresql://db/app").username("app").password(secret).build();
 * JdbcSessionStore store = JdbcSessionStore.builder().pool(pool).build(); // store.close() closes the pool
 * }</pre>
 *
 * <p>The pool starts even when the database is down; the first borrow then fails after
 * {@link Builder#connectionTimeout(Duration)}. HikariCP is taught H2's connection-broken error codes, so a
 * restarted database is picked up on the next borrow. Thread-safe.
 */
public final class JdbcPool implements AutoCloseable {
    /** Default {@link Builder#connectionTimeout(Duration)}: 2 seconds. */
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(2);
    /** Default {@link Builder#maximumPoolSize(int)}. */
    public static final int DEFAULT_MAXIMUM_POOL_SIZE = 10;

    private final HikariDataSource hikari;

    private JdbcPool(HikariDataSource hikari) {
        this.hikari = hikari;
    }

    /**
     * Starts building a pool.
     *
     * @param jdbcUrl for example {@code jdbc:postgresql://db:5432/app}; the driver (H2, PostgreSQL, MariaDB,
     *     MySQL) must be on the class path
     * @return a new builder
     * @throws NullPointerException if {@code jdbcUrl} is null
     */
    public static Builder builder(String jdbcUrl) {
        return new Builder(jdbcUrl);
    }

    /**
     * The pool as a data source, to share with {@link JdbcPlatformDirectory} or {@link JdbcUserDirectory}.
     * Close the pool with {@link #close()} (or the store it was given to), not through this data source.
     *
     * @return the data source
     */
    public DataSource dataSource() {
        return hikari;
    }

    /**
     * The pool's state.
     *
     * @return the status, or empty once the pool is closed
     */
    public Optional<PoolStatus> status() {
        return hikari.isClosed() ? Optional.empty() : statusOf(hikari);
    }

    /**
     * The state of any HikariCP pool: a {@link HikariDataSource} or a data source that wraps one.
     *
     * @param dataSource the data source
     * @return the status, or empty if it is not (and does not wrap) a started HikariCP pool
     * @throws NoClassDefFoundError if HikariCP is not on the class path
     */
    public static Optional<PoolStatus> statusOf(DataSource dataSource) {
        HikariDataSource h;
        try {
            h = dataSource instanceof HikariDataSource d ? d
                    : dataSource.isWrapperFor(HikariDataSource.class) ? dataSource.unwrap(HikariDataSource.class) : null;
        } catch (SQLException e) {
            h = null;
        }
        HikariPoolMXBean pool = h == null ? null : h.getHikariPoolMXBean();
        if (pool == null) {
            return Optional.empty();
        }
        return Optional.of(new PoolStatus(pool.getActiveConnections(), pool.getIdleConnections(),
                pool.getThreadsAwaitingConnection(), pool.getTotalConnections()));
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return {@code true} once closed
     */
    public boolean isClosed() {
        return hikari.isClosed();
    }

    /** Closes every connection; later borrows fail. Idempotent. */
    @Override
    public void close() {
        hikari.close();
    }

    /**
     * Builds a {@link JdbcPool}. Not thread-safe; every setter returns {@code this} and rejects a bad value at
     * once ({@link IllegalArgumentException}, or {@link NullPointerException} for a {@code null}).
     */
    public static final class Builder {
        private final String jdbcUrl;
        private String username;
        private String password;
        private int maximumPoolSize = DEFAULT_MAXIMUM_POOL_SIZE;
        private int minimumIdle = -1;
        private Duration connectionTimeout = DEFAULT_CONNECTION_TIMEOUT;
        private Duration validationTimeout = Duration.ofSeconds(1);
        private Duration poolIdleTimeout = Duration.ofMinutes(10);
        private Duration connectionMaxLifetime = Duration.ofMinutes(30);
        private String poolName = "platform-sessions";
        private final Properties dataSourceProperties = new Properties();
        private Consumer<HikariConfig> hikariCustomizer = c -> { };

        private Builder(String jdbcUrl) {
            this.jdbcUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        }

        /**
         * The database user. Default: none (use the URL's).
         *
         * @param value the user name
         * @return this builder
         */
        public Builder username(String value) {
            this.username = value;
            return this;
        }

        /**
         * The database password. Default: none.
         *
         * @param value the password
         * @return this builder
         */
        public Builder password(String value) {
            this.password = value;
            return this;
        }

        /**
         * Most connections. Default {@value JdbcPool#DEFAULT_MAXIMUM_POOL_SIZE}.
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
         * Idle connections kept ready. Default: same as {@link #maximumPoolSize(int)} (a fixed-size pool, as
         * HikariCP recommends).
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
         * How long a caller waits for a connection before the operation fails with a transient
         * {@code SessionStoreException}. Default 2 seconds, so a dead database fails requests fast instead of
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
         * How long checking a connection's liveness may take. Default 1 second; capped at the connection
         * timeout.
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
         * How long a connection above {@link #minimumIdle(int)} may sit idle in the pool before it is closed
         * (HikariCP's {@code idleTimeout}). Default 10 minutes.
         *
         * @param value at least 10 seconds, or zero for never
         * @return this builder
         * @throws IllegalArgumentException if negative or between zero and 10 seconds
         * @throws NullPointerException if {@code value} is null
         */
        public Builder poolIdleTimeout(Duration value) {
            Objects.requireNonNull(value, "poolIdleTimeout");
            this.poolIdleTimeout = value.isZero() ? value : atLeast(value, Duration.ofSeconds(10), "poolIdleTimeout");
            return this;
        }

        /**
         * The longest a connection lives before the pool replaces it (HikariCP's {@code maxLifetime}); set it
         * below any database or network idle-kill timeout. Default 30 minutes.
         *
         * @param value at least 30 seconds
         * @return this builder
         * @throws IllegalArgumentException if below 30 seconds
         */
        public Builder connectionMaxLifetime(Duration value) {
            this.connectionMaxLifetime = atLeast(value, Duration.ofSeconds(30), "connectionMaxLifetime");
            return this;
        }

        /**
         * The pool's name in logs and JMX. Default {@code platform-sessions}.
         *
         * @param value the name
         * @return this builder
         */
        public Builder poolName(String value) {
            this.poolName = Objects.requireNonNull(value, "poolName");
            return this;
        }

        /**
         * A JDBC driver property. Default: none.
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
         * Any further HikariCP setting, applied after the options above. Default: none.
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
         * Starts the pool. It does not wait for the database: a database that is down is reported by the first
         * borrow.
         *
         * @return the pool
         */
        public JdbcPool build() {
            return new JdbcPool(new HikariDataSource(toHikariConfig()));
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
            c.setIdleTimeout(poolIdleTimeout.toMillis());
            c.setMaxLifetime(connectionMaxLifetime.toMillis());
            // Start even if the database is down; the first operation reports it.
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
