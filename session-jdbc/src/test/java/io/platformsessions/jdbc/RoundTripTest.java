package io.platformsessions.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.platformsessions.InvalidationReason;
import io.platformsessions.spi.SessionRecord;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The hot operations are each exactly one statement (one round trip) in autocommit mode: no BEGIN/COMMIT,
 * no isolation or autocommit switching, no metadata or validation queries from the store or Jdbi.
 */
class RoundTripTest {
    private static final List<String> FORBIDDEN = List.of("commit", "rollback", "setAutoCommit",
            "setTransactionIsolation", "setReadOnly", "getMetaData", "isValid", "createStatement", "prepareCall",
            "setSavepoint");

    @ParameterizedTest
    @EnumSource(TestDatabases.Db.class)
    void hotOperationsAreOneStatementEach(TestDatabases.Db db) {
        try (HikariDataSource pool = db.pool(2)) {
            CountingDataSource counting = new CountingDataSource(pool);
            JdbcSessionStore store = JdbcSessionStore.builder().dataSource(counting)
                    .tablePrefix(TestDatabases.randomPrefix()).initializeSchema(true).build();
            try {
                SessionRecord r = TestRecords.record("alice", TestRecords.T0);

                counting.reset();
                store.insert(r);
                assertOneStatement(counting, "insert");

                counting.reset();
                assertThat(store.find(r.key())).contains(r);
                assertOneStatement(counting, "find");

                counting.reset();
                store.touch(r.key(), r.lastActivityAt().plusSeconds(61), r.expiresAt().plusSeconds(61));
                assertOneStatement(counting, "touch");

                SessionRecord current = store.find(r.key()).orElseThrow();
                SessionRecord next = current.withPlatform(null).withVersion(2);
                counting.reset();
                assertThat(store.update(next, 1)).isTrue();
                assertOneStatement(counting, "update");

                SessionRecord moved = next.withKey(TestRecords.randomKey()).withVersion(3);
                counting.reset();
                assertThat(store.rekey(next.key(), moved, 2)).isTrue();
                assertOneStatement(counting, "rekey");

                counting.reset();
                assertThat(store.findByUser("alice")).containsExactly(moved);
                assertOneStatement(counting, "findByUser");

                counting.reset();
                assertThat(store.delete(moved.key(), InvalidationReason.LOGOUT, TestRecords.T0)).isTrue();
                assertOneStatement(counting, "delete");

                SessionRecord login = TestRecords.record("alice", TestRecords.T0);
                counting.reset();
                assertThat(store.insertAndCountLive(login, TestRecords.T0)).isEqualTo(1);
                switch (db) {
                    // lock, insert and count sent in one execute: one round trip (WireRoundTripTest counts it on the wire)
                    case POSTGRES -> assertOneStatement(counting, "insertAndCountLive");
                    case MARIADB -> {
                        assertThat(counting.executed()).as("lock and insert, count and unlock").hasSize(2);
                        assertThat(counting.calls("commit")).as("autocommit").isZero();
                    }
                    case H2 -> {
                        assertThat(counting.executed()).as("lock stripe, insert, count").hasSize(3);
                        assertThat(counting.calls("commit")).as("one transaction").isEqualTo(1);
                    }
                }
                assertThat(counting.borrowed()).isEqualTo(1);

                counting.reset();
                store.deleteExpired(TestRecords.T0.plus(Duration.ofDays(1)), 100);
                assertThat(counting.borrowed()).as("cleanup borrows one connection").isEqualTo(1);
            } finally {
                store.dropSchema();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Db.class)
    void archivingDeleteIsOneStatementOnPostgresAndOneShortTransactionElsewhere(TestDatabases.Db db) {
        try (HikariDataSource pool = db.pool(2)) {
            CountingDataSource counting = new CountingDataSource(pool);
            JdbcSessionStore store = JdbcSessionStore.builder().dataSource(counting).archiveEndedSessions(true)
                    .tablePrefix(TestDatabases.randomPrefix()).initializeSchema(true).build();
            try {
                SessionRecord r = TestRecords.record("alice", TestRecords.T0);
                store.insert(r);
                counting.reset();
                assertThat(store.delete(r.key(), InvalidationReason.LOGOUT, TestRecords.T0)).isTrue();
                if (db == TestDatabases.Db.POSTGRES) {
                    assertOneStatement(counting, "archiving delete");
                } else {
                    assertThat(counting.executed()).as("lock, archive, delete").hasSize(3);
                    assertThat(counting.calls("commit")).as("one transaction").isEqualTo(1);
                    assertThat(counting.calls("rollback")).isZero();
                }
            } finally {
                store.dropSchema();
            }
        }
    }

    private static void assertOneStatement(CountingDataSource counting, String operation) {
        assertThat(counting.executed()).as(operation + ": statements executed").hasSize(1);
        assertThat(counting.borrowed()).as(operation + ": connections borrowed").isEqualTo(1);
        for (String method : FORBIDDEN) {
            assertThat(counting.calls(method)).as(operation + " must not call Connection." + method).isZero();
        }
    }
}
