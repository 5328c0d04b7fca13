package io.platformsessions.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
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
 * A PostgreSQL cluster of a test's own (initdb into a temporary directory, a free port, never the shared server),
 * for tests that stop, signal or restart the server. Needs PostgreSQL's server binaries
 * ({@code /usr/lib/postgresql/<version>/bin}); {@link #start()} skips the test loudly without them. {@link #close()}
 * stops the cluster and deletes it.
 */
final class PrivatePostgres implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PrivatePostgres.class);

    private final boolean root = "root".equals(System.getProperty("user.name"));
    private Path dir;
    private Path bin;
    private int port;
    private long postmaster = -1;
    /** Whether {@link #signal} stopped the processes (SIGSTOP) and they still need SIGCONT. */
    private boolean stopped;

    /** Creates and starts the cluster; returns its JDBC URL (database {@code postgres}, user {@code postgres}). */
    String start() throws Exception {
        bin = serverBinaries();
        dir = Files.createTempDirectory("ps-private-pg-");
        if (root) {
            run(List.of("chown", "postgres:postgres", dir.toString()));
        }
        run(asPostgres(bin.resolve("initdb").toString(), "-D", data(), "-A", "trust", "-U", "postgres", "--no-sync"));
        port = freePort();
        pgCtl("start");
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    /** Stops the server (fast shutdown: every connection is closed); {@link #startAgain()} brings it back. */
    void stopServer() throws Exception {
        run(asPostgres(bin.resolve("pg_ctl").toString(), "-D", data(), "-m", "fast", "-w", "stop"));
        postmaster = -1;
    }

    /** Starts the stopped server again, on the same port. */
    void startAgain() throws Exception {
        pgCtl("start");
    }

    /** Sends {@code SIG<name>} to this cluster's postmaster and every process under it, never to anything else. */
    void signal(String name) throws Exception {
        // The postmaster first: once it is stopped it forks no backend, so the list below misses none (a pool
        // opens connections in the background; a backend forked between listing and signalling would stay live).
        run(List.of("kill", "-" + name, String.valueOf(postmaster)));
        for (ProcessHandle backend : ProcessHandle.of(postmaster).orElseThrow().descendants().toList()) {
            // A backend may exit between listing and signalling (a connection the pool closed): only a live one
            // that could not be signalled is a failure.
            if (exitCode(List.of("kill", "-" + name, String.valueOf(backend.pid()))) != 0) {
                assertThat(backend.isAlive()).as("backend %d could not be sent SIG%s but is alive", backend.pid(), name)
                        .isFalse();
            }
        }
        stopped = name.equals("STOP");
    }

    @Override
    public void close() throws Exception {
        if (postmaster > 0) {
            if (stopped) {
                signal("CONT");
            }
            run(asPostgres(bin.resolve("pg_ctl").toString(), "-D", data(), "-m", "immediate", "-w", "stop"));
            postmaster = -1;
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void pgCtl(String action) throws Exception {
        run(asPostgres(bin.resolve("pg_ctl").toString(), "-D", data(), "-l", dir.resolve("log").toString(), "-w",
                "-t", "60", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", action));
        postmaster = Long.parseLong(Files.readAllLines(dir.resolve("data/postmaster.pid")).get(0).strip());
    }

    private String data() {
        return dir.resolve("data").toString();
    }

    private static Path serverBinaries() throws IOException {
        Path base = Path.of("/usr/lib/postgresql");
        Path found = null;
        if (Files.isDirectory(base)) {
            try (Stream<Path> versions = Files.list(base)) {
                found = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                        .max(Comparator.naturalOrder()).orElse(null);
            }
        }
        if (found == null) {
            String message = "SKIPPED: this test needs PostgreSQL's server binaries "
                    + "(/usr/lib/postgresql/<version>/bin/initdb) for a cluster of its own";
            LOG.warn(message);
            Assumptions.abort(message);
        }
        return found;
    }

    private List<String> asPostgres(String... command) {
        List<String> out = new ArrayList<>();
        if (root) {
            out.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        out.addAll(List.of(command));
        return out;
    }

    private void run(List<String> command) throws Exception {
        assertThat(exitCode(command)).as("%s succeeded (see %s)", command,
                dir == null ? "-" : dir.resolve("commands.log")).isZero();
    }

    private int exitCode(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir == null ? ProcessBuilder.Redirect.DISCARD
                        : ProcessBuilder.Redirect.appendTo(dir.resolve("commands.log").toFile()))
                .start();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
        return p.exitValue();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
