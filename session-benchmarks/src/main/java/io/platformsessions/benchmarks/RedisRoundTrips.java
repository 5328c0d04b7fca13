package io.platformsessions.benchmarks;

import io.lettuce.core.RedisURI;
import io.platformsessions.SessionConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Counts commands and round trips per operation for ours and both Spring Session Data Redis repositories, at the
 * wire, through a {@link CountingRedisProxy} in front of the benchmark's Redis. Single threaded and untimed; every
 * subject under its own fresh prefix, deleted afterwards. Not thread-safe.
 */
final class RedisRoundTrips {
    private static final int CALLS = 60;

    private RedisRoundTrips() {
    }

    /**
     * Counts every Redis operation of every library.
     * @return the entries ({@code statementsPerOp} holds commands per operation)
     */
    static List<RoundTrips.Entry> count() {
        RedisURI target = RedisURI.create(RedisTarget.uri());
        List<RoundTrips.Entry> out = new ArrayList<>();
        try (CountingRedisProxy proxy = new CountingRedisProxy(target.getHost(), target.getPort())) {
            String uri = proxied(proxy);
            // ours, default configuration (cache on), then cache off
            for (boolean cache : new boolean[] {true, false}) {
                String prefix = RedisTarget.randomPrefix();
                try (Subject ours = Subjects.openRedis("ours", uri, prefix, cache)) {
                    ours.prepareActive(200, 20);
                    long[] n = {0};
                    if (cache) {
                        out.add(measure(Ops.CREATE, "ours", proxy, i -> ours.create(n[0]++)));
                        out.add(measure(Ops.REQUEST_CACHE_ON, "ours", proxy, ours::requestCycle));
                        out.add(measure(Ops.SWITCH, "ours", proxy, ours::switchPlatform));
                        out.add(measure(Ops.LIST, "ours", proxy, ours::listSessions));
                    } else {
                        out.add(measure(Ops.REQUEST_CACHE_OFF, "ours", proxy, ours::requestCycle));
                        out.add(measure(Ops.SWITCH + " (cache off)", "ours", proxy, ours::switchPlatform));
                    }
                } finally {
                    RedisTarget.deleteKeys(prefix);
                }
            }
            // ours, when the throttled touch is due (once per session per touch interval, 60 s by default)
            for (boolean cache : new boolean[] {true, false}) {
                String prefix = RedisTarget.randomPrefix();
                MutableClock clock = new MutableClock(Instant.now());
                SessionConfig config = SessionConfig.builder().cacheEnabled(cache).clock(clock).build();
                try (OursSubject ours = new OursSubject(OurStores.redis(uri, prefix, clock), config)) {
                    int sessions = 10;
                    ours.prepareActive(sessions, sessions);
                    out.add(measure("request cycle, touch due, cache " + (cache ? "on" : "off"), "ours", proxy, i -> {
                        if (i % sessions == 0) {
                            clock.advance(Duration.ofSeconds(61));
                        }
                        return ours.requestCycle(i);
                    }));
                } finally {
                    RedisTarget.deleteKeys(prefix);
                }
            }
            for (String lib : List.of("spring", "spring-indexed")) {
                String prefix = RedisTarget.randomPrefix();
                try (Subject spring = Subjects.openRedis(lib, uri, prefix, true)) {
                    spring.prepareActive(200, 20);
                    long[] n = {0};
                    out.add(measure(Ops.CREATE, lib, proxy, i -> spring.create(n[0]++)));
                    out.add(measure(Ops.REQUEST_CACHE_ON, lib, proxy, spring::requestCycle));
                    out.add(measure(Ops.REQUEST_CACHE_OFF, lib, proxy, spring::requestCycle));
                    out.add(measure(Ops.SWITCH, lib, proxy, spring::switchPlatform));
                    if (lib.equals("spring-indexed")) {
                        out.add(measure(Ops.LIST, lib, proxy, spring::listSessions));
                    }
                } finally {
                    RedisTarget.deleteKeys(prefix);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the counting proxy", e);
        }
        return out;
    }

    /** The proxy's URI with the target's credentials and database. */
    private static String proxied(CountingRedisProxy proxy) {
        java.net.URI target = java.net.URI.create(RedisTarget.uri());
        java.net.URI local = java.net.URI.create(proxy.uri());
        String userInfo = target.getUserInfo() == null ? "" : target.getUserInfo() + "@";
        String path = target.getPath() == null ? "" : target.getPath();
        return "redis://" + userInfo + local.getHost() + ":" + local.getPort() + path;
    }

    private static RoundTrips.Entry measure(String op, String lib, CountingRedisProxy proxy, IntFunction<Object> call) {
        for (int i = 0; i < 5; i++) {
            call.apply(i); // warm: scripts loaded, connections open
        }
        settle();
        proxy.reset();
        for (int i = 5; i < 5 + CALLS; i++) {
            call.apply(i);
        }
        settle();
        CountingRedisProxy.Snapshot all = proxy.reset();
        call.apply(5 + CALLS);
        settle();
        CountingRedisProxy.Snapshot one = proxy.reset();
        return new RoundTrips.Entry(op, Db.REDIS, lib, (double) all.roundTrips() / CALLS,
                (double) all.commands() / CALLS, RoundTrips.compress(one.log())
                + String.format(java.util.Locale.ROOT, " (%,d B sent, %,d B received per op)",
                all.bytesUp() / CALLS, all.bytesDown() / CALLS));
    }

    /** Lets the proxy's pump threads forward what is in flight (fire-and-forget commands, pushes) before a reset. */
    private static void settle() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
