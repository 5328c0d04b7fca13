package io.platformsessions.benchmarks;

import java.time.Clock;
import javax.sql.DataSource;

/** Opens a {@link Subject} by name. Thread-safe (stateless). */
final class Subjects {
    private Subjects() {
    }

    /**
     * Opens a library under test over a data source, installing its schema first.
     * @param lib {@code ours} or {@code spring}
     * @param pool the pool (its database decides the schema dialect)
     * @param ds the data source to use: the pool itself, or a counting wrapper around it
     * @param cache for ours: whether the session cache is on
     * @return the subject
     */
    static Subject open(String lib, Db.Pool pool, DataSource ds, boolean cache) {
        return open(lib, pool, ds, cache, false);
    }

    /**
     * Opens a library under test, ours optionally with the opt-in asynchronous create commit.
     * @param lib {@code ours} or {@code spring}
     * @param pool the pool (its database decides the schema dialect)
     * @param ds the data source to use
     * @param cache for ours: whether the session cache is on
     * @param asynchronousCreateCommit for ours: {@code JdbcSessionStore.Builder#asynchronousCreateCommit}
     * @return the subject
     */
    static Subject open(String lib, Db.Pool pool, DataSource ds, boolean cache, boolean asynchronousCreateCommit) {
        switch (lib) {
            case "ours":
                return new OursSubject(OurStores.open(pool, ds, asynchronousCreateCommit), cache);
            case "spring":
                SpringSubject.installSchema(pool.ds(), pool.db());
                return new SpringSubject(ds);
            default:
                throw new IllegalArgumentException("unknown library " + lib + " (ours, spring)");
        }
    }

    /**
     * Opens a library under test on the benchmark's Redis ({@link RedisTarget#uri()}), under a fresh prefix.
     * @param lib {@code ours}, {@code spring} (RedisSessionRepository) or {@code spring-indexed}
     *     (RedisIndexedSessionRepository)
     * @param prefix the key prefix from {@link RedisTarget#randomPrefix()}: ours writes under it, Spring uses it
     *     (without the trailing colon) as its namespace; delete its keys with {@link RedisTarget#deleteKeys(String)}
     * @param cache for ours: whether the session cache is on
     * @return the subject
     */
    static Subject openRedis(String lib, String prefix, boolean cache) {
        return openRedis(lib, RedisTarget.uri(), prefix, cache);
    }

    /**
     * Opens a library under test on a given Redis (the counting proxy, say).
     * @param lib {@code ours}, {@code spring} or {@code spring-indexed}
     * @param uri the Redis URI
     * @param prefix the key prefix
     * @param cache for ours: whether the session cache is on
     * @return the subject
     */
    static Subject openRedis(String lib, String uri, String prefix, boolean cache) {
        return switch (lib) {
            case "ours" -> new OursSubject(OurStores.redis(uri, prefix, Clock.systemUTC()), cache);
            case "spring" -> new SpringRedisSubject(SpringRedisSubject.Kind.DEFAULT, uri, namespace(prefix));
            case "spring-indexed" -> new SpringRedisSubject(SpringRedisSubject.Kind.INDEXED, uri, namespace(prefix));
            default -> throw new IllegalArgumentException("unknown library " + lib + " (ours, spring, spring-indexed)");
        };
    }

    /**
     * Spring's namespace for a prefix: the prefix without its trailing colon (Spring adds one).
     * @param prefix the prefix
     * @return the namespace
     */
    static String namespace(String prefix) {
        return prefix.endsWith(":") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }
}
