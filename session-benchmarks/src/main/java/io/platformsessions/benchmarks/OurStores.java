package io.platformsessions.benchmarks;

import io.platformsessions.memory.InMemorySessionStore;
import io.platformsessions.spi.SessionStore;

/**
 * Opens Platform Sessions' store for a benchmark pool. Placeholder until the JDBC store lands:
 * the in-memory store. Thread-safe (stateless).
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
    static SessionStore open(Db.Pool pool, javax.sql.DataSource ds) {
        return new InMemorySessionStore();
    }
}
