package io.platformsessions.redis;

/** The store contract on a cluster Redis. */
class RedisClusterContractTest extends RedisContractBase {
    @Override
    TestRedis.Target target() {
        return TestRedis.Target.CLUSTER;
    }

    @Override
    boolean archive() {
        return false;
    }
}
