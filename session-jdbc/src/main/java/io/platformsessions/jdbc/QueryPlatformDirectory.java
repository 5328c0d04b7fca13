package io.platformsessions.jdbc;

import io.platformsessions.PlatformConnection;
import io.platformsessions.SessionStoreException;
import io.platformsessions.spi.PlatformDirectory;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A read-only {@link PlatformDirectory} over the application's own tables, with the application's queries:
 *
 * <pre>{@code
 * PlatformDirectory platforms = QueryPlatformDirectory.builder(appDataSource)
 *         .queries("SELECT id, owner, handle, kind, url, enabled, is_main FROM accounts WHERE id = ?",
 *                  "SELECT id, owner, handle, kind, url, enabled, is_main FROM accounts WHERE owner = ?")
 *         .build();
 * }</pre>
 *
 * <p>Each query takes exactly one {@code ?} and returns, by position: id (a positive number), user id, name,
 * platform type, instance URL, active (boolean or 0/1), default (boolean or 0/1). User ids are compared
 * exactly ({@code String.equals}) after the query, so a case-insensitive collation cannot hand one user's
 * platforms to another. The application changes its connections in its own tables, which this directory
 * cannot see: after deactivating or deleting a connection, call
 * {@link io.platformsessions.SessionManager#platformWithdrawn(String, long)} so the sessions on it move off it.
 * For a table the library manages (which does that itself), use {@link JdbcPlatformDirectory}. Thread-safe. Every database failure becomes a
 * {@link SessionStoreException} (transient for connection loss and timeouts).
 */
public final class QueryPlatformDirectory implements PlatformDirectory {
    private final PlatformQueries queries;

    private QueryPlatformDirectory(Builder b) {
        this.queries = new PlatformQueries(new StoreConnections(b.dataSource, b.networkTimeout).jdbi(), b.findById, b.findByUser);
    }

    /**
     * Starts building a directory.
     *
     * @param dataSource the application's data source; never closed by the directory
     * @return a new builder
     * @throws NullPointerException if {@code dataSource} is null
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    @Override
    public Optional<PlatformConnection> find(long platformId) {
        return queries.find(platformId);
    }

    @Override
    public List<PlatformConnection> findByUser(String userId) {
        return queries.findByUser(userId);
    }

    /** Builds a {@link QueryPlatformDirectory}. Not thread-safe; every setter returns {@code this}. */
    public static final class Builder {
        private final DataSource dataSource;
        private String findById;
        private String findByUser;
        private Duration networkTimeout = JdbcSessionStore.DEFAULT_NETWORK_TIMEOUT;

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /**
         * The two queries, each with exactly one {@code ?}. Required.
         *
         * @param findById query by connection id
         * @param findByUser query by user id
         * @return this builder
         * @throws IllegalArgumentException if a query does not have exactly one {@code ?}
         */
        public Builder queries(String findById, String findByUser) {
            this.findById = PlatformQueries.oneParameter(findById, "findById");
            this.findByUser = PlatformQueries.oneParameter(findByUser, "findByUser");
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
         * Builds the directory. Does not touch the database.
         *
         * @return the directory
         * @throws IllegalStateException if no queries were given
         */
        public QueryPlatformDirectory build() {
            if (findById == null) {
                throw new IllegalStateException("QueryPlatformDirectory needs queries(findById, findByUser)");
            }
            return new QueryPlatformDirectory(this);
        }
    }
}
