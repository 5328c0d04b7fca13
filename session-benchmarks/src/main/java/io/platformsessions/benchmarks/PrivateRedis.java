package io.platformsessions.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;

/**
 * A private, empty {@code redis-server} on a free loopback port, without persistence, for measurements the
 * shared server cannot give cleanly ({@code used_memory} and server CPU move with everyone else's work there).
 * Started and stopped by this class only (its own process). Not thread-safe.
 */
final class PrivateRedis implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final String uri;
    private final String version;

    private PrivateRedis(Process process, Path dir, String uri, String version) {
        this.process = process;
        this.dir = dir;
        this.uri = uri;
        this.version = version;
    }

    /**
     * Starts a server and waits until it answers.
     * @return the server; close it to stop it
     * @throws IOException if {@code redis-server} is not installed or does not answer within 10 s
     */
    static PrivateRedis start() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path dir = Files.createTempDirectory("psbench-redis");
        Process p;
        try {
            p = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            deleteTree(dir);
            throw e;
        }
        String uri = "redis://127.0.0.1:" + port;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (RedisTarget.Admin a = RedisTarget.admin(uri)) {
                String version = "?";
                for (String line : a.commands().info("server").split("\r?\n")) {
                    if (line.startsWith("redis_version:")) {
                        version = line.substring("redis_version:".length()).trim();
                    }
                }
                return new PrivateRedis(p, dir, uri, version);
            } catch (RuntimeException e) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        p.destroy();
        deleteTree(dir);
        throw new IOException("private redis-server did not answer within 10 s");
    }

    /**
     * Its URI.
     * @return {@code redis://127.0.0.1:<port>}
     */
    String uri() {
        return uri;
    }

    /**
     * Its version.
     * @return for example {@code 7.0.15}
     */
    String version() {
        return version;
    }

    /**
     * CPU time the server has used so far ({@code used_cpu_sys + used_cpu_user} of {@code INFO cpu}).
     * @param admin a connection to this server
     * @return microseconds
     */
    static long cpuMicros(RedisTarget.Admin admin) {
        double seconds = 0;
        for (String line : admin.commands().info("cpu").split("\r?\n")) {
            if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
                seconds += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return Math.round(seconds * 1e6);
    }

    /** Stops the server (its own process only) and deletes its directory. */
    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteTree(dir);
    }

    private static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temporary directory; nothing else to do
        }
    }
}
