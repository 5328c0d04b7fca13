package io.platformsessions.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.platformsessions.spi.SessionStore;
import io.platformsessions.tck.SessionStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The core store contract against one database and archive setting. Each test gets fresh tables under a
 * random prefix on a pool shared by the class; the tables are dropped afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JdbcContractBase extends SessionStoreContract {
    private HikariDataSource pool;

    abstract TestDatabases.Db db();

    abstract boolean archive();

    @Override
    protected SessionStore createStore() {
        if (pool == null) {
            pool = db().pool(12);
        }
        return JdbcSessionStore.builder().dataSource(pool).tablePrefix(TestDatabases.randomPrefix())
                .initializeSchema(true).archiveEndedSessions(archive()).build();
    }

    @Override
    protected void destroyStore(SessionStore store) {
        if (store instanceof JdbcSessionStore jdbc) {
            jdbc.dropSchema();
            jdbc.close();
        }
    }

    @AfterAll
    void closePool() {
        if (pool != null) {
            pool.close();
        }
    }
}
