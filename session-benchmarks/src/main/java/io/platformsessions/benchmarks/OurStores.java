package io.platformsessions.benchmarks;

import io.platformsessions.jdbc.JdbcSessionStore;
import io.platformsessions.redis.RedisSessionStore;
import java.time.Clock;
import javax.sql.DataSource;

/**
 * Opens Platform Sessions' stores for the benchmarks: the JDBC store on a benchmark pool ({@code
 * JdbcSessionStore.builder().dataSource(ds).initializeSchema(true)}, defaults otherwise: table prefix {@code ps_},
 * no archive), and the Redis store ({@code RedisSessionStore.builder().uri(uri).keyPrefix(prefix)}, defaults
 * otherwise: no retention, no archive, 1 s command timeout). Thread-safe (stateless).
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

    /**
     * Opens our Redis store; it owns its Lettuce client (closed with the store).
     * @param uri the Redis URI (the benchmark's Redis, or the counting proxy in front of it)
     * @param prefix a fresh key prefix from {@link RedisTarget#randomPrefix()}
     * @param clock the engine's clock (native TTLs are computed from it)
     * @return the store
     */
    static RedisSessionStore redis(String uri, String prefix, Clock clock) {
        return RedisSessionStore.builder().uri(uri).keyPrefix(prefix).clock(clock).build();
    }
}
