package io.platformsessions.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Where {@link RedisSessionStore.Builder} connects: the one source it was given (a URI, cluster seed URIs, an
 * application client or an application connection), the credentials for a URI, and the timeouts. Owns the checks
 * that these settings fit together and opens the store's {@link RedisConnection} from them through
 * {@link RedisClients} (which sets the Lettuce options). The builder's setters validate and fill the fields.
 * Not thread-safe, like the builder that holds it.
 */
final class ConnectionSettings {
    RedisURI uri;
    List<RedisURI> clusterSeeds;
    String username;
    char[] password;
    RedisClient client;
    RedisClusterClient clusterClient;
    StatefulRedisConnection<String, String> connection;
    StatefulRedisClusterConnection<String, String> clusterConnection;
    Duration commandTimeout = RedisSessionStore.DEFAULT_COMMAND_TIMEOUT;
    Duration connectTimeout = RedisSessionStore.DEFAULT_CONNECT_TIMEOUT;

    /**
     * Checks that exactly one source was given, and that credentials came with a URI and a user with a password.
     *
     * @throws IllegalStateException if not
     */
    void check() {
        int sources = (uri != null ? 1 : 0) + (clusterSeeds != null ? 1 : 0) + (client != null ? 1 : 0)
                + (clusterClient != null ? 1 : 0) + (connection != null ? 1 : 0) + (clusterConnection != null ? 1 : 0);
        if (sources != 1) {
            throw new IllegalStateException("give exactly one of uri(...), clusterUris(...), client(...) and "
                    + "connection(...); got " + sources);
        }
        if ((username != null || password != null) && uri == null && clusterSeeds == null) {
            throw new IllegalStateException("username(...) and password(...) apply to uri(...) and clusterUris(...);"
                    + " configure an application client or connection yourself");
        }
        if (username != null && password == null) {
            throw new IllegalStateException("username(...) needs password(...)");
        }
    }

    /**
     * Checks that the change bus can open its pub/sub connection: it needs a client, not an application connection.
     *
     * @throws IllegalStateException if an application connection was given
     */
    void checkChangeBus() {
        if (connection != null || clusterConnection != null) {
            throw new IllegalStateException("changeBus(true) opens its own pub/sub connection on a client: use "
                    + "uri(...), clusterUris(...) or client(...) instead of connection(...)");
        }
    }

    /** Whether the source is a Redis Cluster. */
    boolean cluster() {
        return clusterSeeds != null || clusterClient != null || clusterConnection != null;
    }

    /** Makes the store's connection on the source (after {@link #check()}); the store then connects it. */
    RedisConnection open() {
        if (uri != null) {
            return RedisClients.standalone(withCredentials(uri), connectTimeout, commandTimeout);
        }
        if (clusterSeeds != null) {
            List<RedisURI> seeds = new ArrayList<>();
            for (RedisURI seed : clusterSeeds) {
                seeds.add(withCredentials(seed));
            }
            return RedisClients.cluster(seeds, connectTimeout, commandTimeout);
        }
        if (client != null) {
            return RedisClients.onClient(client, commandTimeout);
        }
        if (clusterClient != null) {
            return RedisClients.onClient(clusterClient, commandTimeout);
        }
        if (connection != null) {
            return RedisClients.onConnection(connection, commandTimeout);
        }
        return RedisClients.onConnection(clusterConnection, commandTimeout);
    }

    /**
     * A copy of {@code base} with the configured credentials, if any (the password array is copied too). Lettuce's
     * {@code RedisURI.builder(RedisURI)} does not copy a Sentinel URI's sentinels and master id (its build then
     * fails: no host): they are copied here.
     */
    private RedisURI withCredentials(RedisURI base) {
        RedisURI.Builder b = RedisURI.builder(base);
        if (!base.getSentinels().isEmpty()) {
            b.withSentinelMasterId(base.getSentinelMasterId());
            for (RedisURI sentinel : base.getSentinels()) {
                b.withSentinel(RedisURI.builder(sentinel).build());
            }
        }
        RedisURI u = b.build();
        if (password != null && username != null) {
            u.setAuthentication(username, password.clone());
        } else if (password != null) {
            u.setAuthentication(password.clone());
        }
        return u;
    }
}
