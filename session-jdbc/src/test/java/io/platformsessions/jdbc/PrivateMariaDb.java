package io.platformsessions.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A MariaDB server of a test's own ({@code mariadb-install-db} into a temporary directory, a free loopback port,
 * never the shared server on 3306), for tests that stop, kill, signal or restart the server. Needs
 * {@code mariadbd} and {@code mariadb-install-db} ({@code /usr/sbin}, {@code /usr/bin}); {@link #start()} skips
 * the test loudly without them. InnoDB keeps its defaults that matter for durability (a commit is flushed to the
 * redo log); the buffer pool is small so that a start takes well under a second. {@link #close()} kills the
 * server and deletes its directory. Not thread-safe: one test drives it.
 */
final class PrivateMariaDb implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private final boolean root = "root".equals(System.getProperty("user.name"));
    private Path dir;
    private Path server;
    private int port;
    private Process process;
    /** Whether {@link #signal} stopped the server (SIGSTOP) and it still needs SIGCONT. */
    private boolean stopped;

    /** Creates and starts the server; returns its JDBC URL (database {@code test}, user {@code root}, no password). */
    String start() throws Exception {
        server = binary("mariadbd", "/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin");
        Path installDb = binary("mariadb-install-db", "/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin");
        dir = Files.createTempDirectory("ps-private-mariadb-");
        List<String> install = new ArrayList<>(List.of(installDb.toString(), "--no-defaults", "--datadir=" + data(),
                "--auth-root-authentication-method=normal", "--skip-test-db"));
        if (root) {
            install.add("--user=root");
        }
        ServerProcesses.run(install, log());
        port = ServerProcesses.freePort();
        startAgain();
        try (Connection c = DriverManager.getConnection(url("")); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE test");
        }
        return url("test");
    }

    /** Shuts the server down cleanly (SIGTERM: connections are closed, InnoDB flushes); {@link #startAgain()} brings it back. */
    void stopServer() throws Exception {
        process.destroy();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("mariadbd shut down within 60 s (see %s)", serverLog())
                .isTrue();
        process = null;
    }

    /** Kills the server (SIGKILL: a crash, InnoDB recovers from its redo log on the next start). */
    void killServer() throws Exception {
        process.destroyForcibly();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("mariadbd killed").isTrue();
        process = null;
    }

    /** Starts the stopped server again, on the same port, and waits until it accepts a login (at most 60 s). */
    void startAgain() throws Exception {
        List<String> command = new ArrayList<>(List.of(server.toString(), "--no-defaults", "--datadir=" + data(),
                "--port=" + port, "--bind-address=127.0.0.1", "--socket=" + dir.resolve("mysqld.sock"),
                "--pid-file=" + dir.resolve("mysqld.pid"), "--innodb-buffer-pool-size=32M", "--skip-log-bin",
                "--skip-name-resolve", "--log-error=" + serverLog()));
        if (root) {
            command.add("--user=root");
        }
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try (Connection c = DriverManager.getConnection(url("") + "&connectTimeout=2000")) {
                return;
            } catch (SQLException notYet) {
                assertThat(process.isAlive()).as("mariadbd is running (see %s)", serverLog()).isTrue();
                assertThat(System.nanoTime() - deadline).as("mariadbd accepts logins within %s (see %s)",
                        START_TIMEOUT, serverLog()).isNegative();
                Thread.sleep(50);
            }
        }
    }

    /** Sends {@code SIG<name>} to this server's process (and any process under it), never to anything else. */
    void signal(String name) throws Exception {
        ServerProcesses.signalTree(process.pid(), name, log());
        stopped = name.equals("STOP");
    }

    /** The server's process id, or -1 while it is stopped. */
    long pid() {
        return process == null ? -1 : process.pid();
    }

    @Override
    public void close() throws Exception {
        try {
            if (process != null) {
                if (stopped) {
                    signal("CONT");
                }
                killServer(); // its data are deleted next: nothing to shut down cleanly for
            }
        } finally {
            ServerProcesses.deleteTree(dir);
            dir = null;
        }
    }

    private String url(String database) {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + database + "?user=root";
    }

    private String data() {
        return dir.resolve("data").toString();
    }

    private Path log() {
        return dir.resolve("commands.log");
    }

    private Path serverLog() {
        return dir.resolve("mariadbd.err");
    }

    private static Path binary(String name, String... dirs) {
        for (String d : dirs) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        ServerProcesses.skipWithout("MariaDB's " + name + " (looked in " + String.join(", ", dirs)
                + ") for a server of its own");
        throw new AssertionError("unreachable");
    }
}
