package io.platformsessions.jdbc;

import io.platformsessions.SessionStoreException;
import io.platformsessions.UserAccount;
import io.platformsessions.spi.UserDirectory;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * A {@link UserDirectory} that reads the application's own user table with a configured query:
 *
 * <pre>{@code
 * UserDirectory users = JdbcUserDirectory.builder(dataSource)
 *         .query("SELECT id, display_name, enabled FROM users WHERE id = ?")
 *         .build();
 * }</pre>
 *
 * <p>The query takes exactly one {@code ?} (the user id) and returns, by position: the user id, the
 * username (a {@code null} username falls back to the id) and, optionally, whether the user is active
 * (boolean or 0/1; without a third column every found user is active). The engine consults it only when a
 * session is created. Thread-safe. Database failures become {@link SessionStoreException}.
 */
public final class JdbcUserDirectory implements UserDirectory {
    private final Jdbi jdbi;
    private final String query;

    private JdbcUserDirectory(Builder b) {
        this.jdbi = new StoreConnections(b.dataSource, b.networkTimeout).jdbi();
        this.query = b.query;
    }

    /**
     * Starts building a directory.
     *
     * @param dataSource the application's data source; never closed by the directory
     * @return a new builder
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    @Override
    public Optional<UserAccount> find(String userId) {
        Objects.requireNonNull(userId, "userId");
        try (Handle h = jdbi.open()) {
            return h.createQuery(query).bind(0, userId).map(JdbcUserDirectory::read).findFirst()
                    .filter(u -> u.id().equals(userId)); // the collation may be laxer than String.equals
        } catch (RuntimeException e) {
            throw SqlFailures.map("find a user", e);
        }
    }

    private static UserAccount read(ResultSet rs, StatementContext ctx) throws SQLException {
        String id = rs.getString(1);
        String username = rs.getString(2);
        boolean active = rs.getMetaData().getColumnCount() < 3 || rs.getBoolean(3);
        return new UserAccount(id, username == null ? id : username, active);
    }

    /**
     * Builds a {@link JdbcUserDirectory}. Not thread-safe; every setter returns {@code this}.
     */
    public static final class Builder {
        private final DataSource dataSource;
        private String query;
        private Duration networkTimeout = JdbcSessionStore.DEFAULT_NETWORK_TIMEOUT;

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /**
         * The lookup query: one {@code ?} for the user id; columns id, username and optionally active. Required.
         *
         * @param value the SQL
         * @return this builder
         * @throws IllegalArgumentException if the query does not have exactly one {@code ?}
         */
        public Builder query(String value) {
            this.query = PlatformQueries.oneParameter(value, "user");
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
         * @throws IllegalStateException if no query was given
         */
        public JdbcUserDirectory build() {
            if (query == null) {
                throw new IllegalStateException("JdbcUserDirectory needs query(\"SELECT id, username, active FROM ... "
                        + "WHERE id = ?\")");
            }
            return new JdbcUserDirectory(this);
        }
    }
}
