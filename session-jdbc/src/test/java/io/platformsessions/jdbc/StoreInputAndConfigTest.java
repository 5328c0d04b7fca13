package io.platformsessions.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.platformsessions.ActivePlatform;
import io.platformsessions.Limits;
import io.platformsessions.SessionStoreException;
import io.platformsessions.spi.SessionAttributes;
import io.platformsessions.spi.SessionRecord;
import io.platformsessions.spi.StoredAttribute;
import java.sql.Connection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bad input refused before SQL runs; builder options, a given pool, close. (H2.) */
class StoreInputAndConfigTest {
    private HikariDataSource pool;
    private CountingDataSource counting;
    private JdbcSessionStore store;

    @BeforeEach
    void setUp() {
        pool = TestDatabases.Db.H2.pool(2);
        counting = new CountingDataSource(pool);
        store = JdbcSessionStore.builder().dataSource(counting).initializeSchema(true).build();
        counting.reset();
    }

    @AfterEach
    void tearDown() {
        store.close();
        pool.close();
    }

    @Test
    void userIdLongerThanTheColumnIsRefusedBeforeSql() {
        SessionRecord r = TestRecords.record("u".repeat(256), TestRecords.T0);
        assertThatThrownBy(() -> store.insert(r)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("user id is 256 characters").hasMessageContaining("255");
        assertThatThrownBy(() -> store.update(r.withVersion(2), 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.rekey(r.key(), r.withVersion(2), 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.findByUser("u".repeat(256))).as("nothing that long can be stored").isEmpty();
        assertThat(counting.borrowed()).as("no connection borrowed, no SQL ran").isZero();

        SessionRecord max = TestRecords.record("u".repeat(255), TestRecords.T0);
        store.insert(max);
        assertThat(store.findByUser("u".repeat(255))).containsExactly(max);
    }

    @Test
    void oversizedAttributesAreRefusedBeforeSql() {
        SessionRecord small = TestRecords.record("alice", TestRecords.T0);
        store.insert(small);
        counting.reset();
        // two-byte characters: over 1 MiB of UTF-8 with the JSON framing, though only half as many chars
        SessionRecord big = small.withAttributes(SessionAttributes.empty()
                .with("note", new StoredAttribute("\"" + "é".repeat(Limits.MAX_ATTRIBUTES_BYTES / 2) + "\"", null, null)))
                .withVersion(2);
        assertThatThrownBy(() -> store.update(big, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("over the limit of " + Limits.MAX_ATTRIBUTES_BYTES);
        assertThatThrownBy(() -> store.insert(big.withKey(TestRecords.randomKey()).withVersion(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(counting.executed()).isEmpty();
        assertThat(store.find(small.key())).contains(small);

        SessionRecord fits = small.withAttributes(SessionAttributes.empty()
                .with("note", new StoredAttribute("\"" + "é".repeat(1_000) + "\"", null, null))).withVersion(2);
        assertThat(store.update(fits, 1)).isTrue();
        assertThat(store.find(small.key())).contains(fits);
    }

    @Test
    void otherOverlongColumnsAreRefusedBeforeSql() {
        SessionRecord r = TestRecords.record("alice", TestRecords.T0)
                .withPlatform(new ActivePlatform(1, "n", "t".repeat(65), "https://x.example"));
        assertThatThrownBy(() -> store.insert(r)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("platform type");
        assertThat(counting.borrowed()).isZero();
    }

    @Test
    void utf8LengthCountsSurrogatePairsAsFourBytes() {
        assertThat(SessionTable.utf8Length("a")).isEqualTo(1);
        assertThat(SessionTable.utf8Length("é")).isEqualTo(2);
        assertThat(SessionTable.utf8Length("✓")).isEqualTo(3);
        assertThat(SessionTable.utf8Length("😀")).isEqualTo(4);
        assertThat(SessionTable.utf8Length("a😀é✓")).isEqualTo("a😀é✓".getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }

    @Test
    void duplicateInsertIsANonTransientStoreErrorNamingOnlyTheKeyPrefix() {
        SessionRecord r = TestRecords.record("alice", TestRecords.T0);
        store.insert(r);
        assertThatThrownBy(() -> store.insert(r)).isInstanceOfSatisfying(SessionStoreException.class, e -> {
            assertThat(e.isTransient()).isFalse();
            assertThat(e.getMessage()).contains(r.key().prefix()).doesNotContain(r.key().hex());
        });
    }

    @Test
    void onH2TheRowIsKeyedByTheKeysFirstEightBytes() throws Exception {
        SessionRecord r = TestRecords.record("alice", TestRecords.T0);
        store.insert(r);
        try (Connection c = pool.getConnection(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT key_id, session_key FROM ps_sessions")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(java.nio.ByteBuffer.wrap(r.key().bytes()).getLong());
            assertThat(rs.getBytes(2)).isEqualTo(r.key().bytes());
        }
    }

    @Test
    void keysSharingTheirFirstEightBytesNeverMatchEachOther() {
        SessionRecord r = TestRecords.record("alice", TestRecords.T0);
        store.insert(r);
        byte[] twin = r.key().bytes();
        twin[31] ^= 1; // same key_id on H2, different key
        SessionRecord other = r.withKey(io.platformsessions.SessionKey.ofBytes(twin));
        assertThat(store.find(other.key())).isEmpty();
        assertThat(store.update(other.withVersion(2), 1)).isFalse();
        assertThat(store.rekey(other.key(), other.withKey(TestRecords.randomKey()).withVersion(2), 1)).isFalse();
        store.touch(other.key(), TestRecords.T0.plusSeconds(60), TestRecords.T0.plusSeconds(600));
        assertThat(store.delete(other.key(), io.platformsessions.InvalidationReason.LOGOUT, TestRecords.T0)).isFalse();
        assertThat(store.find(r.key())).contains(r);
        // a 64-bit prefix collision is refused like a duplicate key, never an overwrite
        assertThatThrownBy(() -> store.insert(other)).isInstanceOf(SessionStoreException.class);
        assertThat(store.find(r.key())).contains(r);
    }

    @Test
    void aTableFromAnOlderVersionFailsTheBuildWithAClearMessage() throws Exception {
        try (Connection c = pool.getConnection(); var s = c.createStatement()) {
            // the H2 sessions table before key_id existed
            s.execute("CREATE TABLE old_sessions (session_key BINARY(32) NOT NULL PRIMARY KEY, "
                    + SessionTable.names(SessionTable.DATA).replace(", ", " VARCHAR(255), ") + " VARCHAR(255))");
        }
        assertThatThrownBy(() -> JdbcSessionStore.builder().dataSource(pool).tablePrefix("old_").initializeSchema(true)
                .build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("table old_sessions exists but does not match").hasMessageContaining("KEY_ID")
                .hasMessageContaining("JdbcSessionStore.schemaSql(H2, \"old_\")");
    }

    @Test
    void tablePrefixIsValidated() {
        JdbcSessionStore.Builder b = JdbcSessionStore.builder();
        for (String bad : new String[] {"PS_", "ps-", "1ps_", "ps_; DROP TABLE x", "a".repeat(31), "ps "}) {
            assertThatThrownBy(() -> b.tablePrefix(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> b.tablePrefix(null)).isInstanceOf(IllegalArgumentException.class);
        b.tablePrefix("").tablePrefix("a".repeat(30)).tablePrefix("ps_2_");
        assertThat(JdbcSessionStore.schemaSql(JdbcDialect.POSTGRESQL, "app_"))
                .contains("CREATE TABLE IF NOT EXISTS app_sessions (").contains("app_sessions_archive")
                .doesNotContain("${prefix}");
    }

    @Test
    void builderNeedsExactlyOneConnectionSource() {
        assertThatThrownBy(() -> JdbcSessionStore.builder().build()).isInstanceOf(IllegalStateException.class);
        try (JdbcPool other = JdbcPool.builder("jdbc:h2:mem:x").build()) {
            assertThatThrownBy(() -> JdbcSessionStore.builder().pool(other).dataSource(pool).build())
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aPoolGivenToTheStoreIsClosedWithIt() {
        JdbcSessionStore owned = JdbcSessionStore.builder().pool(JdbcPool.builder("jdbc:h2:mem:owned"
                + TestDatabases.hex(4) + ";DB_CLOSE_DELAY=-1").maximumPoolSize(3).minimumIdle(1).build())
                .tablePrefix("o_").initializeSchema(true).build();
        assertThat(owned.dialect()).isEqualTo(JdbcDialect.H2);
        assertThat(owned.sessionsTable()).isEqualTo("o_sessions");
        SessionRecord r = TestRecords.record("alice", TestRecords.T0);
        owned.insert(r);
        PoolStatus status = JdbcPool.statusOf(owned.dataSource()).orElseThrow();
        assertThat(status.total()).isBetween(1, 3);
        assertThat(status.active()).isZero();
        owned.close();
        owned.close(); // idempotent
        assertThatThrownBy(() -> owned.find(r.key())).isInstanceOfSatisfying(SessionStoreException.class,
                e -> assertThat(e.isTransient()).as("a closed store will not come back").isFalse());
    }

    @Test
    void aFailedBuildClosesThePoolItWasGiven() {
        JdbcPool given = JdbcPool.builder("jdbc:h2:mem:failed" + TestDatabases.hex(4) + ";DB_CLOSE_DELAY=-1").build();
        try (Connection c = given.dataSource().getConnection(); var s = c.createStatement()) {
            s.execute("CREATE TABLE bad_sessions (session_key BINARY(32))");
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
        assertThatThrownBy(() -> JdbcSessionStore.builder().pool(given).tablePrefix("bad_").initializeSchema(true).build())
                .isInstanceOf(SessionStoreException.class).hasMessageContaining("bad_sessions");
        assertThat(given.isClosed()).isTrue();
    }

    @Test
    void closingAStoreOnTheApplicationsDataSourceLeavesItOpen() throws Exception {
        store.close();
        assertThat(pool.isClosed()).isFalse();
        try (Connection c = pool.getConnection()) {
            assertThat(c.isValid(1)).isTrue();
        }
        assertThat(JdbcPool.statusOf(store.dataSource())).as("the app's Hikari pool, unwrapped through the wrapper")
                .isPresent();
    }

    @Test
    void explicitDialectIsUsed() {
        JdbcSessionStore explicit = JdbcSessionStore.builder().dataSource(pool).dialect(JdbcDialect.H2)
                .tablePrefix("x_").initializeSchema(true).build();
        assertThat(explicit.dialect()).isEqualTo(JdbcDialect.H2);
        explicit.dropSchema();
    }
}
