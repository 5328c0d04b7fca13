package io.platformsessions.redis;

/** The store contract on a single Redis. */
class RedisContractTest extends RedisContractBase {
    @Override
    TestRedis.Target target() {
        return TestRedis.Target.SINGLE;
    }

    @Override
    boolean archive() {
        return false;
    }
}
