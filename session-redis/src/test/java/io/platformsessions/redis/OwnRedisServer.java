package io.platformsessions.redis;

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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
        List<String> cmd = new ArrayList<>(List.of("redis-server", "--bind", "127.0.0.1", "--save", "",
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
            if (Files.readString(dir.resolve("redis.log")).contains("Ready to accept connections")) {
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
