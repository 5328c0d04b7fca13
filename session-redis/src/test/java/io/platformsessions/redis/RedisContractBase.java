package io.platformsessions.redis;

import io.platformsessions.spi.SessionStore;
import io.platformsessions.tck.SessionStoreContract;
import io.platformsessions.tck.TestRecords;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;

/**
 * The core store contract against one Redis target and archive setting. Each test gets a store under a fresh
 * random key prefix; its keys are deleted afterwards.
 *
 * <p>The contract's records are dated around {@link TestRecords#T0} and treat an expired session as stored until
 * {@code deleteExpired} removes it. So the store's clock (from which native TTLs are computed) is fixed at that
 * instant, and an hour of expired retention keeps expired records readable, as the JDBC stores do.
 */
abstract class RedisContractBase extends SessionStoreContract {
    abstract TestRedis.Target target();

    abstract boolean archive();

    @Override
    protected SessionStore createStore() {
        return target().builder().clock(Clock.fixed(TestRecords.T0, ZoneOffset.UTC))
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
