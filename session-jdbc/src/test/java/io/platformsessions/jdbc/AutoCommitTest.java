package io.platformsessions.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.platformsessions.spi.SessionRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** An application pool that hands out connections with autoCommit=false must not roll back session writes. */
class AutoCommitTest {

    private static HikariConfig otherPool(String url) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url);
        c.setMaximumPoolSize(1);
        c.setPoolName("reader");
        return c;
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Db.class)
    void writesAreDurableEvenWhenTheApplicationsPoolDisablesAutoCommit(TestDatabases.Db db) {
        String url = db.url();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setAutoCommit(false);
        config.setMaximumPoolSize(2);
        config.setPoolName("autocommit-off");
        String prefix = TestDatabases.randomPrefix();
        try (HikariDataSource pool = new HikariDataSource(config);
             JdbcSessionStore store = JdbcSessionStore.builder().dataSource(pool).tablePrefix(prefix)
                     .initializeSchema(true).build();
             HikariDataSource other = new HikariDataSource(otherPool(url))) {
            try {
                SessionRecord r = TestRecords.record("alice", TestRecords.T0);
                store.insert(r);
                SessionRecord next = r.withPlatform(null).withVersion(2);
                assertThat(store.update(next, 1)).isTrue();
                try (JdbcSessionStore reader = JdbcSessionStore.builder().dataSource(other).tablePrefix(prefix).build()) {
                    assertThat(reader.find(r.key())).as("committed, seen from another pool").contains(next);
                }
            } finally {
                store.dropSchema();
            }
        }
    }
}
