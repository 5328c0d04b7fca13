package io.platformsessions.spring.actuate;

import io.platformsessions.SessionKey;
import io.platformsessions.jdbc.JdbcPool;
import io.platformsessions.jdbc.JdbcSessionStore;
import io.platformsessions.spi.SessionStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntSupplier;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.util.ClassUtils;

/**
 * Health of the session store (and of the change bus, when there is one): UP when one read by key answers
 * (the read looks for a key no session has, so it costs one indexed lookup), DOWN when the store throws. Details:
 * the store's type and the read's time in milliseconds; for the JDBC store its dialect, table and pool
 * (active, idle, waiting, total); for the Redis store its key prefix, whether it is a cluster, and its counts of
 * unreadable entries and failed archive writes; for a bus the number of open subscriptions. Thread-safe.
 */
public class PlatformSessionsHealthIndicator extends AbstractHealthIndicator {
    private static final SessionKey PROBE = SessionKey.ofBytes(new byte[SessionKey.LENGTH]);
    /** session-redis is optional: its classes are touched only when present. */
    private static final boolean REDIS_PRESENT =
            ClassUtils.isPresent("io.platformsessions.redis.RedisSessionStore", PlatformSessionsHealthIndicator.class.getClassLoader());

    private final SessionStore store;
    private final IntSupplier busConnections;
    private final IntSupplier busLiveConnections;

    /**
     * Creates the indicator.
     *
     * @param store the store to probe (the unwrapped one, so JDBC details can be shown)
     * @param busConnections open connections to the change bus, negative without a bus; or {@code null} when
     *     unknown (no bus detail is shown then)
     * @param busLiveConnections how many of those are live, negative without a bus; or {@code null} when unknown
     * @throws NullPointerException if {@code store} is null
     */
    public PlatformSessionsHealthIndicator(SessionStore store, IntSupplier busConnections,
                                           IntSupplier busLiveConnections) {
        super("Platform Sessions store health check failed");
        this.store = Objects.requireNonNull(store, "store");
        this.busConnections = busConnections;
        this.busLiveConnections = busLiveConnections;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        long start = System.nanoTime();
        store.find(PROBE);
        long micros = (System.nanoTime() - start) / 1000;
        builder.up().withDetail("store", store.getClass().getSimpleName())
                .withDetail("probeMillis", micros / 1000.0);
        if (store instanceof JdbcSessionStore jdbc) {
            builder.withDetail("dialect", jdbc.dialect().name()).withDetail("table", jdbc.sessionsTable());
            JdbcPool.statusOf(jdbc.dataSource()).ifPresent(p -> {
                Map<String, Integer> pool = new LinkedHashMap<>();
                pool.put("active", p.active());
                pool.put("idle", p.idle());
                pool.put("waiting", p.waiting());
                pool.put("total", p.total());
                builder.withDetail("pool", pool);
            });
        }
        if (REDIS_PRESENT) {
            RedisDetails.add(store, builder);
        }
        int open = busConnections == null ? -1 : busConnections.getAsInt();
        if (open >= 0) {
            int live = busLiveConnections == null ? open : Math.max(0, busLiveConnections.getAsInt());
            builder.withDetail("busConnections", open).withDetail("busLiveConnections", live);
            if (open == 0) {
                builder.down().withDetail("bus", "not connected: this node's cache hears of no change made elsewhere");
            } else if (live < open) {
                // still correct, only slower: the engine bypasses its cache until the bus is live again
                builder.withDetail("bus", "down: the cache is bypassed and every request reads the store");
            }
        }
    }

    /** Details of the Redis store, in a class of its own so it loads only with session-redis. */
    private static final class RedisDetails {
        static void add(SessionStore store, Health.Builder builder) {
            if (store instanceof io.platformsessions.redis.RedisSessionStore redis) {
                builder.withDetail("keyPrefix", redis.keyPrefix()).withDetail("cluster", redis.isCluster())
                        .withDetail("malformedEntries", redis.malformedEntries())
                        .withDetail("archiveFailures", redis.archiveFailures());
            }
        }
    }
}
