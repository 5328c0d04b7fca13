package io.platformsessions.redis;

/** The store contract on a single node, with the archive Redis. */
class RedisArchivingContractTest extends RedisContractBase {
    @Override
    TestRedis.Target target() {
        return TestRedis.Target.SINGLE;
    }

    @Override
    boolean archive() {
        return true;
    }
}
