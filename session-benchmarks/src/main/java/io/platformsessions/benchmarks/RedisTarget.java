package io.platformsessions.benchmarks;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The Redis the Redis rows run on: {@value #URI_ENV} (system property first, then environment), by default
 * {@code redis://127.0.0.1:6379}, the same server for both libraries. Every subject gets a fresh random key
 * prefix (ours) or namespace (Spring), and {@link #deleteKeys(String)} removes what it wrote afterwards (a
 * benchmark-only {@code SCAN}; neither library scans). Nothing here runs {@code FLUSHALL}, {@code FLUSHDB} or
 * {@code CONFIG}. Thread-safe (each call opens and closes its own connection).
 */
final class RedisTarget {
    /** Environment variable (or system property) naming the Redis, as for the session-redis tests. */
    static final String URI_ENV = "PS_TEST_REDIS_URI";
    /** Where Redis is when {@value #URI_ENV} is unset. */
    static final String DEFAULT_URI = "redis://127.0.0.1:6379";
    private static final SecureRandom RANDOM = new SecureRandom();

    private RedisTarget() {
    }

    /**
     * The Redis URI.
     * @return {@value #URI_ENV}, else {@value #DEFAULT_URI}
     */
    static String uri() {
        String uri = System.getProperty(URI_ENV);
        if (uri == null || uri.isBlank()) {
            uri = System.getenv(URI_ENV);
        }
        return uri == null || uri.isBlank() ? DEFAULT_URI : uri.trim();
    }

    /**
     * Whether Redis answers {@code PING} within a second.
     * @return {@code true} if it does
     */
    static boolean available() {
        try (Admin a = admin()) {
            return "PONG".equals(a.commands().ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * The server's version, for the report.
     * @return for example {@code Redis 7.0.15}, or {@code unknown (...)}
     */
    static String version() {
        try (Admin a = admin()) {
            for (String line : a.commands().info("server").split("\r?\n")) {
                if (line.startsWith("redis_version:")) {
                    return "Redis " + line.substring("redis_version:".length()).trim();
                }
            }
            return "Redis (version unknown)";
        } catch (RuntimeException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /**
     * A fresh key prefix for ours, such as {@code psbench1a2b3c4d5e6f:}; also the Spring namespace (without the colon).
     * @return the prefix, ending with a colon
     */
    static String randomPrefix() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return "psbench" + HexFormat.of().formatHex(b) + ":";
    }

    /**
     * Deletes every key starting with {@code prefix} ({@code SCAN MATCH} + {@code UNLINK}).
     * @param prefix a prefix from {@link #randomPrefix()}
     * @return how many keys were deleted
     * @throws IllegalArgumentException if the prefix is not one of ours (refuses to delete foreign keys)
     */
    static long deleteKeys(String prefix) {
        if (!prefix.startsWith("psbench") || prefix.length() < 12) {
            throw new IllegalArgumentException("refusing to delete keys outside a benchmark prefix: " + prefix);
        }
        try (Admin a = admin()) {
            return a.deleteKeys(prefix);
        }
    }

    /**
     * Opens an administrative connection (for set-up, inspection and clean-up; never timed).
     * @return the connection; close it
     */
    static Admin admin() {
        return admin(uri());
    }

    /**
     * Opens an administrative connection to a given Redis.
     * @param uri the Redis URI
     * @return the connection; close it
     */
    static Admin admin(String uri) {
        RedisURI u = RedisURI.create(uri);
        u.setTimeout(Duration.ofSeconds(10));
        RedisClient client = RedisClient.create(u);
        try {
            return new Admin(client, client.connect());
        } catch (RuntimeException e) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            throw e;
        }
    }

    /**
     * A plain Lettuce connection for benchmark set-up and inspection. Not for concurrent use.
     * @param client the client (owned)
     * @param connection the connection (owned)
     */
    record Admin(RedisClient client, StatefulRedisConnection<String, String> connection) implements AutoCloseable {

        /**
         * Synchronous commands.
         * @return the commands
         */
        RedisCommands<String, String> commands() {
            return connection.sync();
        }

        /**
         * The keys starting with {@code prefix}.
         * @param prefix the prefix
         * @return the keys (SCAN, benchmark-only)
         */
        List<String> keys(String prefix) {
            List<String> out = new ArrayList<>();
            ScanArgs args = ScanArgs.Builder.matches(prefix + "*").limit(1_000);
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = commands().scan(cursor, args);
                out.addAll(page.getKeys());
                cursor = page;
            } while (!cursor.isFinished());
            return out;
        }

        long deleteKeys(String prefix) {
            List<String> keys = keys(prefix);
            long n = 0;
            for (int i = 0; i < keys.size(); i += 500) {
                n += commands().unlink(keys.subList(i, Math.min(keys.size(), i + 500)).toArray(String[]::new));
            }
            return n;
        }

        /**
         * {@code MEMORY USAGE key SAMPLES 0} (exact, every element counted).
         * @param key the key
         * @return bytes, 0 if the key is gone
         */
        long memoryUsage(String key) {
            Long n = commands().dispatch(CommandType.MEMORY, new IntegerOutput<>(StringCodec.UTF8),
                    new CommandArgs<>(StringCodec.UTF8).add("USAGE").addKey(key).add("SAMPLES").add(0));
            return n == null ? 0 : n;
        }

        /**
         * {@code used_memory} from {@code INFO memory}.
         * @return bytes
         */
        long usedMemory() {
            for (String line : commands().info("memory").split("\r?\n")) {
                if (line.startsWith("used_memory:")) {
                    return Long.parseLong(line.substring("used_memory:".length()).trim());
                }
            }
            throw new IllegalStateException("INFO memory has no used_memory");
        }

        @Override
        public void close() {
            try {
                connection.close();
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            }
        }
    }
}
