package io.platformsessions.jdbc;

import io.platformsessions.SessionKey;
import io.platformsessions.SessionStoreException;
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
        try (Connection c = borrow()) {
            return work.run(c);
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
        Jdbi jdbi = Jdbi.create(this::borrow);
        jdbi.setTemplateEngine(TemplateEngine.NOP);
        return jdbi;
    }
}
