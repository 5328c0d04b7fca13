package io.platformsessions.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.sentinel.api.sync.RedisSentinelCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private {@code redis-server} on a free loopback port, without persistence, for tests that stop, restart or
 * reconfigure Redis (never the shared server). Skips loudly when {@code redis-server} is not installed.
 */
final class OwnRedisServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OwnRedisServer.class);

    final int port;
    private final Path dir;
    private final List<String> extraArgs;
    /** A configuration file given before the options (a sentinel needs one it can rewrite), or {@code null}. */
    private Path configFile;
    private Process process;

    private OwnRedisServer(int port, List<String> extraArgs) throws IOException {
        this.port = port;
        this.extraArgs = extraArgs;
        this.dir = Files.createTempDirectory("ps-redis-test");
    }

    /** Starts a server on a free port; {@code extraArgs} are more {@code redis-server} options. */
    static OwnRedisServer launch(String... extraArgs) throws IOException {
        requireRedisServer();
        return started(new OwnRedisServer(freePort(), List.of(extraArgs)));
    }

    /** Starts a server on a given port (for a client that was pointed there before). */
    static OwnRedisServer launchOn(int port, String... extraArgs) throws IOException {
        requireRedisServer();
        return started(new OwnRedisServer(port, List.of(extraArgs)));
    }

    /**
     * Starts a server on a free port with a configuration file holding {@code config} (written into the server's
     * directory and passed before the options), for example a sentinel's ({@code extraArgs} then has
     * {@code --sentinel}; the sentinel rewrites the file).
     */
    static OwnRedisServer launchWithConfig(String config, String... extraArgs) throws IOException {
        requireRedisServer();
        OwnRedisServer s = new OwnRedisServer(freePort(), List.of(extraArgs));
        s.configFile = s.dir.resolve("redis.conf");
        Files.writeString(s.configFile, config);
        return started(s);
    }

    /** Starts {@code s}; if it does not come up, stops it and deletes its directory before rethrowing. */
    private static OwnRedisServer started(OwnRedisServer s) throws IOException {
        try {
            s.start();
            return s;
        } catch (IOException | RuntimeException e) {
            try {
                s.close();
            } catch (InterruptedException | IOException | RuntimeException suppressed) {
                if (suppressed instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Skips the calling test (loudly) when {@code redis-server} is not on the PATH. */
    static void requireRedisServer() {
        try {
            Process p = new ProcessBuilder("redis-server", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() == 0) {
                return;
            }
        } catch (IOException e) {
            // fall through to the skip
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String message = "SKIPPED: this test starts its own redis-server, which is not installed (apt-get install redis-server)";
        LOG.warn(message);
        System.err.println("WARNING: " + message);
        Assumptions.abort(message);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** (Re)starts the process on the same port; with no persistence it comes back empty. */
    void start() throws IOException {
        List<String> cmd = new ArrayList<>(List.of("redis-server"));
        if (configFile != null) {
            cmd.add(configFile.toString());
        }
        cmd.addAll(List.of("--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", dir.toString()));
        boolean tls = extraArgs.contains("--tls-port");
        cmd.add("--port");
        cmd.add(tls ? "0" : Integer.toString(port));
        if (tls) {
            List<String> args = new ArrayList<>(extraArgs);
            args.set(args.indexOf("--tls-port") + 1, Integer.toString(port));
            cmd.addAll(args);
        } else {
            cmd.addAll(extraArgs);
        }
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            String log = Files.readString(dir.resolve("redis.log"));
            // a sentinel does not say "Ready": it says its ID once it listens
            if (log.contains("Ready to accept connections") || log.contains("Sentinel ID is")) {
                return;
            }
            if (!process.isAlive()) {
                break;
            }
            sleep(20);
        }
        throw new IOException("redis-server did not start: " + Files.readString(dir.resolve("redis.log")));
    }

    /** Kills the process (no shutdown save: it has no persistence anyway) and waits until it is gone. */
    void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            process = null;
        }
    }

    /** Kills the process with SIGKILL (a crash: no shutdown, no goodbye to a cluster) and waits until it is gone. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor();
            process = null;
        }
    }

    /** Sends one inline command over plain TCP (no client library) and returns the first reply line. */
    String command(String inline) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = s.getOutputStream();
            out.write((inline + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                line.append((char) c);
            }
            return line.toString().trim();
        }
    }

    /** Runs {@code action} on a plain Lettuce connection to this server; empty if it does not answer. */
    <T> Optional<T> on(Function<RedisCommands<String, String>, T> action) {
        return probe(RedisClient::connect, c -> action.apply(c.sync()));
    }

    /** Runs {@code action} on a Lettuce sentinel connection to this server (a sentinel); empty if it does not answer. */
    <T> Optional<T> onSentinel(Function<RedisSentinelCommands<String, String>, T> action) {
        return probe(RedisClient::connectSentinel, c -> action.apply(c.sync()));
    }

    /** A short-lived client and connection of the given kind (5 s timeout), closed afterwards; empty on any failure. */
    private <C extends StatefulConnection<String, String>, T> Optional<T> probe(Function<RedisClient, C> connect,
                                                                               Function<C, T> action) {
        RedisURI uri = RedisURI.create(uri());
        uri.setTimeout(Duration.ofSeconds(5));
        RedisClient client = RedisClient.create(uri);
        try (C c = connect.apply(client)) {
            return Optional.ofNullable(action.apply(c));
        } catch (RuntimeException e) {
            return Optional.empty();
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    /**
     * Closes every server in {@code servers} (killed ones are already gone), even when one fails, and empties the
     * list; rethrows the first failure with the others suppressed.
     */
    static void closeAll(List<OwnRedisServer> servers) throws InterruptedException, IOException {
        Exception first = null;
        for (OwnRedisServer sv : servers) {
            try {
                sv.close();
            } catch (InterruptedException | IOException | RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        servers.clear();
        if (first instanceof InterruptedException ie) {
            throw ie;
        }
        if (first instanceof IOException io) {
            throw io;
        }
        if (first != null) {
            throw (RuntimeException) first;
        }
    }

    Path dir() {
        return dir;
    }

    /** Stops the process, then deletes the directory this server created (its log and any files in it). */
    @Override
    public void close() throws InterruptedException, IOException {
        stop();
        deleteTree(dir);
    }

    /** Deletes {@code root} and everything under it (files first); nothing outside it. */
    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
