package io.platformsessions.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.platformsessions.spi.SessionRecord;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A really hung PostgreSQL: a cluster of this test's own (initdb into a temporary directory, a free port, never
 * the shared server) whose postmaster and backends are stopped with SIGSTOP under a live store on a default
 * {@link JdbcPool}. Calls fail with a transient error within the network timeout; after SIGCONT the same store
 * works again. Needs PostgreSQL's server binaries ({@code /usr/lib/postgresql/<version>/bin}); skips loudly
 * without them. The cluster is stopped and deleted afterwards.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HungPostgresProcessTest {
    private static final Logger LOG = LoggerFactory.getLogger(HungPostgresProcessTest.class);

    private Path dir;
    private Path bin;
    private long postmaster = -1;

    @Test
    void aStoppedServerFailsCallsWithinTheBoundAndTheStoreRecoversAfterSigcont() throws Exception {
        int port = startCluster();
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
        try (JdbcSessionStore store = JdbcSessionStore.builder().pool(JdbcPool.builder(url).maximumPoolSize(3).build())
                .initializeSchema(true).build()) {
            SessionRecord before = TestRecords.record("alice", TestRecords.T0);
            store.insert(before);

            signal("STOP");
            List<Duration> took = new ArrayList<>();
            took.add(HungDatabaseTest.failsTransientlyWithin(store.networkTimeout(), () -> store.find(before.key())));
            took.add(HungDatabaseTest.failsTransientlyWithin(store.networkTimeout(),
                    () -> store.insertAndCountLive(TestRecords.record("bob", TestRecords.T0), TestRecords.T0)));
            took.add(HungDatabaseTest.failsTransientlyWithin(store.networkTimeout(), () -> store.findByUser("alice")));
            LOG.info("PostgreSQL stopped (SIGSTOP): calls failed after {}", took);

            signal("CONT");
            Duration recovery = HungDatabaseTest.recovers(() -> store.find(before.key()).isPresent());
            LOG.info("PostgreSQL continued (SIGCONT): first successful find after {}", recovery);
            assertThat(store.find(before.key())).as("written before the hang, not lost").contains(before);
        }
    }

    private int startCluster() throws Exception {
        bin = serverBinaries();
        dir = Files.createTempDirectory("ps-hung-pg-");
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            run(List.of("chown", "postgres:postgres", dir.toString()));
        }
        run(asPostgres(root, bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-A", "trust",
                "-U", "postgres", "--no-sync"));
        int port = freePort();
        run(asPostgres(root, bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
                dir.resolve("log").toString(), "-w", "-t", "60", "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start"));
        postmaster = Long.parseLong(Files.readAllLines(dir.resolve("data/postmaster.pid")).get(0).strip());
        return port;
    }

    /** Sends {@code SIG<name>} to this test's postmaster and every process under it, never to anything else. */
    private void signal(String name) throws Exception {
        // The postmaster first: once it is stopped it forks no backend, so the list below misses none (the pool
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
    }

    @AfterEach
    void stopCluster() throws Exception {
        if (postmaster > 0) {
            signal("CONT");
            boolean root = "root".equals(System.getProperty("user.name"));
            run(asPostgres(root, bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m",
                    "immediate", "-w", "stop"));
            postmaster = -1;
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
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
            String message = "SKIPPED: the hung-PostgreSQL test needs PostgreSQL's server binaries "
                    + "(/usr/lib/postgresql/<version>/bin/initdb)";
            LOG.warn(message);
            Assumptions.abort(message);
        }
        return found;
    }

    private static List<String> asPostgres(boolean root, String... command) {
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
