package io.platformsessions.redis;

/** The store contract on a cluster, with the archive Redis. */
class RedisClusterArchivingContractTest extends RedisContractBase {
    @Override
    TestRedis.Target target() {
        return TestRedis.Target.CLUSTER;
    }

    @Override
    boolean archive() {
        return true;
    }
}
