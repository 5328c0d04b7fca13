package io.platformsessions.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.TemplateEngine;

/**
 * Borrows connections for this module, in autocommit mode whatever the pool's default. Every single-statement
 * operation must be durable when it returns; an application pool configured with {@code autoCommit=false} (a
 * common JPA setting) would otherwise roll each write back when the connection goes back to the pool.
 * Transactions switch autocommit off themselves and restore it. Checking is local to the driver: no round
 * trip; the pool restores its own default when the connection is returned. Thread-safe.
 */
final class StoreConnections {
    private final DataSource dataSource;

    StoreConnections(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Borrows a connection in autocommit mode.
     *
     * @return the connection; the caller closes it
     * @throws SQLException if borrowing or switching fails (the connection is then closed)
     */
    Connection borrow() throws SQLException {
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
     * A Jdbi on these connections, with plain SQL (no template processing).
     *
     * @return the Jdbi
     */
    Jdbi jdbi() {
        Jdbi jdbi = Jdbi.create(this::borrow);
        jdbi.setTemplateEngine(TemplateEngine.NOP);
        return jdbi;
    }
}
