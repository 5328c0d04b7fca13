package io.platformsessions.jdbc;

import io.platformsessions.SessionKey;
import io.platformsessions.SessionStoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import javax.sql.DataSource;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.TemplateEngine;

/**
 * Borrows connections for this module and prepares them for it, undoing the preparation when they go back:
 *
 * <ul>
 *   <li>Autocommit on, whatever the pool's default: every single-statement operation must be durable when it
 *       returns, and an application pool configured with {@code autoCommit=false} (a common JPA setting) would
 *       otherwise roll each write back when the connection goes back to the pool. Transactions switch it off
 *       themselves and restore it; the pool restores its own default.</li>
 *   <li>A network timeout ({@link Connection#setNetworkTimeout}): a hung database (accepting connections but
 *       never answering) fails a call after this long with a transient error instead of holding the request
 *       for as long as the hang lasts. It bounds every wait for the server's reply, so it applies to an owned
 *       pool and an application's data source alike; a connection whose own timeout is already as short is
 *       left alone, and the previous value is restored before the connection goes back. PostgreSQL and
 *       MariaDB/MySQL drivers apply it as the socket's read timeout: no round trip, no timer per statement.</li>
 * </ul>
 *
 * Thread-safe.
 */
final class StoreConnections {
    private static final Executor DIRECT = Runnable::run;

    private final DataSource dataSource;
    /** Milliseconds; 0 leaves each connection's own network timeout. */
    private final int networkTimeoutMillis;

    StoreConnections(DataSource dataSource, Duration networkTimeout) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.networkTimeoutMillis = (int) networkTimeout.toMillis();
    }

    /** A connection borrowed and prepared; closing it restores the network timeout and gives it back. */
    final class Borrowed implements AutoCloseable {
        final Connection connection;
        /** The network timeout to restore, or -1 if it was left alone. */
        private final int previousTimeout;

        private Borrowed(Connection connection, int previousTimeout) {
            this.connection = connection;
            this.previousTimeout = previousTimeout;
        }

        @Override
        public void close() throws SQLException {
            try {
                if (previousTimeout >= 0 && !connection.isClosed()) {
                    connection.setNetworkTimeout(DIRECT, previousTimeout);
                }
            } finally {
                connection.close();
            }
        }
    }

    /**
     * Borrows and prepares a connection.
     *
     * @return the connection; the caller closes it
     * @throws SQLException if borrowing or preparing fails (the connection is then given back)
     */
    Borrowed borrow() throws SQLException {
        Connection c = dataSource.getConnection();
        try {
            if (!c.getAutoCommit()) {
                c.setAutoCommit(true);
            }
            int previous = -1;
            if (networkTimeoutMillis > 0) {
                int current = c.getNetworkTimeout();
                if (current == 0 || current > networkTimeoutMillis) {
                    c.setNetworkTimeout(DIRECT, networkTimeoutMillis);
                    previous = current;
                }
            }
            return new Borrowed(c, previous);
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Work on a borrowed connection. */
    @FunctionalInterface
    interface Call<R> {
        R run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} on a borrowed connection and gives the connection back.
     *
     * @param what what is done, for the failure message, for example "find session"
     * @param key the session concerned, named by its prefix only; or {@code null}
     * @param work the work
     * @return what the work returned
     * @throws SessionStoreException if borrowing or the work fails
     */
    <R> R call(String what, SessionKey key, Call<R> work) {
        return call(what, key, null, work);
    }

    /**
     * {@link #call} for a write that stores a session under {@code newKey}: a unique-key violation means a
     * session with that key exists, which is never transient.
     */
    <R> R call(String what, SessionKey key, SessionKey newKey, Call<R> work) {
        try (Borrowed b = borrow()) {
            return work.run(b.connection);
        } catch (SQLException | RuntimeException e) {
            if (newKey != null && SqlFailures.isDuplicateKey(e)) {
                throw SessionStoreException.permanentFailure("a session with key " + newKey.prefix() + "… exists", e);
            }
            throw SqlFailures.map(key == null ? what : what + " " + key.prefix() + "…", e);
        }
    }

    /**
     * A Jdbi on these connections, with plain SQL (no template processing).
     *
     * @return the Jdbi
     */
    Jdbi jdbi() {
        Map<Connection, Borrowed> open = Collections.synchronizedMap(new IdentityHashMap<>());
        Jdbi jdbi = Jdbi.create(new ConnectionFactory() {
            @Override
            public Connection openConnection() throws SQLException {
                Borrowed b = borrow();
                open.put(b.connection, b);
                return b.connection;
            }

            @Override
            public void closeConnection(Connection c) throws SQLException {
                Borrowed b = open.remove(c);
                if (b != null) {
                    b.close();
                } else {
                    c.close();
                }
            }
        });
        jdbi.setTemplateEngine(TemplateEngine.NOP);
        return jdbi;
    }

    /**
     * Checks a network timeout setting.
     *
     * @param value zero (leave the connection's own), or at least 100 ms
     * @return the value
     * @throws IllegalArgumentException if negative, between zero and 100 ms, or over {@link Integer#MAX_VALUE} ms
     * @throws NullPointerException if {@code value} is null
     */
    static Duration checkNetworkTimeout(Duration value) {
        Objects.requireNonNull(value, "networkTimeout");
        if (value.isNegative() || (!value.isZero() && value.toMillis() < 100) || value.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("networkTimeout must be zero (the connection's own) or from 100 ms to "
                    + Integer.MAX_VALUE + " ms, was " + value);
        }
        return value;
    }
}
