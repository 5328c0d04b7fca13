package io.platformsessions.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * Connections in autocommit mode, whatever the pool's default. Every single-statement operation of
 * this module must be durable when it returns; an application pool configured with
 * {@code autoCommit=false} (a common JPA setting) would otherwise roll each write back when the
 * connection goes back to the pool. Transactions (cleanup, archive, directory updates) switch
 * autocommit off themselves through Jdbi and restore it. Checking is local to the driver: no round
 * trip; the pool restores its own default when the connection is returned. Stateless, thread-safe.
 */
final class AutoCommitConnections {
    private AutoCommitConnections() {
    }

    /**
     * Borrows a connection and switches it to autocommit if needed.
     *
     * @param dataSource the pool
     * @return a connection in autocommit mode; the caller closes it
     * @throws SQLException if borrowing or switching fails (the connection is then closed)
     */
    static Connection borrow(DataSource dataSource) throws SQLException {
        Connection c = dataSource.getConnection();
        try {
            if (!c.getAutoCommit()) {
                c.setAutoCommit(true);
            }
            return c;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /**
     * A Jdbi whose handles start in autocommit mode.
     *
     * @param dataSource the pool
     * @return the Jdbi
     */
    static Jdbi jdbi(DataSource dataSource) {
        return Jdbi.create(() -> borrow(dataSource));
    }
}
