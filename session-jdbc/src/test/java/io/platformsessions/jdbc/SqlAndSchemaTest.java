package io.platformsessions.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The generated SQL and the shipped schema files. */
class SqlAndSchemaTest {

    @ParameterizedTest
    @EnumSource(JdbcDialect.class)
    void everyDialectShipsBothSchemaFilesWithThePrefixPlaceholder(JdbcDialect dialect) {
        List<String> sessions = SchemaScripts.statements(SchemaScripts.text(dialect.schemaResource(), "app_"));
        assertThat(sessions).anySatisfy(s -> assertThat(s).startsWith("CREATE TABLE IF NOT EXISTS app_sessions ("))
                .anySatisfy(s -> assertThat(s).startsWith("CREATE TABLE IF NOT EXISTS app_sessions_archive ("))
                .allSatisfy(s -> assertThat(s).doesNotContain("${prefix}").doesNotEndWith(";"));
        assertThat(String.join("\n", sessions)).contains("app_sessions_user_idx").contains("app_sessions_expires_idx")
                .contains("app_sessions_archive_ended_idx");
        List<String> platforms = SchemaScripts.statements(SchemaScripts.text(dialect.platformSchemaResource(), ""));
        assertThat(platforms.get(0)).startsWith("CREATE TABLE IF NOT EXISTS platform_connections (");
        if (dialect == JdbcDialect.MARIADB || dialect == JdbcDialect.MYSQL) {
            assertThat(String.join("\n", sessions)).as("exact user-id comparison").containsPattern("utf8mb4_\\w*bin");
        }
    }

    @Test
    void statementSplittingDropsCommentsAndKeepsMultiLineStatements() {
        List<String> statements = SchemaScripts.statements("-- comment\nCREATE TABLE a (\n  x INT\n);\n\n"
                + "CREATE INDEX i ON a (x);\n-- trailing\n");
        assertThat(statements).containsExactly("CREATE TABLE a (\n  x INT\n)", "CREATE INDEX i ON a (x)");
    }

    @Test
    void cleanupSqlUsesSkipLockedOnlyWhereTheServerHasIt() {
        assertThat(JdbcDialect.supportsSkipLocked(JdbcDialect.MARIADB, 10, 5)).isFalse();
        assertThat(JdbcDialect.supportsSkipLocked(JdbcDialect.MARIADB, 10, 6)).isTrue();
        assertThat(JdbcDialect.supportsSkipLocked(JdbcDialect.MARIADB, 11, 0)).isTrue();
        assertThat(JdbcDialect.supportsSkipLocked(JdbcDialect.MYSQL, 5, 7)).isFalse();
        assertThat(JdbcDialect.supportsSkipLocked(JdbcDialect.MYSQL, 8, 0)).isTrue();
        assertThat(JdbcDialect.supportsSkipLocked(JdbcDialect.POSTGRESQL, 10, 0)).isTrue();

        SessionSql old = new SessionSql(JdbcDialect.MARIADB, "ps_", false);
        assertThat(old.lockExpired).endsWith("ORDER BY expires_at LIMIT ? FOR UPDATE");
        SessionSql current = new SessionSql(JdbcDialect.MARIADB, "ps_", true);
        assertThat(current.lockExpired).endsWith("LIMIT ? FOR UPDATE SKIP LOCKED");
        SessionSql h2 = new SessionSql(JdbcDialect.H2, "ps_", true);
        assertThat(h2.lockExpired).contains("FETCH FIRST ? ROWS ONLY FOR UPDATE SKIP LOCKED");
        SessionSql pg = new SessionSql(JdbcDialect.POSTGRESQL, "ps_", true);
        // rows found again by the ctid of the version the subselect locked (PostgresCleanupRaceTest)
        String lockedBatch = "ARRAY(SELECT ctid FROM ps_sessions WHERE expires_at <= ? ORDER BY expires_at LIMIT ? "
                + "FOR UPDATE SKIP LOCKED)";
        assertThat(pg.pgDeleteExpired).isEqualTo("DELETE FROM ps_sessions WHERE ctid = ANY(" + lockedBatch + ")");
        assertThat(pg.pgDeleteExpiredArchived).isEqualTo("WITH ended AS (DELETE FROM ps_sessions WHERE ctid = ANY("
                + lockedBatch + ") RETURNING " + SessionSql.ARCHIVE_COLUMNS + ") INSERT INTO ps_sessions_archive ("
                + SessionSql.ARCHIVE_COLUMNS + ", ended_at, end_reason) SELECT " + SessionSql.ARCHIVE_COLUMNS
                + ", ?, CASE WHEN absolute_expires_at <= ? THEN 'ABSOLUTE_TIMEOUT' ELSE 'IDLE_TIMEOUT' END FROM ended");
    }

    @Test
    void hotStatementsAreSingleRowAndVersionChecked() {
        SessionSql sql = new SessionSql(JdbcDialect.POSTGRESQL, "ps_", true);
        assertThat(sql.update).startsWith("UPDATE ps_sessions SET session_id = ?, ")
                .endsWith(" WHERE session_key = ? AND version = ?").doesNotContain("SET session_key");
        assertThat(sql.rekey).startsWith("UPDATE ps_sessions SET session_key = ?, ")
                .endsWith(" WHERE session_key = ? AND version = ?");
        assertThat(sql.touch).isEqualTo("UPDATE ps_sessions SET last_activity_at = ?, expires_at = LEAST(?, absolute_expires_at) "
                + "WHERE session_key = ? AND last_activity_at < ?");
        assertThat(sql.insert.chars().filter(c -> c == '?').count()).isEqualTo(SessionSql.DATA_COLUMN_COUNT + 1);
        assertThat(sql.update.chars().filter(c -> c == '?').count()).isEqualTo(SessionSql.DATA_COLUMN_COUNT + 2);
        assertThat(sql.pgInsertCountingOthersAsync).isEqualTo(sql.pgInsertCountingOthers.replace("SELECT COUNT(*) FROM",
                "SELECT COUNT(*), set_config('synchronous_commit', 'off', true) FROM"))
                .contains("set_config('synchronous_commit', 'off', true)");
        SessionSql h2 = new SessionSql(JdbcDialect.H2, "ps_", true);
        assertThat(h2.keyIdColumn).isTrue();
        assertThat(sql.keyIdColumn).isFalse();
        assertThat(h2.insert).startsWith("INSERT INTO ps_sessions (key_id, session_key, session_id, ");
        assertThat(h2.insert.chars().filter(c -> c == '?').count()).isEqualTo(SessionSql.DATA_COLUMN_COUNT + 2);
        assertThat(h2.find).endsWith(" WHERE key_id = ? AND session_key = ?");
        assertThat(h2.update).endsWith(" WHERE key_id = ? AND session_key = ? AND version = ?");
        assertThat(h2.rekey).startsWith("UPDATE ps_sessions SET key_id = ?, session_key = ?, session_id = ?, ")
                .endsWith(" WHERE key_id = ? AND session_key = ? AND version = ?");
        assertThat(h2.touch).endsWith("WHERE key_id = ? AND session_key = ? AND last_activity_at < ?");
        assertThat(h2.delete).isEqualTo("DELETE FROM ps_sessions WHERE key_id = ? AND session_key = ?");
        assertThat(SessionSql.keyId(new byte[] {(byte) 0xfe, (byte) 0xdc, (byte) 0xba, (byte) 0x98, 0x76, 0x54, 0x32,
                0x10, 1, 2})).isEqualTo(0xfedcba9876543210L);
        assertThat(SessionSql.ARCHIVE_COLUMNS.split(",")).hasSize(SessionSql.ARCHIVE_COLUMN_COUNT);
        assertThat(SessionSql.DATA_COLUMNS.split(",")).hasSize(SessionSql.DATA_COLUMN_COUNT);
    }
}
