package io.platformsessions.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.platformsessions.ClientInfo;
import io.platformsessions.CreatedSession;
import io.platformsessions.PlatformConnection;
import io.platformsessions.SessionConfig;
import io.platformsessions.SessionEvent;
import io.platformsessions.SessionManager;
import io.platformsessions.SessionStoreException;
import io.platformsessions.UserAccount;
import io.platformsessions.spi.PlatformDirectory;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link JdbcPlatformDirectory} (managed table), {@link QueryPlatformDirectory} (application queries), {@link JdbcUserDirectory}. */
@Timeout(60)
class DirectoryTest {

    @ParameterizedTest
    @EnumSource(TestDatabases.Db.class)
    void managedTableAddsDeactivatesAndSetsTheDefault(TestDatabases.Db db) {
        try (HikariDataSource pool = db.pool(3)) {
            JdbcPlatformDirectory dir = JdbcPlatformDirectory.builder(pool).tablePrefix(TestDatabases.randomPrefix())
                    .initializeSchema(true).build();
            try {
                PlatformConnection m = dir.add("alice", "alice@mastodon.social", "Mastodon", "https://mastodon.social", true);
                PlatformConnection p = dir.add("alice", "alice@pixelfed.social", "pixelfed", "https://pixelfed.social", false);
                PlatformConnection b = dir.add("bob", "bob@mastodon.social", "mastodon", "https://mastodon.social", true);
                assertThat(m.id()).isPositive();
                assertThat(p.id()).isNotEqualTo(m.id());
                assertThat(m.type()).as("types are stored in lower case").isEqualTo("mastodon");

                assertThat(dir.find(m.id())).contains(m);
                assertThat(dir.find(999_999)).isEmpty();
                assertThat(dir.findByUser("alice")).containsExactly(m, p);
                assertThat(dir.findByUser("ALICE")).isEmpty();
                assertThat(dir.findDefault("alice")).contains(m);

                assertThat(dir.setDefault("alice", p.id())).isTrue();
                assertThat(dir.findDefault("alice").orElseThrow().id()).isEqualTo(p.id());
                assertThat(dir.find(m.id()).orElseThrow().defaultPlatform()).as("only one default").isFalse();
                assertThat(dir.setDefault("alice", b.id())).as("another user's platform").isFalse();
                assertThat(dir.findDefault("alice").orElseThrow().id()).isEqualTo(p.id());

                PlatformConnection m2 = dir.add("alice", "alice@hachyderm.io", "mastodon", "https://hachyderm.io", true);
                assertThat(dir.findByUser("alice").stream().filter(PlatformConnection::defaultPlatform))
                        .as("adding a new default clears the old one").containsExactly(m2);

                assertThat(dir.deactivate(m2.id())).isTrue();
                PlatformConnection inactive = dir.find(m2.id()).orElseThrow();
                assertThat(inactive.active()).isFalse();
                assertThat(inactive.defaultPlatform()).isFalse();
                assertThat(dir.findDefault("alice")).isEmpty();
                assertThat(dir.setDefault("alice", m2.id())).as("an inactive platform cannot be default").isFalse();
                assertThat(dir.deactivate(999_999)).isFalse();
                assertThat(dir.findDefault("bob")).contains(b);
            } finally {
                dir.dropSchema();
            }
        }
    }

    /**
     * Deactivating or deleting a connection in the managed table moves the sessions on it (issue 12 item 7):
     * the manager built with the directory listens to it; a second node sharing the store sees the move.
     */
    @ParameterizedTest
    @EnumSource(TestDatabases.Db.class)
    void deactivatingOrDeletingAConnectionMovesTheSessionsOnIt(TestDatabases.Db db) {
        try (HikariDataSource pool = db.pool(4)) {
            String prefix = TestDatabases.randomPrefix();
            JdbcSessionStore store = JdbcSessionStore.builder().dataSource(pool).tablePrefix(prefix)
                    .initializeSchema(true).build();
            JdbcPlatformDirectory dir = JdbcPlatformDirectory.builder(pool).tablePrefix(prefix).initializeSchema(true).build();
            List<SessionEvent> events = new CopyOnWriteArrayList<>();
            try (SessionManager node = SessionManager.builder(store).platformDirectory(dir).listener(events::add).build();
                 SessionManager other = SessionManager.builder(store).platformDirectory(
                         QueryPlatformDirectory.builder(pool).queries(
                                 "SELECT id, user_id, name, platform_type, instance_url, active, is_default FROM "
                                         + dir.table() + " WHERE id = ?",
                                 "SELECT id, user_id, name, platform_type, instance_url, active, is_default FROM "
                                         + dir.table() + " WHERE user_id = ?").build())
                         .config(SessionConfig.builder().cacheEnabled(false).build()).build()) {
                PlatformConnection m = dir.add("alice", "alice@mastodon.social", "mastodon", "https://mastodon.social", true);
                PlatformConnection p = dir.add("alice", "alice@pixelfed.social", "pixelfed", "https://pixelfed.social", false);
                CreatedSession onPixelfed = node.create("alice", p.id(), ClientInfo.unknown());
                CreatedSession onMastodon = node.create("alice", ClientInfo.unknown());
                assertThat(onMastodon.context().platform().orElseThrow().id()).isEqualTo(m.id());

                assertThat(dir.deactivate(p.id())).isTrue();
                assertThat(other.resolve(onPixelfed.token().value(), null).orElseThrow().platform().orElseThrow().id())
                        .as("moved to the default, seen by another node").isEqualTo(m.id());
                assertThat(events).filteredOn(SessionEvent.PlatformSwitched.class::isInstance).singleElement()
                        .satisfies(e -> assertThat(((SessionEvent.PlatformSwitched) e).reason())
                                .isEqualTo(SessionEvent.SwitchReason.PLATFORM_DEACTIVATED));

                assertThat(dir.delete(m.id())).isTrue();
                assertThat(dir.find(m.id())).isEmpty();
                assertThat(dir.delete(m.id())).as("already gone").isFalse();
                assertThat(other.resolve(onMastodon.token().value(), null).orElseThrow().platform())
                        .as("no default left: no platform").isEmpty();
                assertThat(other.resolve(onPixelfed.token().value(), null).orElseThrow().platform()).isEmpty();
                assertThat(events).filteredOn(SessionEvent.PlatformSwitched.class::isInstance)
                        .extracting(e -> ((SessionEvent.PlatformSwitched) e).reason())
                        .containsExactly(SessionEvent.SwitchReason.PLATFORM_DEACTIVATED,
                                SessionEvent.SwitchReason.PLATFORM_REMOVED, SessionEvent.SwitchReason.PLATFORM_REMOVED);
                assertThat(dir.deactivate(999_999)).isFalse();
            } finally {
                dir.dropSchema();
                store.dropSchema();
            }
        }
    }

    @Test
    void aFailedMoveReachesTheCallerAfterTheDeactivationCommitted() {
        try (HikariDataSource pool = TestDatabases.Db.H2.pool(2)) {
            JdbcPlatformDirectory dir = JdbcPlatformDirectory.builder(pool).tablePrefix(TestDatabases.randomPrefix())
                    .initializeSchema(true).build();
            PlatformConnection p = dir.add("alice", "alice@pixelfed.social", "pixelfed", "https://pixelfed.social", false);
            List<String> heard = new ArrayList<>();
            dir.addWithdrawalListener((user, id) -> heard.add("first " + user + " " + id));
            dir.addWithdrawalListener((user, id) -> {
                throw SessionStoreException.transientFailure("simulated", null);
            });
            PlatformDirectory.Registration third = dir.addWithdrawalListener((user, id) -> heard.add("third " + user + " " + id));
            assertThatThrownBy(() -> dir.deactivate(p.id())).isInstanceOf(SessionStoreException.class)
                    .hasMessageContaining("simulated");
            assertThat(heard).as("every listener ran").containsExactly("first alice " + p.id(), "third alice " + p.id());
            assertThat(dir.find(p.id()).orElseThrow().active()).isFalse();
            third.close();
            third.close();
            assertThatThrownBy(() -> dir.deactivate(p.id())).as("told again: a retry").isInstanceOf(SessionStoreException.class);
            assertThat(heard).hasSize(3);
            dir.dropSchema();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Db.class)
    void concurrentSetDefaultLeavesExactlyOneDefaultAndNoDeadlock(TestDatabases.Db db) throws Exception {
        try (HikariDataSource pool = db.pool(6)) {
            JdbcPlatformDirectory dir = JdbcPlatformDirectory.builder(pool).tablePrefix(TestDatabases.randomPrefix())
                    .initializeSchema(true).build();
            try {
                List<Long> ids = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    ids.add(dir.add("alice", "a" + i + "@m.example", "mastodon", "https://m.example", i == 0).id());
                }
                ExecutorService executor = Executors.newFixedThreadPool(4);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> futures = new ArrayList<>();
                try {
                    for (int t = 0; t < 4; t++) {
                        int thread = t;
                        futures.add(executor.submit(() -> {
                            start.await();
                            for (int i = 0; i < 15; i++) {
                                assertThat(dir.setDefault("alice", ids.get((thread + i) % ids.size()))).isTrue();
                            }
                            return null;
                        }));
                    }
                    start.countDown();
                    for (Future<?> f : futures) {
                        f.get(50, TimeUnit.SECONDS);
                    }
                } finally {
                    executor.shutdownNow();
                }
                assertThat(dir.findByUser("alice").stream().filter(PlatformConnection::defaultPlatform)).hasSize(1);
            } finally {
                dir.dropSchema();
            }
        }
    }

    @Test
    void addRefusesBadInputBeforeSql() {
        try (HikariDataSource pool = TestDatabases.Db.H2.pool(1)) {
            CountingDataSource counting = new CountingDataSource(pool);
            JdbcPlatformDirectory dir = JdbcPlatformDirectory.builder(counting).initializeSchema(true).build();
            counting.reset();
            assertThatThrownBy(() -> dir.add("u".repeat(256), "n", "mastodon", "https://m.example", false))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user id");
            assertThatThrownBy(() -> dir.add("alice", " ", "mastodon", "https://m.example", false))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
            assertThatThrownBy(() -> dir.add("alice", "n", "mastodon", "javascript:alert(1)", false))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http(s)");
            assertThatThrownBy(() -> dir.add("alice", "n", "mastodon", "/relative", false))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(counting.borrowed()).isZero();
        }
    }

    @Test
    void applicationQueriesReadTheAppsOwnTablesAndAreReadOnly() throws SQLException {
        try (HikariDataSource pool = TestDatabases.Db.H2.pool(2)) {
            String t = "accounts_" + TestDatabases.hex(3);
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE " + t + " (acc_id BIGINT PRIMARY KEY, owner VARCHAR(50), handle VARCHAR(50), "
                        + "kind VARCHAR(20), url VARCHAR(100), enabled INT, main INT)");
                s.execute("INSERT INTO " + t + " VALUES (10, 'alice', 'alice@m.example', 'mastodon', 'https://m.example', 1, 1),"
                        + " (11, 'alice', 'alice@p.example', 'pixelfed', 'https://p.example', 0, 0),"
                        + " (12, 'bob', 'bob@m.example', 'mastodon', 'https://m.example', 1, 0)");
            }
            String columns = "SELECT acc_id, owner, handle, kind, url, enabled, main FROM " + t;
            QueryPlatformDirectory dir = QueryPlatformDirectory.builder(pool)
                    .queries(columns + " WHERE acc_id = ?", columns + " WHERE owner = ? ORDER BY acc_id").build();
            assertThat(dir.find(10)).contains(new PlatformConnection(10, "alice", "alice@m.example", "mastodon",
                    "https://m.example", true, true));
            assertThat(dir.findByUser("alice")).extracting(PlatformConnection::id).containsExactly(10L, 11L);
            assertThat(dir.find(11).orElseThrow().active()).isFalse();
            assertThat(dir.findDefault("alice").orElseThrow().id()).isEqualTo(10);
            assertThat(dir.findDefault("bob")).isEmpty();
            assertThat(Arrays.stream(QueryPlatformDirectory.class.getMethods()).map(Method::getName))
                    .as("read-only by type: nothing to change connections with")
                    .doesNotContain("add", "setDefault", "deactivate", "createSchema", "dropSchema");
            assertThatThrownBy(() -> QueryPlatformDirectory.builder(pool).queries("SELECT 1", columns + " WHERE owner = ?"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exactly one '?'");
            assertThatThrownBy(() -> QueryPlatformDirectory.builder(pool).build()).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void userDirectoryReadsTheAppsUserTable() throws SQLException {
        try (HikariDataSource pool = TestDatabases.Db.H2.pool(2)) {
            String t = "users_" + TestDatabases.hex(3);
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE " + t + " (id VARCHAR(50) PRIMARY KEY, display VARCHAR(50), enabled BOOLEAN)");
                s.execute("INSERT INTO " + t + " VALUES ('alice', 'Alice A.', TRUE), ('bob', NULL, FALSE)");
            }
            JdbcUserDirectory users = JdbcUserDirectory.builder(pool)
                    .query("SELECT id, display, enabled FROM " + t + " WHERE id = ?").build();
            assertThat(users.find("alice")).contains(new UserAccount("alice", "Alice A.", true));
            assertThat(users.find("bob")).as("null username falls back to the id")
                    .contains(new UserAccount("bob", "bob", false));
            assertThat(users.find("carol")).isEmpty();

            JdbcUserDirectory twoColumns = JdbcUserDirectory.builder(pool)
                    .query("SELECT id, display FROM " + t + " WHERE id = ?").build();
            assertThat(twoColumns.find("bob")).as("no active column: found users are active")
                    .contains(new UserAccount("bob", "bob", true));

            JdbcUserDirectory broken = JdbcUserDirectory.builder(pool)
                    .query("SELECT id, display FROM no_such_table WHERE id = ?").build();
            assertThatThrownBy(() -> broken.find("alice")).isInstanceOfSatisfying(SessionStoreException.class,
                    e -> assertThat(e.isTransient()).isFalse());
            assertThatThrownBy(() -> JdbcUserDirectory.builder(pool).build()).isInstanceOf(IllegalStateException.class);
        }
    }
}
