package io.platformsessions.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        if (dialect == JdbcDialect.H2) {
            assertThat(sessions).as("one lock row per stripe H2Sql hashes user ids to")
                    .contains("MERGE INTO app_session_locks KEY (stripe) SELECT X FROM SYSTEM_RANGE(0, "
                            + (H2Sql.LOCK_STRIPES - 1) + ")");
        }
    }

    @Test
    void aLoginWaitsForItsUsersLockLessThanTheNetworkTimeout() {
        assertThat(DialectSql.userLockWait(JdbcSessionStore.DEFAULT_NETWORK_TIMEOUT)).isEqualTo(1_500);
        assertThat(DialectSql.userLockWait(java.time.Duration.ofSeconds(30))).isEqualTo(DialectSql.MAX_USER_LOCK_WAIT_MILLIS);
        assertThat(DialectSql.userLockWait(java.time.Duration.ZERO)).as("no network timeout").isEqualTo(2_000);
        assertThat(DialectSql.userLockWait(java.time.Duration.ofMillis(400))).isEqualTo(200);
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

        MySqlSql old = new MySqlSql(JdbcDialect.MARIADB, "ps_", false, 1_500);
        assertThat(old.lockExpiredArchived).endsWith("ORDER BY expires_at LIMIT ? FOR UPDATE");
        MySqlSql current = new MySqlSql(JdbcDialect.MARIADB, "ps_", true, 1_500);
        assertThat(current.lockExpiredArchived).endsWith("LIMIT ? FOR UPDATE SKIP LOCKED");
        H2Sql h2 = new H2Sql("ps_");
        assertThat(h2.lockExpiredArchived).contains("FETCH FIRST ? ROWS ONLY FOR UPDATE SKIP LOCKED");
        PostgresSql pg = new PostgresSql("ps_", false, 1_500);
        String archiveColumns = pg.table.archiveColumns;
        // rows found again by the ctid of the version the subselect locked (PostgresCleanupRaceTest)
        String lockedBatch = "ARRAY(SELECT ctid FROM ps_sessions WHERE expires_at <= ? ORDER BY expires_at LIMIT ? "
                + "FOR UPDATE SKIP LOCKED)";
        assertThat(pg.deleteExpired).isEqualTo("DELETE FROM ps_sessions WHERE ctid = ANY(" + lockedBatch + ")");
        assertThat(pg.deleteExpiredArchived).isEqualTo("WITH ended AS (DELETE FROM ps_sessions WHERE ctid = ANY("
                + lockedBatch + ") RETURNING " + archiveColumns + ") INSERT INTO ps_sessions_archive ("
                + archiveColumns + ", ended_at, end_reason) SELECT " + archiveColumns
                + ", ?, CASE WHEN absolute_expires_at <= ? THEN 'ABSOLUTE_TIMEOUT' ELSE 'IDLE_TIMEOUT' END FROM ended");
    }

    @Test
    void hotStatementsAreSingleRowAndVersionChecked() {
        SessionStatements sql = new PostgresSql("ps_", false, 1_500).statements;
        assertThat(sql.update).startsWith("UPDATE ps_sessions SET session_id = ?, ")
                .endsWith(" WHERE session_key = ? AND version = ?").doesNotContain("SET session_key");
        assertThat(sql.rekey).startsWith("UPDATE ps_sessions SET session_key = ?, ")
                .endsWith(" WHERE session_key = ? AND version = ?");
        assertThat(sql.touch).isEqualTo("UPDATE ps_sessions SET last_activity_at = ?, expires_at = LEAST(?, absolute_expires_at) "
                + "WHERE session_key = ? AND last_activity_at < ?");
        assertThat(sql.insert.chars().filter(c -> c == '?').count()).isEqualTo(SessionTable.DATA.size() + 1);
        assertThat(sql.update.chars().filter(c -> c == '?').count()).isEqualTo(SessionTable.DATA.size() + 2);
        assertThat(new PostgresSql("ps_", true, 1_500).insertAndCount).isEqualTo(new PostgresSql("ps_", false, 1_500)
                .insertAndCount.replace("', true); SELECT pg_advisory_xact_lock(",
                        "', true), set_config('synchronous_commit', 'off', true); SELECT pg_advisory_xact_lock("))
                .contains("set_config('synchronous_commit', 'off', true)");
        assertThat(new PostgresSql("ps_", false, 1_500).insertAndCount).startsWith("SELECT set_config('lock_timeout', '1500', true)")
                .contains("; SELECT pg_advisory_xact_lock(" + "ps_sessions".hashCode() + ", hashtext(?)); INSERT INTO ")
                .endsWith("; SELECT COUNT(*) FROM ps_sessions WHERE user_id = ? AND expires_at > ?");
        SessionStatements h2 = new H2Sql("ps_").statements;
        assertThat(h2.table.keyId).isTrue();
        assertThat(sql.table.keyId).isFalse();
        assertThat(h2.insert).startsWith("INSERT INTO ps_sessions (key_id, session_key, session_id, ");
        assertThat(h2.insert.chars().filter(c -> c == '?').count()).isEqualTo(SessionTable.DATA.size() + 2);
        assertThat(h2.find).endsWith(" WHERE key_id = ? AND session_key = ?");
        assertThat(h2.update).endsWith(" WHERE key_id = ? AND session_key = ? AND version = ?");
        assertThat(h2.rekey).startsWith("UPDATE ps_sessions SET key_id = ?, session_key = ?, session_id = ?, ")
                .endsWith(" WHERE key_id = ? AND session_key = ? AND version = ?");
        assertThat(h2.touch).endsWith("WHERE key_id = ? AND session_key = ? AND last_activity_at < ?");
        assertThat(h2.delete).isEqualTo("DELETE FROM ps_sessions WHERE key_id = ? AND session_key = ?");
        assertThat(SessionTable.keyId(new byte[] {(byte) 0xfe, (byte) 0xdc, (byte) 0xba, (byte) 0x98, 0x76, 0x54, 0x32,
                0x10, 1, 2})).isEqualTo(0xfedcba9876543210L);
    }

    /** The column description and every shipped schema file name the same columns, types' lengths included. */
    @ParameterizedTest
    @EnumSource(JdbcDialect.class)
    void theColumnDescriptionMatchesTheShippedSchema(JdbcDialect dialect) {
        List<String> statements = SchemaScripts.statements(SchemaScripts.text(dialect.schemaResource(), "ps_"));
        Map<String, String> sessions = columns(statements, "ps_sessions");
        Map<String, String> archive = columns(statements, "ps_sessions_archive");
        List<String> expected = new ArrayList<>();
        if (dialect == JdbcDialect.H2) {
            expected.add("key_id");
        }
        for (SessionTable.Column c : SessionTable.Column.values()) {
            expected.add(c.sql);
            if (c.maxLength > 0) {
                assertThat(sessions.get(c.sql)).as(c.sql).startsWith("VARCHAR(" + c.maxLength + ")");
            }
        }
        assertThat(sessions.keySet()).containsExactlyElementsOf(expected);
        List<String> archived = new ArrayList<>(SessionTable.ARCHIVED.stream().map(c -> c.sql).toList());
        archived.addAll(List.of("ended_at", "end_reason"));
        assertThat(archive.keySet()).containsExactlyElementsOf(archived);
        for (SessionTable.Column c : SessionTable.ARCHIVED) {
            assertThat(archive.get(c.sql)).as("archive " + c.sql).isEqualTo(sessions.get(c.sql)
                    .replace(" PRIMARY KEY", ""));
        }
    }

    /** Column name to its type and constraints, in table order, from a {@code CREATE TABLE} statement. */
    private static Map<String, String> columns(List<String> statements, String table) {
        String create = statements.stream().filter(s -> s.startsWith("CREATE TABLE IF NOT EXISTS " + table + " ("))
                .findFirst().orElseThrow();
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : create.split("\n")) {
            String[] parts = line.strip().replaceAll(",$", "").split("\\s+", 2);
            if (parts.length == 2 && parts[0].matches("[a-z_]+") && !parts[0].equals("INDEX")) {
                out.put(parts[0], parts[1].replaceAll("\\s+", " "));
            }
        }
        return out;
    }
}
