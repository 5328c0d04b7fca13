/**
 * A {@link io.platformsessions.spi.SessionStore} on Redis with Lettuce: {@link io.platformsessions.redis.RedisSessionStore}.
 * Single node, Sentinel or Redis Cluster; one hash per session with a native TTL, Lua compare-and-set writes, a
 * self-cleaning per-user index, no keyspace notifications; optionally its change bus,
 * {@link io.platformsessions.redis.RedisChangeBus}, for several application nodes. See {@code docs/redis.md}.
 */
package io.platformsessions.redis;
