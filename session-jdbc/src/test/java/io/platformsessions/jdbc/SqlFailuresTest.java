package io.platformsessions.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.platformsessions.SessionStoreException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTransientConnectionException;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which failures are transient (worth a retry) and what the messages say. */
class SqlFailuresTest {

    @ParameterizedTest
    @ValueSource(strings = {"08001", "08006", "08S01", "40001", "40P01", "57P01", "57P03", "57014", "HYT00", "55P03"})
    void connectionSerializationDeadlockAndTimeoutStatesAreTransient(String state) {
        SQLException e = new SQLException("boom", state);
        assertThat(SqlFailures.isTransient(wrapped(e))).isTrue();
        assertThat(SqlFailures.map("find session 1a2b3c4d…", wrapped(e)).isTransient()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"23505", "42P01", "22001", "42000", "HY000"})
    void constraintSyntaxAndDataErrorsAreNotTransient(String state) {
        SessionStoreException mapped = SqlFailures.map("update session 1a2b3c4d…", wrapped(new SQLException("bad", state)));
        assertThat(mapped.isTransient()).isFalse();
        assertThat(mapped.getMessage()).startsWith("update session 1a2b3c4d… failed: SQLState " + state);
    }

    @Test
    void driverSpecificCodesAndExceptionTypes() {
        assertThat(SqlFailures.isTransient(new SQLException("Lock wait timeout", "HY000", 1205))).isTrue();
        assertThat(SqlFailures.isTransient(new SQLException("Connection is broken", "90067", 90067))).isTrue();
        assertThat(SqlFailures.isTransient(new SQLTransientConnectionException("pool - request timed out after 2000ms")))
                .as("HikariCP pool timeout").isTrue();
        assertThat(SqlFailures.isTransient(new SQLNonTransientConnectionException("refused"))).isTrue();
        assertThat(SqlFailures.isTransient(new RuntimeException(new ConnectException("refused")))).isTrue();
        assertThat(SqlFailures.isTransient(new SQLSyntaxErrorException("no table", "42S02"))).isFalse();
        assertThat(SqlFailures.isTransient(new IllegalStateException("x"))).isFalse();
    }

    @Test
    void duplicateKeysAndLockConflictsAreRecognised() {
        assertThat(SqlFailures.isDuplicateKey(wrapped(new SQLException("dup", "23505")))).isTrue();
        assertThat(SqlFailures.isDuplicateKey(new SQLIntegrityConstraintViolationException("dup", "23000", 1062))).isTrue();
        assertThat(SqlFailures.isDuplicateKey(new SQLException("fk", "23503"))).isFalse();
        assertThat(SqlFailures.isLockConflict(new SQLException("deadlock", "40P01"))).isTrue();
        assertThat(SqlFailures.isLockConflict(new SQLException("deadlock", "40001", 1213))).isTrue();
        assertThat(SqlFailures.isLockConflict(new SQLException("gone", "08006"))).isFalse();
    }

    @Test
    void messagesNameTheOuterAndInnerFailureAndKeepTheCause() {
        SQLException inner = new SQLException("Connection refused", "08001");
        SQLTransientConnectionException outer = new SQLTransientConnectionException("pool - timed out", null, inner);
        SessionStoreException mapped = SqlFailures.map("find session 1a2b3c4d…", outer);
        assertThat(mapped.getMessage()).contains("pool - timed out").contains("cause: SQLState 08001, Connection refused")
                .contains("(transient)");
        assertThat(mapped.getCause()).isInstanceOf(SQLException.class)
                .hasMessage(SQLTransientConnectionException.class.getName() + ": pool - timed out");
        assertThat(mapped.getCause().getStackTrace()).isEqualTo(outer.getStackTrace());
        assertThat(((SQLException) mapped.getCause().getCause()).getSQLState()).isEqualTo("08001");
        SessionStoreException already = SessionStoreException.permanentFailure("x", null);
        assertThat(SqlFailures.map("y", already)).isSameAs(already);
    }

    @Test
    void theCauseKeptForLogsDropsTheServersDetailLinesThatQuoteTheRow() {
        // what PgJDBC reports for a constraint violation: the detail line quotes the whole row
        SQLException server = new SQLException("ERROR: null value in column \"user_id\" violates not-null constraint\n"
                + "  Detail: Failing row contains (csrf-secret-1234, {\"oauth\":\"tok\"}).", "23502", 0);
        SessionStoreException mapped = SqlFailures.map("insert session 1a2b3c4d…", new RuntimeException("wrapped", server));
        java.io.StringWriter printed = new java.io.StringWriter();
        mapped.printStackTrace(new java.io.PrintWriter(printed));
        assertThat(printed.toString()).doesNotContain("csrf-secret-1234").doesNotContain("oauth")
                .contains("violates not-null constraint");
        assertThat(mapped.getMessage()).doesNotContain("csrf-secret-1234");
        assertThat(((SQLException) mapped.getCause().getCause()).getSQLState()).isEqualTo("23502");
    }

    private static RuntimeException wrapped(SQLException e) {
        return new UnableToExecuteStatementException(e, null);
    }
}
