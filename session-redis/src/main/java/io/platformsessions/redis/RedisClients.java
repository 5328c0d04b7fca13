package io.platformsessions.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import io.platformsessions.redis.RedisConnection.Connected;
import java.time.Duration;
import java.util.List;

/**
 * Makes the store's {@link RedisConnection} from a URI (the store owns the Lettuce client) or from the
 * application's client or connection (which the store never closes). The only place that sets Lettuce options.
 */
final class RedisClients {
    /**
     * Periodic cluster topology refresh: the backstop for a change no adaptive trigger reports (a replica added, a
     * failover seen by no command). Each refresh asks every node for {@code CLUSTER NODES}.
     */
    private static final Duration TOPOLOGY_REFRESH = Duration.ofSeconds(30);
    /**
     * The least time between two adaptive refreshes (Lettuce's default is 5 s). After a primary crashes, the first
     * reconnect attempts trigger a refresh at once, before Redis has promoted the replica (that takes about the
     * cluster's {@code cluster-node-timeout}); the refresh that finds the new primary is the next one a reconnect
     * attempt triggers after this much time. 1 s cut the measured time from the promotion to the first successful
     * call from 6.7 s to 0.2-0.8 s ({@code RedisClusterFailoverTest}; 25 s without adaptive triggers). A refresh
     * is one {@code CLUSTER NODES} per node, so even many application nodes refreshing once a second during a
     * failover cost Redis nothing noticeable.
     */
    private static final Duration ADAPTIVE_REFRESH_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);

    private RedisClients() {
    }

    static RedisConnection standalone(RedisURI uri, Duration connectTimeout, Duration commandTimeout) {
        uri.setTimeout(commandTimeout);
        RedisClient client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // fail fast while disconnected instead of queueing requests behind an outage
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                // a command in flight when the connection broke fails (transient) rather than running again later
                .replayFilter(command -> true)
                .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).keepAlive(true).build())
                .timeoutOptions(TimeoutOptions.builder().fixedTimeout(commandTimeout).build())
                .build());
        return new RedisConnection(() -> connect(client), true,
                () -> client.shutdown(Duration.ZERO, SHUTDOWN_TIMEOUT), commandTimeout.toMillis(), describe(uri),
                () -> client.connectPubSub(StringCodec.UTF8));
    }

    static RedisConnection cluster(List<RedisURI> seeds, Duration connectTimeout, Duration commandTimeout) {
        for (RedisURI seed : seeds) {
            seed.setTimeout(commandTimeout);
        }
        RedisClusterClient client = RedisClusterClient.create(seeds);
        ClusterClientOptions.Builder options = ClusterClientOptions.builder();
        options.replayFilter(command -> true); // (not overridden by the cluster builder: set it first)
        client.setOptions(options
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).keepAlive(true).build())
                .timeoutOptions(TimeoutOptions.builder().fixedTimeout(commandTimeout).build())
                // a primary that failed (or has no address) is left out of the topology: once its replica is
                // promoted it owns no slots but stays listed as a primary, and the change bus would keep watching
                // (and Lettuce keep reconnecting to) a node that never answers
                .nodeFilter(node -> !node.is(RedisClusterNode.NodeFlag.FAIL)
                        && !node.is(RedisClusterNode.NodeFlag.NOADDR))
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(TOPOLOGY_REFRESH)
                        // every adaptive trigger is on (Lettuce 7's default; enabling them explicitly is
                        // deprecated): MOVED and ASK (resharding), a node that keeps failing to reconnect (a crashed
                        // primary), an uncovered slot, an unknown node. Only their rate limit is ours:
                        .adaptiveRefreshTriggersTimeout(ADAPTIVE_REFRESH_TIMEOUT)
                        // after 5 failed attempts (the first few ms after a crash: the delay doubles from 1 ms)
                        .refreshTriggersReconnectAttempts(5)
                        // ask every known node, not only the seeds: a seed may be the primary that died
                        .dynamicRefreshSources(true)
                        // close the connections to nodes that left the topology (the failed primary)
                        .closeStaleConnections(true)
                        .build())
                .build());
        return new RedisConnection(() -> connect(client), true,
                () -> client.shutdown(Duration.ZERO, SHUTDOWN_TIMEOUT), commandTimeout.toMillis(),
                "cluster " + describe(seeds.get(0)), () -> client.connectPubSub(StringCodec.UTF8));
    }

    /** The application's client: the store opens (and closes) its own connection on it, never the client. */
    static RedisConnection onClient(RedisClient client, Duration commandTimeout) {
        return new RedisConnection(() -> connect(client), true, () -> { }, commandTimeout.toMillis(),
                "an application RedisClient", () -> client.connectPubSub(StringCodec.UTF8));
    }

    static RedisConnection onClient(RedisClusterClient client, Duration commandTimeout) {
        return new RedisConnection(() -> connect(client), true, () -> { }, commandTimeout.toMillis(),
                "an application RedisClusterClient", () -> client.connectPubSub(StringCodec.UTF8));
    }

    /** The application's connection: used as it is, never closed by the store. */
    static RedisConnection onConnection(StatefulRedisConnection<String, String> c, Duration commandTimeout) {
        Connected connected = new Connected(c, c.async());
        return new RedisConnection(() -> connected, false, () -> { }, commandTimeout.toMillis(),
                "an application connection", null);
    }

    static RedisConnection onConnection(StatefulRedisClusterConnection<String, String> c, Duration commandTimeout) {
        Connected connected = new Connected(c, c.async());
        return new RedisConnection(() -> connected, false, () -> { }, commandTimeout.toMillis(),
                "an application cluster connection", null);
    }

    private static Connected connect(RedisClient client) {
        StatefulRedisConnection<String, String> c = client.connect(StringCodec.UTF8);
        return new Connected(c, c.async());
    }

    private static Connected connect(RedisClusterClient client) {
        StatefulRedisClusterConnection<String, String> c = client.connect(StringCodec.UTF8);
        // Lettuce opens the per-node connections lazily, and a connection still opening refuses commands
        // (REJECT_COMMANDS): open them now, so that only a node that appears later costs a failed first call
        try {
            for (RedisClusterNode node : c.getPartitions()) {
                if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
                    c.getConnection(node.getUri().getHost(), node.getUri().getPort());
                }
            }
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        return new Connected(c, c.async());
    }

    /** Where a URI points, without credentials. */
    static String describe(RedisURI uri) {
        if (!uri.getSentinels().isEmpty()) {
            return "sentinel master '" + uri.getSentinelMasterId() + "'";
        }
        if (uri.getSocket() != null) {
            return "unix socket " + uri.getSocket();
        }
        return (uri.isSsl() ? "rediss://" : "redis://") + uri.getHost() + ":" + uri.getPort();
    }
}
