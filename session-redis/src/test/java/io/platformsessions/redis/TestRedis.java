package io.platformsessions.redis;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.api.StatefulRedisConnection;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Redis servers the tests run against, fresh key prefixes so runs never collide, and key clean-up. */
final class TestRedis {
    /** URI of a single Redis node, for example {@code redis://127.0.0.1:6379}. */
    static final String URI_ENV = "PS_TEST_REDIS_URI";
    /** URI of one node of a Redis Cluster, for example {@code redis://127.0.0.1:7101} (see .ci/redis-cluster.sh). */
    static final String CLUSTER_ENV = "PS_TEST_REDIS_CLUSTER_URI";

    private static final Logger LOG = LoggerFactory.getLogger(TestRedis.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestRedis() {
    }

    enum Target {
        SINGLE(URI_ENV, "redis://127.0.0.1:6379"), CLUSTER(CLUSTER_ENV, "redis://127.0.0.1:7101");

        final String env;
        final String example;
        private volatile Admin admin;

        Target(String env, String example) {
            this.env = env;
            this.example = example;
        }

        /** The URI, or a loud skip (JUnit assumption plus a WARN line) when the variable is unset. */
        String uri() {
            String uri = System.getenv(env);
            if (uri == null || uri.isBlank()) {
                String message = "SKIPPED: " + this + " Redis tests need a server; set " + env + " (for example "
                        + example + (this == CLUSTER ? ", started by .ci/redis-cluster.sh" : "") + ")";
                LOG.warn(message);
                System.err.println("WARNING: " + message);
                Assumptions.abort(message);
            }
            return uri;
        }

        /**
         * A store builder pointed at this server, with a fresh key prefix and a command timeout of 5 s: these tests
         * check behaviour, not latency, and share the server and 2 cores with other suites (the 1 s default timed out
         * under that load). The timeout tests set their own.
         */
        RedisSessionStore.Builder builder() {
            RedisSessionStore.Builder b = RedisSessionStore.builder().keyPrefix(randomPrefix())
                    .commandTimeout(Duration.ofSeconds(5));
            return this == CLUSTER ? b.clusterUris(uri()) : b.uri(uri());
        }

        /** Deletes every key under {@code prefix} (SCAN, test code only) and returns how many there were. */
        int deleteKeys(String prefix) {
            return admin().deleteKeys(prefix + "*");
        }

        /** Sync commands on this server for tests that inspect or damage keys (a cluster-routing connection on a cluster). */
        RedisClusterCommands<String, String> commands() {
            return admin().commands;
        }

        private synchronized Admin admin() {
            if (admin == null) {
                admin = new Admin(this == CLUSTER, uri());
                Runtime.getRuntime().addShutdownHook(new Thread(admin::close));
            }
            return admin;
        }
    }

    /** A random key prefix such as {@code t1a2b3c4d:}. */
    static String randomPrefix() {
        byte[] b = new byte[4];
        RANDOM.nextBytes(b);
        return "t" + HexFormat.of().formatHex(b) + ":";
    }

    /** A plain Lettuce client for test set-up and inspection. */
    private static final class Admin {
        final RedisClient client;
        final RedisClusterClient clusterClient;
        final RedisClusterCommands<String, String> commands;

        Admin(boolean cluster, String uri) {
            if (cluster) {
                clusterClient = RedisClusterClient.create(uri);
                client = null;
                StatefulRedisClusterConnection<String, String> c = clusterClient.connect();
                commands = c.sync();
            } else {
                client = RedisClient.create(uri);
                clusterClient = null;
                StatefulRedisConnection<String, String> c = client.connect();
                commands = c.sync();
            }
        }

        int deleteKeys(String pattern) {
            int n = 0;
            ScanArgs args = ScanArgs.Builder.matches(pattern).limit(1000);
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = commands instanceof RedisAdvancedClusterCommands<String, String> cc
                        ? cc.scan(cursor, args) : ((io.lettuce.core.api.sync.RedisCommands<String, String>) commands)
                        .scan(cursor, args);
                List<String> keys = page.getKeys();
                for (String k : keys) {
                    n += (int) (long) commands.del(k);
                }
                cursor = page;
            } while (!cursor.isFinished());
            return n;
        }

        void close() {
            Duration zero = Duration.ZERO;
            if (client != null) {
                client.shutdown(zero, Duration.ofSeconds(1));
            }
            if (clusterClient != null) {
                clusterClient.shutdown(zero, Duration.ofSeconds(1));
            }
        }
    }
}
