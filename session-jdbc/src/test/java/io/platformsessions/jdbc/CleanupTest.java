package io.platformsessions.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.platformsessions.InvalidationReason;
import io.platformsessions.spi.SessionRecord;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Expired-session cleanup: bounded batches, the archive and its reasons, concurrent cleaners. */
@Timeout(120)
class CleanupTest {
    private static final Instant NOW = TestRecords.T0.plus(Duration.ofDays(1));

    @ParameterizedTest
    @EnumSource(TestDatabases.Db.class)
    void archivesEndedSessionsWithTheirReasonInBoundedBatches(TestDatabases.Db db) throws SQLException {
        Instant logoutTime = NOW.minusSeconds(5);
        try (HikariDataSource pool = db.pool(3)) {
            JdbcSessionStore store = JdbcSessionStore.builder().dataSource(pool)
                    .tablePrefix(TestDatabases.randomPrefix()).initializeSchema(true).archiveEndedSessions(true).build();
            try {
                List<SessionRecord> idle = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    idle.add(TestRecords.expiring("idle" + i, NOW.minusSeconds(i), NOW.plusSeconds(3600)));
                }
                List<SessionRecord> absolute = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    Instant end = NOW.minusSeconds(10 + i);
                    absolute.add(TestRecords.expiring("abs" + i, end, end));
                }
                List<SessionRecord> live = List.of(TestRecords.expiring("live0", NOW.plusMillis(1), NOW.plusSeconds(60)),
                        TestRecords.expiring("live1", NOW.plusSeconds(600), NOW.plusSeconds(3600)));
                SessionRecord loggedOut = TestRecords.expiring("bye", NOW.plusSeconds(600), NOW.plusSeconds(3600));
                for (List<SessionRecord> group : List.of(idle, absolute, live, List.of(loggedOut))) {
                    group.forEach(store::insert);
                }

                assertThat(store.delete(loggedOut.key(), InvalidationReason.LOGOUT, logoutTime)).isTrue();
                assertThat(store.delete(loggedOut.key(), InvalidationReason.LOGOUT, logoutTime)).as("archived once").isFalse();
                assertThat(store.deleteExpired(NOW, 3)).isEqualTo(3);
                assertThat(store.deleteExpired(NOW, 3)).isEqualTo(3);
                assertThat(store.deleteExpired(NOW, 3)).isEqualTo(2);
                assertThat(store.deleteExpired(NOW, 3)).isZero();
                for (SessionRecord r : live) {
                    assertThat(store.find(r.key())).contains(r);
                }

                Map<String, String> reasonByUser = new HashMap<>();
                Map<String, Long> endedByUser = new HashMap<>();
                Set<String> columns = new HashSet<>();
                try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT * FROM " + store.archiveTable())) {
                    ResultSetMetaData meta = rs.getMetaData();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        columns.add(meta.getColumnLabel(i).toLowerCase(Locale.ROOT));
                    }
                    while (rs.next()) {
                        String user = rs.getString("user_id");
                        assertThat(reasonByUser.put(user, rs.getString("end_reason"))).as("one row per session").isNull();
                        endedByUser.put(user, rs.getLong("ended_at"));
                    }
                }
                assertThat(reasonByUser).hasSize(9);
                idle.forEach(r -> assertThat(reasonByUser).containsEntry(r.userId(), "IDLE_TIMEOUT"));
                absolute.forEach(r -> assertThat(reasonByUser).containsEntry(r.userId(), "ABSOLUTE_TIMEOUT"));
                assertThat(reasonByUser).containsEntry("bye", "LOGOUT");
                assertThat(endedByUser).containsEntry("bye", logoutTime.toEpochMilli())
                        .containsEntry("idle0", NOW.toEpochMilli());
                assertThat(columns).contains("session_id", "user_id", "platform_type", "client_device_label", "ended_at")
                        .doesNotContain("csrf_secret", "attributes");
            } finally {
                store.dropSchema();
            }
        }
    }

    static List<Arguments> concurrentCases() {
        List<Arguments> out = new ArrayList<>();
        for (TestDatabases.Db db : TestDatabases.Db.values()) {
            out.add(Arguments.of(db, false));
            out.add(Arguments.of(db, true));
        }
        return out;
    }

    @ParameterizedTest(name = "{0}, archive: {1}")
    @MethodSource("concurrentCases")
    void twoCleanersAndLiveTrafficNeverDeadlock(TestDatabases.Db db, boolean archive) throws Exception {
        int expired = 400;
        int batch = 25;
        try (HikariDataSource pool = db.pool(6)) {
            JdbcSessionStore store = JdbcSessionStore.builder().dataSource(pool)
                    .tablePrefix(TestDatabases.randomPrefix()).initializeSchema(true).archiveEndedSessions(archive)
                    .build();
            try {
                for (int i = 0; i < expired; i++) {
                    store.insert(TestRecords.expiring("u" + (i % 40), NOW.minusSeconds(1 + i % 97),
                            NOW.plusSeconds(3600)));
                }
                List<SessionRecord> live = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    SessionRecord r = TestRecords.expiring("u" + i, NOW.plusSeconds(60 + i), NOW.plusSeconds(3600));
                    live.add(r);
                    store.insert(r);
                }

                AtomicInteger deleted = new AtomicInteger();
                AtomicBoolean cleaning = new AtomicBoolean(true);
                ExecutorService executor = Executors.newFixedThreadPool(3);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> futures = new ArrayList<>();
                try {
                    for (int t = 0; t < 2; t++) {
                        futures.add(executor.submit(() -> {
                            start.await();
                            int calls = 0;
                            for (int n = batch; n > 0 && calls < 1000; calls++) {
                                n = store.deleteExpired(NOW, batch);
                                deleted.addAndGet(n);
                            }
                            return calls;
                        }));
                    }
                    futures.add(executor.submit(() -> {
                        // live traffic on the same table while the cleaners run
                        start.await();
                        int touches = 0;
                        for (int round = 0; round < 1000 && (cleaning.get() || touches == 0); round++) {
                            for (SessionRecord r : live) {
                                Instant at = r.lastActivityAt().plusMillis(round + 1);
                                store.touch(r.key(), at, r.expiresAt().plusMillis(round + 1));
                                touches++;
                            }
                        }
                        return touches;
                    }));
                    start.countDown();
                    futures.get(0).get(100, TimeUnit.SECONDS);
                    futures.get(1).get(100, TimeUnit.SECONDS);
                    cleaning.set(false);
                    assertThat(futures.get(2).get(100, TimeUnit.SECONDS)).isPositive();
                } finally {
                    executor.shutdownNow();
                }

                assertThat(deleted.get()).as("every expired session deleted exactly once").isEqualTo(expired);
                assertThat(store.deleteExpired(NOW, batch)).isZero();
                for (SessionRecord r : live) {
                    assertThat(store.find(r.key())).as("live sessions untouched by cleanup").isPresent();
                }
                if (archive) {
                    try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                         ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + store.archiveTable())) {
                        rs.next();
                        assertThat(rs.getLong(1)).as("archived exactly once each").isEqualTo(expired);
                    }
                }
            } finally {
                store.dropSchema();
            }
        }
    }
}
