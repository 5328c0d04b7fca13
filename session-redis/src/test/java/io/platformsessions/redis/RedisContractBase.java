package io.platformsessions.redis;

import io.platformsessions.spi.SessionStore;
import io.platformsessions.spi.SessionStoreContractTest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * The core store contract against one Redis target and archive setting. Each test gets a store under a fresh
 * random key prefix; its keys are deleted afterwards.
 *
 * <p>The contract's records are dated around 2026-01-01T10:00Z and treat an expired session as stored until
 * {@code deleteExpired} removes it. So the store's clock (from which native TTLs are computed) is fixed at that
 * instant, and an hour of expired retention keeps expired records readable, as the JDBC stores do.
 */
abstract class RedisContractBase extends SessionStoreContractTest {
    /** The contract suite's T0. */
    static final Instant CONTRACT_NOW = Instant.parse("2026-01-01T10:00:00Z");

    abstract TestRedis.Target target();

    abstract boolean archive();

    @Override
    protected SessionStore createStore() {
        return target().builder().clock(Clock.fixed(CONTRACT_NOW, ZoneOffset.UTC))
                .expiredRetention(Duration.ofHours(1)).archiveEndedSessions(archive()).build();
    }

    @Override
    protected void destroyStore(SessionStore store) {
        if (store instanceof RedisSessionStore redis) {
            redis.close();
            target().deleteKeys(redis.keyPrefix());
        }
    }
}
