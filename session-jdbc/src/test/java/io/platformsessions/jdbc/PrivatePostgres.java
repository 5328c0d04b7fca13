package io.platformsessions.jdbc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of a test's own (initdb into a temporary directory, a free port, never the shared server),
 * for tests that stop, signal or restart the server. Needs PostgreSQL's server binaries
 * ({@code /usr/lib/postgresql/<version>/bin}); {@link #start()} skips the test loudly without them. {@link #close()}
 * stops the cluster and deletes it.
 */
final class PrivatePostgres implements AutoCloseable {
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
        port = ServerProcesses.freePort();
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
        // the postmaster first (ServerProcesses.signalTree): a pool opens connections in the background, and a
        // backend forked between listing and signalling would stay live
        ServerProcesses.signalTree(postmaster, name, log());
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
        ServerProcesses.deleteTree(dir);
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
            ServerProcesses.skipWithout("PostgreSQL's server binaries (/usr/lib/postgresql/<version>/bin/initdb) "
                    + "for a cluster of its own");
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
        ServerProcesses.run(command, log());
    }

    private Path log() {
        return dir == null ? null : dir.resolve("commands.log");
    }
}
