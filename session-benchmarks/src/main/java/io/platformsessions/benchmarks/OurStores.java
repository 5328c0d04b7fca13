package io.platformsessions.benchmarks;

import io.platformsessions.jdbc.JdbcSessionStore;
import javax.sql.DataSource;

/**
 * Opens Platform Sessions' JDBC store for a benchmark pool: {@code JdbcSessionStore.builder()
 * .dataSource(ds).initializeSchema(true)}, defaults otherwise (table prefix {@code ps_}, no archive).
 * Thread-safe (stateless).
 */
final class OurStores {
    private OurStores() {
    }

    /**
     * Opens our store over the pool.
     * @param pool the pool Spring Session uses too
     * @param ds the data source to use: the pool itself, or a counting wrapper around it
     * @return the store
     */
    static JdbcSessionStore open(Db.Pool pool, DataSource ds) {
        return open(pool, ds, false);
    }

    /**
     * Opens our store over the pool.
     * @param pool the pool Spring Session uses too
     * @param ds the data source to use
     * @param asynchronousCreateCommit the opt-in {@code JdbcSessionStore.Builder#asynchronousCreateCommit}
     * @return the store
     */
    static JdbcSessionStore open(Db.Pool pool, DataSource ds, boolean asynchronousCreateCommit) {
        return JdbcSessionStore.builder().dataSource(ds).initializeSchema(true)
                .asynchronousCreateCommit(asynchronousCreateCommit).build();
    }
}
