package io.platformsessions.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.zaxxer.hikari.HikariDataSource;
import io.platformsessions.ClientInfo;
import io.platformsessions.SessionConfig;
import io.platformsessions.SessionLimitException;
import io.platformsessions.SessionManager;
import io.platformsessions.SessionStoreException;
import io.platformsessions.spi.SessionRecord;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-user session limit is exact under concurrent logins from several nodes: four pools and four engines
 * (four nodes) on one database, limit 3, one existing session, four simultaneous logins, 40 rounds. The limit is
 * never exceeded; under {@code REFUSE} exactly the two logins that fit succeed, so no login is refused while the
 * user is below the limit; under eviction every login succeeds and the least recently used sessions make room.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SessionLimitRaceTest {
    private static final Logger LOG = LoggerFactory.getLogger(SessionLimitRaceTest.class);
    private static final int NODES = 4;
    private static final int LIMIT = 3;
    private static final int ROUNDS = 40;

    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (TestDatabases.Db db : TestDatabases.Db.values()) {
            for (SessionConfig.LimitPolicy policy : SessionConfig.LimitPolicy.values()) {
                out.add(Arguments.of(db, policy));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    void fourNodesLoggingInAtOnceNeverExceedTheLimitAndRefuseOnlyAtIt(TestDatabases.Db db,
                                                                      SessionConfig.LimitPolicy policy) throws Exception {
        String prefix = TestDatabases.randomPrefix();
        List<HikariDataSource> pools = new ArrayList<>();
        List<JdbcSessionStore> stores = new ArrayList<>();
        List<SessionManager> nodes = new ArrayList<>();
        ExecutorService logins = Executors.newFixedThreadPool(NODES);
        try {
            for (int n = 0; n < NODES; n++) {
                // every node's pool on one database (an H2 url() names a fresh in-memory one each time)
                HikariDataSource pool = n == 0 ? db.pool(2) : TestDatabases.pool(pools.get(0).getJdbcUrl(), 2, "node-" + n);
                pools.add(pool);
                JdbcSessionStore store = JdbcSessionStore.builder().dataSource(pool).tablePrefix(prefix)
                        .initializeSchema(n == 0).build();
                stores.add(store);
                nodes.add(SessionManager.builder(store).config(SessionConfig.builder().maxSessionsPerUser(LIMIT)
                        .limitPolicy(policy).cacheEnabled(false).build()).build());
            }
            int over = 0;
            int refusedBelow = 0;
            int belowAfterEviction = 0;
            long fewestAfterEviction = Long.MAX_VALUE;
            for (int round = 0; round < ROUNDS; round++) {
                String user = "user" + round;
                nodes.get(0).create(user, ClientInfo.unknown());
                // The existing session is older than the racing logins, as in real use; created in the same
                // millisecond, it ties with them and a login can end one session too many (docs/design-notes.md).
                Thread.sleep(5);
                CyclicBarrier start = new CyclicBarrier(NODES);
                List<Future<Boolean>> results = new ArrayList<>();
                for (SessionManager node : nodes) {
                    results.add(logins.submit(() -> {
                        start.await();
                        try {
                            node.create(user, ClientInfo.unknown());
                            return true;
                        } catch (SessionLimitException e) {
                            return false;
                        }
                    }));
                }
                int succeeded = 0;
                for (Future<Boolean> f : results) {
                    succeeded += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
                }
                long live = stores.get(0).findByUser(user).stream().filter(r -> !r.expiredAt(Instant.now())).count();
                if (live > LIMIT) {
                    over++;
                }
                if (policy == SessionConfig.LimitPolicy.REFUSE && succeeded < LIMIT - 1) {
                    refusedBelow++;
                }
                if (policy == SessionConfig.LimitPolicy.EVICT_LEAST_RECENTLY_USED) {
                    assertThat(succeeded).as("round %d: eviction refuses nobody", round).isEqualTo(NODES);
                    belowAfterEviction += live < LIMIT ? 1 : 0;
                    fewestAfterEviction = Math.min(fewestAfterEviction, live);
                }
            }
            LOG.info("{} {}: {} of {} rounds over the limit, {} refused a login below it, {} evicted below it", db,
                    policy, over, ROUNDS, refusedBelow, belowAfterEviction);
            assertThat(over).as("rounds that ended over the limit of %d", LIMIT).isZero();
            assertThat(refusedBelow).as("rounds where REFUSE refused a login the limit had room for").isZero();
            // Simultaneous logins within one millisecond can end one session more than needed (docs/design-notes.md,
            // "The session limit is settled after the insert"); never more than one, and never in most rounds.
            assertThat(belowAfterEviction).as("rounds where eviction ended sessions the limit had room for")
                    .isLessThanOrEqualTo(ROUNDS / 20);
            assertThat(fewestAfterEviction).as("fewest sessions left by eviction").isGreaterThanOrEqualTo(LIMIT - 1);
        } finally {
            logins.shutdownNow();
            for (SessionManager node : nodes) {
                node.close();
            }
            if (!stores.isEmpty()) {
                stores.get(0).dropSchema();
            }
            pools.forEach(HikariDataSource::close);
        }
    }

    /**
     * A login whose user's lock is held (a stuck login of the same user on another node) waits at most the lock
     * wait, fails with a transient error and inserts nothing; once the lock is free the same login succeeds.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(TestDatabases.Db.class)
    void aLoginWaitsBoundedlyForItsUsersLockAndInsertsNothingWhenItGivesUp(TestDatabases.Db db) throws Exception {
        try (HikariDataSource pool = db.pool(2)) {
            JdbcSessionStore store = JdbcSessionStore.builder().dataSource(pool).tablePrefix(TestDatabases.randomPrefix())
                    .initializeSchema(true).build();
            try (Connection holder = pool.getConnection()) {
                holdUsersLock(db, store, holder, "alice");
                SessionRecord blocked = TestRecords.record("alice", TestRecords.T0);
                long start = System.nanoTime();
                Throwable thrown = catchThrowable(() -> store.insertAndCountLive(blocked, TestRecords.T0));
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertThat(thrown).isInstanceOfSatisfying(SessionStoreException.class,
                        e -> assertThat(e.isTransient()).as("transient: %s", e.getMessage()).isTrue());
                assertThat(took).isLessThan(Duration.ofMillis(DialectSql.MAX_USER_LOCK_WAIT_MILLIS + 3_000));
                assertThat(store.find(blocked.key())).as("nothing inserted").isEmpty();
                assertThat(store.insertAndCountLive(TestRecords.record("bob", TestRecords.T0), TestRecords.T0))
                        .as("other users are not held up (H2: unless they share the stripe)").isEqualTo(1);

                holder.rollback();
                holder.setAutoCommit(true);
                if (db == TestDatabases.Db.MARIADB) {
                    query(holder, "SELECT RELEASE_ALL_LOCKS()");
                }
                assertThat(store.insertAndCountLive(blocked, TestRecords.T0)).isEqualTo(1);
            } finally {
                store.dropSchema();
            }
        }
    }

    /** Takes, on {@code holder}, the lock a login of {@code userId} needs, the way the dialect's SQL takes it. */
    private static void holdUsersLock(TestDatabases.Db db, JdbcSessionStore store, Connection holder, String userId)
            throws SQLException {
        holder.setAutoCommit(false);
        switch (db) {
            case POSTGRES -> query(holder, "SELECT pg_advisory_xact_lock(" + store.sessionsTable().hashCode()
                    + ", hashtext('" + userId + "'))");
            case MARIADB -> query(holder, "SELECT GET_LOCK('" + new MySqlSql(JdbcDialect.MARIADB, store.tablePrefix(), true, 1_500)
                    .lockName(userId) + "', 1)");
            case H2 -> query(holder, "SELECT stripe FROM " + store.tablePrefix() + "session_locks WHERE stripe = "
                    + Math.floorMod(userId.hashCode(), H2Sql.LOCK_STRIPES) + " FOR UPDATE");
        }
    }

    private static void query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
        }
    }
}
