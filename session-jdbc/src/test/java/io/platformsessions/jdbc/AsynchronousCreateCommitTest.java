package io.platformsessions.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.platformsessions.InvalidationReason;
import io.platformsessions.spi.SessionRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link JdbcSessionStore.Builder#asynchronousCreateCommit(boolean)}: what {@code synchronous_commit} each
 * write commits with, observed on a real PostgreSQL by deferred constraint triggers (they run at commit, after
 * the statement, so they see the transaction's setting as the commit does).
 */
class AsynchronousCreateCommitTest {

    @Test
    void onlyNewSessionsCommitAsynchronouslyAndOnlyWhenAskedTo() throws SQLException {
        // one connection: the final SHOW runs on the very connection the asynchronous creates used
        try (HikariDataSource pool = TestDatabases.Db.POSTGRES.pool(1)) {
            String prefix = TestDatabases.randomPrefix();
            try (JdbcSessionStore durable = JdbcSessionStore.builder().dataSource(pool).tablePrefix(prefix)
                    .initializeSchema(true).build();
                 JdbcSessionStore async = JdbcSessionStore.builder().dataSource(pool).tablePrefix(prefix)
                         .asynchronousCreateCommit(true).build()) {
                try {
                    recordCommitSettings(pool, prefix);
                    Instant now = TestRecords.T0;

                    SessionRecord first = TestRecords.record("alice", now);
                    assertThat(durable.insertAndCountLive(first, now)).isEqualTo(1);
                    SessionRecord second = TestRecords.record("alice", now);
                    assertThat(async.insertAndCountLive(second, now)).as("counts the user's other sessions too")
                            .isEqualTo(2);
                    SessionRecord lonely = TestRecords.record("bob", now);
                    assertThat(async.insertAndCountLive(lonely, now)).as("a user's first session").isEqualTo(1);
                    assertThat(async.find(second.key())).contains(second);

                    SessionRecord switched = second.withPlatform(null).withVersion(2);
                    assertThat(async.update(switched, 1)).isTrue();
                    async.touch(switched.key(), now.plusSeconds(120), now.plusSeconds(1920));
                    assertThat(async.delete(lonely.key(), InvalidationReason.LOGOUT, TestRecords.T0)).isTrue();

                    assertThat(commitSettings(pool, prefix)).containsExactly(
                            "INSERT on", "INSERT off", "INSERT off", "UPDATE on", "UPDATE on", "DELETE on");
                    try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                         var rs = s.executeQuery("SHOW synchronous_commit")) {
                        rs.next();
                        assertThat(rs.getString(1)).as("the setting does not outlive the transaction").isEqualTo("on");
                    }
                } finally {
                    durable.dropSchema();
                    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                        s.execute("DROP TABLE IF EXISTS " + prefix + "commit_log");
                        s.execute("DROP FUNCTION IF EXISTS " + prefix + "log_commit()");
                    }
                }
            }
        }
    }

    @Test
    void isIgnoredWhereTheDatabaseHasNoPerTransactionSetting() {
        try (HikariDataSource pool = TestDatabases.Db.H2.pool(2);
             JdbcSessionStore store = JdbcSessionStore.builder().dataSource(pool).initializeSchema(true)
                     .asynchronousCreateCommit(true).build()) {
            SessionRecord r = TestRecords.record("alice", TestRecords.T0);
            assertThat(store.insertAndCountLive(r, TestRecords.T0)).isEqualTo(1);
            assertThat(store.find(r.key())).contains(r);
        }
    }

    private static void recordCommitSettings(HikariDataSource pool, String prefix) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + prefix + "commit_log (n BIGSERIAL PRIMARY KEY, entry TEXT NOT NULL)");
            s.execute("CREATE FUNCTION " + prefix + "log_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    + "INSERT INTO " + prefix + "commit_log (entry) VALUES (TG_OP || ' ' || "
                    + "current_setting('synchronous_commit')); RETURN NULL; END $$");
            s.execute("CREATE CONSTRAINT TRIGGER " + prefix + "at_commit AFTER INSERT OR UPDATE OR DELETE ON "
                    + prefix + "sessions DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "
                    + prefix + "log_commit()");
        }
    }

    private static List<String> commitSettings(HikariDataSource pool, String prefix) throws SQLException {
        List<String> entries = new ArrayList<>();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT entry FROM " + prefix + "commit_log ORDER BY n")) {
            while (rs.next()) {
                entries.add(rs.getString(1));
            }
        }
        return entries;
    }
}
