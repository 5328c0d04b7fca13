package io.platformsessions.jdbc;

import io.platformsessions.SessionStoreException;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/**
 * Maps JDBC, Jdbi and pool failures to {@link SessionStoreException}, deciding whether retrying may help.
 * Stateless and thread-safe.
 */
final class SqlFailures {
    /** H2: connection broken, database closed, closed at shutdown, lock timeout, concurrent update, deadlock. */
    private static final int[] H2_TRANSIENT_CODES = {90067, 90098, 90121, 50200, 90131, 40001};
    /** MariaDB/MySQL: lock wait timeout, deadlock, connection killed, server gone away, lost connection. */
    private static final int[] MYSQL_TRANSIENT_CODES = {1205, 1213, 1927, 2006, 2013};

    private SqlFailures() {
    }

    /**
     * Wraps a failure, unless it already is a {@link SessionStoreException}.
     *
     * @param what what the store was doing, for example "find session 1a2b3c4d…"; never a token
     * @param failure the failure
     * @return the exception to throw
     */
    static SessionStoreException map(String what, Throwable failure) {
        if (failure instanceof SessionStoreException s) {
            return s;
        }
        Throwable cause = redacted(failure, 0);
        if (isTransient(failure)) {
            return SessionStoreException.transientFailure(what + " failed (transient): " + describe(failure), cause);
        }
        return SessionStoreException.permanentFailure(what + " failed: " + describe(failure), cause);
    }

    /**
     * A copy of a failure chain that keeps each failure's class name, SQLState, error code, first message line and
     * stack trace, and drops the rest. Database servers add detail lines that quote data: PostgreSQL's "Failing row
     * contains (...)" would put a session's CSRF secret and attributes into every log line that prints the cause.
     */
    static Throwable redacted(Throwable failure, int depth) {
        if (failure == null || depth >= 16) {
            return null;
        }
        if (failure instanceof SessionStoreException) {
            return failure; // already ours, built from redacted parts
        }
        RedactedFailure copy = new RedactedFailure(failure);
        Throwable cause = redacted(failure.getCause(), depth + 1);
        if (cause != null) {
            copy.initCause(cause);
        }
        return copy;
    }

    /** One failure of a {@linkplain #redacted redacted} chain. */
    static final class RedactedFailure extends SQLException {
        private static final long serialVersionUID = 1L;

        RedactedFailure(Throwable original) {
            super(original.getClass().getName() + ": " + firstLine(original.getMessage()),
                    original instanceof SQLException e ? e.getSQLState() : null,
                    original instanceof SQLException e ? e.getErrorCode() : 0);
            setStackTrace(original.getStackTrace());
        }
    }

    /**
     * Whether retrying the same call may succeed: connection loss or refusal, timeouts (pool and
     * statement), serialization failures, deadlocks and lock timeouts.
     *
     * <p>{@link SQLNonTransientConnectionException} counts as transient: H2 and the MariaDB driver
     * raise it for a refused or broken connection, which is exactly the "database restarting" case.
     *
     * @param failure the failure, with its causes
     * @return {@code true} if transient
     */
    static boolean isTransient(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof SQLNonTransientConnectionException || t instanceof IOException) {
                return true;
            }
            if (t instanceof SQLException e && isTransientState(e)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTransientState(SQLException e) {
        String state = e.getSQLState();
        if (state != null) {
            if (state.startsWith("08") || state.startsWith("40") || state.equals("57P01") || state.equals("57P02")
                    || state.equals("57P03") || state.equals("57014") || state.equals("HYT00")
                    || state.equals("HYT01") || state.equals("55P03")) {
                return true;
            }
        }
        int code = e.getErrorCode();
        for (int c : H2_TRANSIENT_CODES) {
            if (c == code) {
                return true;
            }
        }
        for (int c : MYSQL_TRANSIENT_CODES) {
            if (c == code) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the failure is a lock conflict that another attempt resolves: deadlock, serialization
     * failure, lock timeout (SQLState class 40, HYT00, 55P03; H2 50200/90131; MySQL 1205/1213).
     */
    static boolean isLockConflict(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t instanceof SQLException e) {
                String state = e.getSQLState();
                int code = e.getErrorCode();
                if (state != null && (state.startsWith("40") || state.equals("HYT00") || state.equals("55P03"))
                        || code == 50200 || code == 90131 || code == 1205 || code == 1213) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether the failure is a unique-key violation (SQLState 23505, or 23000 with MySQL error 1062). */
    static boolean isDuplicateKey(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t instanceof SQLException e) {
                String state = e.getSQLState();
                if ("23505".equals(state) || ("23000".equals(state) && e.getErrorCode() == 1062)
                        || e.getErrorCode() == 1062) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The outermost SQL failure's state and message (plus the innermost one's, if different). */
    static String describe(Throwable failure) {
        SQLException outer = null;
        SQLException inner = null;
        Throwable root = failure;
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t instanceof SQLException e) {
                if (outer == null) {
                    outer = e;
                }
                inner = e;
            }
            root = t;
        }
        if (outer == null) {
            return root.getClass().getSimpleName() + ": " + firstLine(root.getMessage());
        }
        String text = sqlText(outer);
        return inner == outer ? text : text + " (cause: " + sqlText(inner) + ")";
    }

    private static String sqlText(SQLException e) {
        return (e.getSQLState() == null ? "" : "SQLState " + e.getSQLState() + ", ") + firstLine(e.getMessage());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
