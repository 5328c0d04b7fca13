package io.platformsessions.redis;

import io.lettuce.core.sentinel.api.sync.RedisSentinelCommands;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A private Sentinel setup of {@link OwnRedisServer}s (free loopback ports, each in its own temporary directory, no
 * persistence), for tests that kill or switch its primary, never the shared Redis: one primary, one replica
 * ({@code --replicaof}) and three sentinels ({@code redis-server <config> --sentinel}) monitoring {@link #MASTER}
 * with quorum 2, {@code down-after-milliseconds} 1000 and {@code failover-timeout} 5000. Skips loudly when
 * {@code redis-server} is not installed; {@link #close()} stops every process it started, also when starting failed
 * half way.
 */
final class OwnRedisSentinels implements AutoCloseable {
    /** The name the sentinels monitor the primary under. */
    static final String MASTER = "mymaster";

    final OwnRedisServer primary;
    final OwnRedisServer replica;
    private final List<OwnRedisServer> sentinels = new ArrayList<>();
    private final List<OwnRedisServer> all = new ArrayList<>();

    private OwnRedisSentinels(OwnRedisServer primary, OwnRedisServer replica) {
        this.primary = primary;
        this.replica = replica;
        all.add(primary);
        all.add(replica);
    }

    /**
     * Starts the primary, its replica (waits until it is in sync) and three sentinels, and waits until every
     * sentinel knows the replica and the two other sentinels (so that a failover can be agreed on at once).
     */
    static OwnRedisSentinels launch() throws Exception {
        OwnRedisServer.requireRedisServer();
        OwnRedisServer primary = OwnRedisServer.launch();
        OwnRedisSentinels setup;
        try {
            setup = new OwnRedisSentinels(primary, OwnRedisServer.launch("--replicaof", "127.0.0.1",
                    Integer.toString(primary.port)));
        } catch (Exception | Error e) {
            primary.close();
            throw e;
        }
        try {
            BusNodes.await(() -> setup.replica.on(c -> c.info("replication")).orElse("")
                    .contains("master_link_status:up"), Duration.ofSeconds(30),
                    "replica in sync with its primary");
            String config = "sentinel monitor " + MASTER + " 127.0.0.1 " + primary.port + " 2\n"
                    + "sentinel down-after-milliseconds " + MASTER + " 1000\n"
                    + "sentinel failover-timeout " + MASTER + " 5000\n"
                    + "sentinel resolve-hostnames no\n";
            for (int i = 0; i < 3; i++) {
                OwnRedisServer s = OwnRedisServer.launchWithConfig(config, "--sentinel");
                setup.sentinels.add(s);
                setup.all.add(s);
            }
            BusNodes.await(() -> setup.sentinels.stream().allMatch(s -> s.onSentinel(c -> {
                Map<String, String> m = c.master(MASTER);
                return "1".equals(m.get("num-slaves")) && "2".equals(m.get("num-other-sentinels"));
            }).orElse(false)), Duration.ofSeconds(30), "every sentinel knows the replica and the other sentinels");
            return setup;
        } catch (Exception | Error e) {
            try {
                setup.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** The store's URI: {@code redis-sentinel://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3#mymaster}. */
    String uri() {
        return "redis-sentinel://" + sentinels.stream().map(s -> "127.0.0.1:" + s.port)
                .collect(Collectors.joining(",")) + "#" + MASTER;
    }

    /** The primary's port as the first sentinel that answers reports it, if any answers. */
    Optional<Integer> primaryPort() {
        for (OwnRedisServer s : sentinels) {
            Optional<Integer> port = s.onSentinel(c -> {
                SocketAddress a = c.getMasterAddrByName(MASTER);
                return a instanceof InetSocketAddress i ? i.getPort() : null;
            });
            if (port.isPresent()) {
                return port;
            }
        }
        return Optional.empty();
    }

    /** The primary's port as each sentinel reports it (0 for one that does not answer). */
    List<Integer> primaryPortByEachSentinel() {
        return sentinels.stream().map(s -> s.onSentinel(c -> c.getMasterAddrByName(MASTER)
                instanceof InetSocketAddress i ? i.getPort() : 0).orElse(0)).toList();
    }

    /** Runs {@code action} on a sentinel connection to the first sentinel that answers. */
    <T> Optional<T> onAnySentinel(Function<RedisSentinelCommands<String, String>, T> action) {
        for (OwnRedisServer s : sentinels) {
            Optional<T> out = s.onSentinel(action);
            if (out.isPresent()) {
                return out;
            }
        }
        return Optional.empty();
    }

    /** Stops every process this setup started (killed ones are already gone) and deletes their directories. */
    @Override
    public void close() throws InterruptedException, IOException {
        OwnRedisServer.closeAll(all);
    }
}
