package io.platformsessions.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/** Short transactions on a plain JDBC connection in autocommit mode. Stateless and thread-safe. */
final class Transactions {
    private Transactions() {
    }

    /** Work inside a transaction. */
    @FunctionalInterface
    interface Work<R> {
        R run() throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction on {@code c}: autocommit off, the isolation level if given,
     * commit (or roll back on failure), then autocommit and isolation as they were.
     *
     * @param c a connection in autocommit mode
     * @param isolation a {@code Connection.TRANSACTION_*} level, or -1 for the connection's own
     * @param work what to run
     * @return what {@code work} returned
     * @throws SQLException if the work or the commit fails (the transaction is then rolled back)
     */
    static <R> R run(Connection c, int isolation, Work<R> work) throws SQLException {
        int previous = isolation < 0 ? -1 : c.getTransactionIsolation();
        if (previous == isolation) {
            previous = -1;
        } else if (previous >= 0) {
            c.setTransactionIsolation(isolation);
        }
        c.setAutoCommit(false);
        try {
            R result = work.run();
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        } finally {
            c.setAutoCommit(true);
            if (previous >= 0) {
                c.setTransactionIsolation(previous);
            }
        }
    }
}
