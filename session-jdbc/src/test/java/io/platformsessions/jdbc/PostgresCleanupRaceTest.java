package io.platformsessions.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.platformsessions.InvalidationReason;
import io.platformsessions.SessionKey;
import io.platformsessions.spi.SessionRecord;
import io.platformsessions.spi.SessionTimes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PostgreSQL expired-session cleanup ({@code DELETE ... WHERE ctid = ANY(ARRAY(SELECT ctid ... FOR UPDATE SKIP
 * LOCKED))}) racing with writes to the same sessions, in READ COMMITTED autocommit as the store runs it.
 * <p>The dangerous interleaving is a write that commits after the cleanup statement took its snapshot and before
 * it locks the row: PostgreSQL then locks the newest version and re-checks it (EvalPlanQual). The deterministic
 * tests force exactly that order with a gate: a {@code BEFORE DELETE ... FOR EACH STATEMENT} trigger that, on the
 * cleaner's connections only, waits for an advisory lock the test holds. The trigger fires after the statement's
 * snapshot is taken and before its subselect locks any row, so the test makes its write while the cleaner is
 * parked there. A row inserted at that moment must survive the gated cleanup, which proves the snapshot really
 * came first. The stress test then runs two cleaners against writers that flip sessions across their expiry.
 * <p>Skips loudly without {@value TestDatabases#POSTGRES_ENV}.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PostgresCleanupRaceTest {
    private static final Instant NOW = TestRecords.T0.plus(Duration.ofDays(1));
    private static final Instant ABSOLUTE = NOW.plus(Duration.ofHours(1));
    private static final int OTHER_EXPIRED = 3;

    /** What a second connection does to the victim session while the cleaner is parked after its snapshot. */
    enum Change {
        /** {@code touch}: the session becomes live again. */
        TOUCH_REVIVES(true),
        /** {@code touch} with a new expiry that is still in the past. */
        TOUCH_STAYS_EXPIRED(false),
        /** {@code touch} that leaves {@code expires_at} as it was (a HOT update: new version on the same page). */
        TOUCH_SAME_EXPIRY(false),
        /** Full versioned update to a live expiry. */
        UPDATE_REVIVES(true),
        /** Rekey (new session_key) to a live expiry. */
        REKEY_REVIVES(true),
        /** Rekey keeping the past expiry. */
        REKEY_STAYS_EXPIRED(false),
        /** Logout: the session is deleted (and archived with LOGOUT). */
        LOGOUT(false);

        final boolean revives;

        Change(boolean revives) {
            this.revives = revives;
        }
    }

    /** Planner settings on the cleaner's connection: whatever PostgreSQL picks, or index and TID scans forced. */
    enum Plans {
        DEFAULT(""),
        INDEX_AND_TID_SCANS(", set_config('enable_seqscan', 'off', false), set_config('enable_bitmapscan', 'off', false)");

        /** More {@code set_config} calls for the connection's init statement. */
        final String settings;

        Plans(String settings) {
            this.settings = settings;
        }
    }

    static List<Arguments> interleavings() {
        List<Arguments> out = new ArrayList<>();
        for (Change change : Change.values()) {
            for (boolean archive : new boolean[] {false, true}) {
                for (Plans plans : Plans.values()) {
                    out.add(Arguments.of(change, archive, plans));
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}, archive: {1}, plans: {2}")
    @MethodSource("interleavings")
    void aWriteBetweenTheCleanersSnapshotAndItsRowLockNeverLetsItDeleteALiveSession(Change change, boolean archive,
            Plans plans) throws Exception {
        try (Fixture f = new Fixture(archive, plans)) {
            SessionRecord victim = TestRecords.expiring("victim", NOW.minusSeconds(1), ABSOLUTE);
            List<SessionRecord> others = new ArrayList<>();
            for (int i = 0; i < OTHER_EXPIRED; i++) {
                // before and after the victim in expires_at order
                others.add(TestRecords.expiring("other" + i, NOW.minusSeconds(i == 0 ? 5 : i % 2 == 0 ? 0 : 2), ABSOLUTE));
            }
            SessionRecord live = TestRecords.expiring("live", NOW.plusSeconds(60), ABSOLUTE);
            f.store.insert(victim);
            others.forEach(f.store::insert);
            f.store.insert(live);
            SessionRecord late = TestRecords.expiring("late", NOW.minusSeconds(3), ABSOLUTE);

            SessionRecord finalState = f.whileCleanerIsParked(() -> f.gatedStore.deleteExpired(NOW, 100), () -> {
                f.store.insert(late);
                return apply(f.store, change, victim);
            });
            int first = f.cleanerResult();

            assertThat(f.store.find(late.key())).as("the cleaner's snapshot predates the parked moment").isPresent();
            assertThat(f.store.find(live.key())).contains(live);
            for (SessionRecord r : others) {
                assertThat(f.store.find(r.key())).as("expired and untouched: deleted").isEmpty();
            }
            Optional<SessionRecord> victimNow = finalState == null ? Optional.empty() : f.store.find(finalState.key());
            if (change.revives) {
                assertThat(victimNow).as("a session made live after the snapshot must survive the cleanup")
                        .contains(finalState);
                assertThat(first).isEqualTo(OTHER_EXPIRED);
            } else if (change == Change.LOGOUT) {
                assertThat(first).isEqualTo(OTHER_EXPIRED);
            } else {
                // still expired: deleting it now or skipping it (the next cleanup takes it) are both fine
                assertThat(first).isEqualTo(OTHER_EXPIRED + (victimNow.isEmpty() ? 1 : 0));
                if (victimNow.isPresent()) {
                    assertThat(victimNow).contains(finalState);
                }
            }

            int second = f.store.deleteExpired(NOW, 100);
            assertThat(f.store.deleteExpired(NOW, 100)).isZero();
            assertThat(f.store.find(late.key())).isEmpty();
            int deletedVictim = change.revives || change == Change.LOGOUT ? 0 : 1;
            assertThat(first + second).as("every expired session deleted exactly once")
                    .isEqualTo(OTHER_EXPIRED + 1 + deletedVictim);
            if (finalState != null) {
                assertThat(f.store.find(finalState.key()).isPresent()).isEqualTo(change.revives);
            }

            if (archive) {
                Map<String, String[]> archived = f.archived();
                Map<String, String[]> expected = new HashMap<>();
                for (SessionRecord r : others) {
                    expected.put(r.sessionId(), row(r, "IDLE_TIMEOUT"));
                }
                expected.put(late.sessionId(), row(late, "IDLE_TIMEOUT"));
                if (change == Change.LOGOUT) {
                    expected.put(victim.sessionId(), row(victim, "LOGOUT"));
                } else if (!change.revives) {
                    // the archive holds the version that was deleted: the one the other connection wrote
                    expected.put(victim.sessionId(), row(finalState, "IDLE_TIMEOUT"));
                }
                assertThat(archived).as("exactly the deleted rows, once each, as they were").hasSameSizeAs(expected);
                expected.forEach((id, r) -> assertThat(archived.get(id)).as(id).containsExactly(r));
            }
        }
    }

    /**
     * The harness has teeth: a cleanup that picks keys without locking them deletes the session the parked write
     * made live (its DELETE re-checks only {@code session_key} against the concurrently updated row).
     */
    @Test
    void theHarnessCatchesACleanupThatDeletesARevivedSession() throws Exception {
        try (Fixture f = new Fixture(false, Plans.DEFAULT)) {
            SessionRecord victim = TestRecords.expiring("victim", NOW.minusSeconds(1), ABSOLUTE);
            f.store.insert(victim);
            String unsafe = "DELETE FROM " + f.store.sessionsTable() + " WHERE session_key = ANY(ARRAY(SELECT session_key FROM "
                    + f.store.sessionsTable() + " WHERE expires_at <= ? ORDER BY expires_at LIMIT ?))";
            SessionRecord revived = f.whileCleanerIsParked(() -> f.runOnGated(unsafe), () ->
                    apply(f.store, Change.TOUCH_REVIVES, victim));
            assertThat(f.cleanerResult()).isEqualTo(1);
            assertThat(revived.expiresAt()).isAfter(NOW);
            assertThat(f.store.find(victim.key())).as("the unsafe form deleted a live session").isEmpty();
        }
    }

    /** A row whose writer has not committed yet is skipped at once, and its fate is decided by that writer. */
    @ParameterizedTest(name = "archive: {0}")
    @ValueSource(booleans = {false, true})
    void aRowBeingWrittenIsSkippedWithoutWaiting(boolean archive) throws Exception {
        try (Fixture f = new Fixture(archive, Plans.DEFAULT)) {
            SessionStatements sql = new PostgresSql(f.store.tablePrefix(), false, 1_500).statements;
            for (boolean commit : new boolean[] {true, false}) {
                SessionRecord victim = TestRecords.expiring("victim", NOW.minusSeconds(1), ABSOLUTE);
                SessionRecord other = TestRecords.expiring("other", NOW.minusSeconds(2), ABSOLUTE);
                f.store.insert(victim);
                f.store.insert(other);
                try (Connection writer = f.pool.getConnection()) {
                    writer.setAutoCommit(false);
                    try (PreparedStatement ps = writer.prepareStatement(sql.touch)) {
                        ps.setLong(1, NOW.toEpochMilli());
                        ps.setLong(2, NOW.plusSeconds(1800).toEpochMilli());
                        ps.setBytes(3, victim.key().bytes());
                        ps.setLong(4, NOW.toEpochMilli());
                        assertThat(ps.executeUpdate()).isEqualTo(1);
                    }
                    // the store's own (ungated) cleanup, while the touch holds the row lock
                    Future<Integer> cleanup = f.cleaner.submit(() -> f.store.deleteExpired(NOW, 100));
                    try {
                        assertThat(cleanup.get(10, TimeUnit.SECONDS)).isEqualTo(1);
                    } catch (TimeoutException e) {
                        writer.rollback();
                        throw new AssertionError("the cleanup waited for the writer's row lock", e);
                    }
                    assertThat(f.store.find(other.key())).isEmpty();
                    if (commit) {
                        writer.commit();
                    } else {
                        writer.rollback();
                    }
                }
                assertThat(f.store.deleteExpired(NOW, 100)).isEqualTo(commit ? 0 : 1);
                assertThat(f.store.find(victim.key()).isPresent()).isEqualTo(commit);
                f.store.delete(victim.key(), InvalidationReason.LOGOUT, NOW);
            }
        }
    }

    /**
     * Writers flip sessions across their expiry (touch, versioned update, rekey; both directions, and quick
     * "expire, then revive" pairs that open a short window for a cleaner) while two cleaners run batches. Each
     * session has one writer, so the writer knows its latest committed version; a write that finds the row gone
     * means a cleaner deleted that version, which must have been expired (the writer then starts a new session
     * to keep the table busy). At the end every session live by its final state is present as written, every
     * expired one is gone, each deletion was counted once and (with the archive) archived once, as the deleted
     * version.
     */
    @ParameterizedTest(name = "archive: {0}")
    @ValueSource(booleans = {false, true})
    void twoCleanersAndWritersFlippingSessionsAcrossTheirExpiry(boolean archive) throws Exception {
        int writers = 4;
        int sessionsPerWriter = 60;
        Duration writing = Duration.ofSeconds(4);
        int batch = 10;
        try (Fixture f = new Fixture(archive, Plans.DEFAULT)) {
            Writes writes = new Writes(f, new PostgresSql(f.store.tablePrefix(), false, 1_500).statements);
            AtomicInteger deletedConcurrently = new AtomicInteger();
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService executor = Executors.newFixedThreadPool(writers + 2);
            List<Future<?>> cleaners = new ArrayList<>();
            List<Future<?>> writerFutures = new ArrayList<>();
            try {
                for (int c = 0; c < 2; c++) {
                    cleaners.add(executor.submit(() -> {
                        while (running.get()) {
                            deletedConcurrently.addAndGet(f.store.deleteExpired(NOW, batch));
                        }
                        return null;
                    }));
                }
                for (int w = 0; w < writers; w++) {
                    int writer = w;
                    writerFutures.add(executor.submit(() -> {
                        List<String> mine = new ArrayList<>();
                        for (int i = 0; i < sessionsPerWriter; i++) {
                            mine.add(writes.start("w" + writer + "-" + i));
                        }
                        ThreadLocalRandom rnd = ThreadLocalRandom.current();
                        long end = System.nanoTime() + writing.toNanos();
                        for (int n = 0; System.nanoTime() < end; n++) {
                            int slot = rnd.nextInt(mine.size());
                            String id = mine.get(slot);
                            boolean alive;
                            if (rnd.nextInt(3) == 0) {
                                alive = writes.write(id, false) && writes.write(id, true);
                            } else {
                                alive = writes.write(id, rnd.nextBoolean());
                            }
                            if (!alive) {
                                mine.set(slot, writes.start("w" + writer + "-n" + n));
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> w : writerFutures) {
                    w.get(120, TimeUnit.SECONDS);
                }
                running.set(false);
                for (Future<?> c : cleaners) {
                    c.get(30, TimeUnit.SECONDS);
                }
            } finally {
                running.set(false);
                executor.shutdownNow();
            }

            int deletedAtEnd = 0;
            for (int n = batch; n == batch; ) {
                n = f.store.deleteExpired(NOW, batch);
                deletedAtEnd += n;
            }
            assertThat(writes.violations).as("cleanup deleted sessions whose latest version was live").isEmpty();
            int gone = 0;
            for (SessionRecord r : writes.latest.values()) {
                Optional<SessionRecord> stored = f.store.find(r.key());
                if (r.expiresAt().isAfter(NOW)) {
                    assertThat(stored).as("live by its final state: " + r.sessionId()).contains(r);
                } else {
                    assertThat(stored).as("expired by its final state, so eventually deleted: " + r.sessionId()).isEmpty();
                    gone++;
                }
            }
            assertThat(deletedConcurrently.get() + deletedAtEnd).as("each deletion counted once").isEqualTo(gone);
            assertThat(writes.vanished.get()).as("the writers saw sessions vanish under them").isPositive();
            assertThat(writes.revivals.get()).as("the writers revived expired sessions").isPositive();
            if (archive) {
                Map<String, String[]> archived = f.archived();
                assertThat(archived).hasSize(gone);
                archived.forEach((id, row) -> assertThat(row).as(id)
                        .containsExactly(row(writes.latest.get(id), "IDLE_TIMEOUT")));
            }
            System.err.printf("PostgresCleanupRaceTest stress (archive %s): %d sessions, %d writes, %d revivals, "
                    + "%d deleted under their writer, %d deleted while writing, %d at the end%n", archive,
                    writes.latest.size(), writes.writes.get(), writes.revivals.get(), writes.vanished.get(),
                    deletedConcurrently.get(), deletedAtEnd);
        }
    }

    /** The writers' view: the latest committed version of each session (one writer per session). */
    private static final class Writes {
        final Map<String, SessionRecord> latest = new ConcurrentHashMap<>();
        final List<String> violations = new CopyOnWriteArrayList<>();
        final AtomicInteger writes = new AtomicInteger();
        final AtomicInteger revivals = new AtomicInteger();
        final AtomicInteger vanished = new AtomicInteger();
        private final Fixture f;
        private final SessionStatements sql;

        Writes(Fixture f, SessionStatements sql) {
            this.f = f;
            this.sql = sql;
        }

        /** Inserts a new session expiring within a second either side of the cleanup time; returns its id. */
        String start(String userId) {
            SessionRecord r = TestRecords.expiring(userId,
                    NOW.plusMillis(ThreadLocalRandom.current().nextInt(2001) - 1000), ABSOLUTE);
            f.store.insert(r);
            latest.put(r.sessionId(), r);
            return r.sessionId();
        }

        /**
         * Moves the session's expiry to just after (live) or at or before (expired) the cleanup time with a
         * touch, a versioned update or a rekey; returns false if a cleaner had deleted the session.
         */
        boolean write(String id, boolean live) throws SQLException {
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            SessionRecord cur = latest.get(id);
            Instant expires = live ? NOW.plusMillis(1 + rnd.nextInt(1000)) : NOW.minusMillis(rnd.nextInt(1000));
            Instant last = cur.lastActivityAt().plusMillis(1);
            SessionRecord next = cur.withTimes(new SessionTimes(cur.createdAt(), last, expires, cur.absoluteExpiresAt()));
            boolean applied;
            int action = rnd.nextInt(10);
            if (action < 7) {
                applied = touch(f.pool, sql, cur.key(), last, expires) == 1;
            } else if (action < 9) {
                next = next.withVersion(cur.version() + 1);
                applied = f.store.update(next, cur.version());
            } else {
                next = next.withKey(TestRecords.randomKey()).withVersion(cur.version() + 1);
                applied = f.store.rekey(cur.key(), next, cur.version());
            }
            writes.incrementAndGet();
            if (!applied) {
                vanished.incrementAndGet();
                if (cur.expiresAt().isAfter(NOW)) {
                    violations.add(id + " deleted while its latest version was live (expires " + cur.expiresAt() + ")");
                }
                return false;
            }
            if (!cur.expiresAt().isAfter(NOW) && live) {
                revivals.incrementAndGet();
            }
            latest.put(id, next);
            return true;
        }
    }

    private static int touch(HikariDataSource pool, SessionStatements sql, SessionKey key, Instant last, Instant expires)
            throws SQLException {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql.touch)) {
            ps.setLong(1, last.toEpochMilli());
            ps.setLong(2, expires.toEpochMilli());
            ps.setBytes(3, key.bytes());
            ps.setLong(4, last.toEpochMilli());
            return ps.executeUpdate();
        }
    }

    /** Applies {@code change} to {@code victim} through the store and returns the session's new state (null: gone). */
    private static SessionRecord apply(JdbcSessionStore store, Change change, SessionRecord victim) {
        Instant last = victim.lastActivityAt().plusSeconds(1);
        switch (change) {
            case TOUCH_REVIVES -> {
                store.touch(victim.key(), last, NOW.plusSeconds(1800));
                return victim.withTimes(new SessionTimes(victim.createdAt(), last, NOW.plusSeconds(1800), ABSOLUTE));
            }
            case TOUCH_STAYS_EXPIRED -> {
                store.touch(victim.key(), last, NOW.minusMillis(500));
                return victim.withTimes(new SessionTimes(victim.createdAt(), last, NOW.minusMillis(500), ABSOLUTE));
            }
            case TOUCH_SAME_EXPIRY -> {
                store.touch(victim.key(), last, victim.expiresAt());
                return victim.withTimes(new SessionTimes(victim.createdAt(), last, victim.expiresAt(), ABSOLUTE));
            }
            case UPDATE_REVIVES -> {
                SessionRecord next = victim.withTimes(new SessionTimes(victim.createdAt(), last, NOW.plusSeconds(600), ABSOLUTE))
                        .withVersion(2);
                assertThat(store.update(next, 1)).isTrue();
                return next;
            }
            case REKEY_REVIVES, REKEY_STAYS_EXPIRED -> {
                Instant expires = change == Change.REKEY_REVIVES ? NOW.plusSeconds(600) : victim.expiresAt();
                SessionRecord next = victim.withKey(TestRecords.randomKey())
                        .withTimes(new SessionTimes(victim.createdAt(), last, expires, ABSOLUTE)).withVersion(2);
                assertThat(store.rekey(victim.key(), next, 1)).isTrue();
                return next;
            }
            case LOGOUT -> {
                assertThat(store.delete(victim.key(), InvalidationReason.LOGOUT, NOW)).isTrue();
                return null;
            }
            default -> throw new IllegalArgumentException(change.toString());
        }
    }

    /** The archived columns the test compares: key, last activity, expiry, version, end reason. */
    private static String[] row(SessionRecord r, String reason) {
        return new String[] {HexFormat.of().formatHex(r.key().bytes()), String.valueOf(r.lastActivityAt().toEpochMilli()),
                String.valueOf(r.expiresAt().toEpochMilli()), String.valueOf(r.version()), reason};
    }

    /** Two stores on one fresh set of tables: a normal one and a gated one for the cleaner. */
    private static final class Fixture implements AutoCloseable {
        final HikariDataSource pool;
        final JdbcSessionStore store;
        final JdbcSessionStore gatedStore;
        final long gateKey = 1 + ThreadLocalRandom.current().nextInt(Integer.MAX_VALUE - 1);
        private final String gateFunction;
        final ExecutorService cleaner = Executors.newSingleThreadExecutor();
        private Future<Integer> cleanerRun;

        Fixture(boolean archive, Plans plans) throws SQLException {
            pool = TestDatabases.Db.POSTGRES.pool(8);
            String prefix = TestDatabases.randomPrefix();
            store = JdbcSessionStore.builder().dataSource(pool).tablePrefix(prefix).initializeSchema(true)
                    .archiveEndedSessions(archive).build();
            gateFunction = prefix + "cleanup_gate";
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE FUNCTION " + gateFunction + "() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                        + "DECLARE k text := current_setting('ps_test.cleanup_gate', true);\n"
                        + "BEGIN\n"
                        + "  IF k IS NOT NULL AND k <> '' THEN\n"
                        + "    PERFORM pg_advisory_lock_shared(k::bigint);\n"
                        + "    PERFORM pg_advisory_unlock_shared(k::bigint);\n"
                        + "  END IF;\n"
                        + "  RETURN NULL;\n"
                        + "END $$");
                s.execute("CREATE TRIGGER " + prefix + "cleanup_gate BEFORE DELETE ON " + store.sessionsTable()
                        + " FOR EACH STATEMENT EXECUTE FUNCTION " + gateFunction + "()");
            }
            gatedStore = JdbcSessionStore.builder().pool(JdbcPool.builder(TestDatabases.Db.POSTGRES.url())
                            .maximumPoolSize(1).poolName("gated-cleaner").hikariConfig(h -> h.setConnectionInitSql(
                                    "SELECT set_config('ps_test.cleanup_gate', '" + gateKey + "', false)" + plans.settings))
                            .build())
                    .tablePrefix(prefix).dialect(JdbcDialect.POSTGRESQL).archiveEndedSessions(archive).build();
        }

        /**
         * Starts {@code cleanup} on the gated connection, waits until it is parked after its snapshot, runs
         * {@code write} (autocommit, so committed when it returns), then lets the cleaner go on.
         */
        <T> T whileCleanerIsParked(IntSupplier cleanup, Callable<T> write) throws Exception {
            try (Connection holder = pool.getConnection()) {
                query(holder, "SELECT pg_advisory_lock(" + gateKey + ")");
                // unlock on every path, failed waits included: the pool would otherwise keep the lock held
                try {
                    cleanerRun = cleaner.submit(cleanup::getAsInt);
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    while (!cleanerIsParked(holder)) {
                        assertThat(cleanerRun.isDone()).as("the cleaner ran past the gate").isFalse();
                        assertThat(System.nanoTime()).as("the cleaner reached the gate").isLessThan(deadline);
                        Thread.sleep(5);
                    }
                    return write.call();
                } finally {
                    query(holder, "SELECT pg_advisory_unlock(" + gateKey + ")");
                }
            }
        }

        int cleanerResult() throws Exception {
            return cleanerRun.get(30, TimeUnit.SECONDS);
        }

        private boolean cleanerIsParked(Connection c) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                    + " AND NOT granted AND classid = 0 AND objid::text::bigint = ? AND objsubid = 1")) {
                ps.setLong(1, gateKey);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1) > 0;
                }
            }
        }

        /** Runs a cleanup statement (binds now, limit) on the gated pool. */
        int runOnGated(String sql) {
            try (Connection c = gatedStore.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, NOW.toEpochMilli());
                ps.setInt(2, 100);
                return ps.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Archive rows by session id: key (hex), last activity, expiry, version, end reason. */
        Map<String, String[]> archived() throws SQLException {
            Map<String, String[]> out = new HashMap<>();
            try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT session_id, encode(session_key, 'hex'), last_activity_at, "
                         + "expires_at, version, end_reason FROM " + store.archiveTable())) {
                while (rs.next()) {
                    String[] row = {rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)};
                    assertThat(out.put(rs.getString(1), row)).as("archived once: " + rs.getString(1)).isNull();
                }
            }
            return out;
        }

        private static void query(Connection c, String sql) throws SQLException {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                rs.next();
            }
        }

        @Override
        public void close() throws Exception {
            cleaner.shutdownNow();
            try {
                gatedStore.close();
                store.dropSchema();
                try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                    s.execute("DROP FUNCTION IF EXISTS " + gateFunction + "()");
                }
            } finally {
                pool.close();
            }
        }
    }
}
