package io.platformsessions.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the tests' private database servers ({@link PrivatePostgres}, {@link PrivateMariaDb}) have in common: a
 * free loopback port, commands whose output goes to a log in the server's temporary directory, signals to a
 * server's processes (never to anything else), a loud skip when the server's binaries are missing, and deleting
 * the temporary directory. Stateless; thread-safe.
 */
final class ServerProcesses {
    private static final Logger LOG = LoggerFactory.getLogger(ServerProcesses.class);

    private ServerProcesses() {
    }

    /** A loopback port that was free just now (the server binds it shortly after; a clash fails its start). */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Skips the running test loudly (a WARN line and a JUnit assumption) because {@code what} is missing. */
    static void skipWithout(String what) {
        String message = "SKIPPED: this test needs " + what;
        LOG.warn(message);
        System.err.println("WARNING: " + message);
        Assumptions.abort(message);
    }

    /** Runs {@code command} (at most 90 s) and asserts it succeeded; its output is appended to {@code log}. */
    static void run(List<String> command, Path log) throws Exception {
        assertThat(exitCode(command, log)).as("%s succeeded (see %s)", command, log == null ? "-" : log).isZero();
    }

    /** Runs {@code command} (at most 90 s); its output is appended to {@code log} (discarded if null). */
    static int exitCode(List<String> command, Path log) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log == null ? ProcessBuilder.Redirect.DISCARD
                        : ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
        return p.exitValue();
    }

    /**
     * Sends {@code SIG<name>} to process {@code pid} first, then to every process under it. The parent first: once
     * it is stopped it forks nothing, so the list misses no child. A child may exit between listing and signalling
     * (a connection closed meanwhile): only a live child that could not be signalled is a failure.
     */
    static void signalTree(long pid, String name, Path log) throws Exception {
        run(List.of("kill", "-" + name, String.valueOf(pid)), log);
        for (ProcessHandle child : ProcessHandle.of(pid).orElseThrow().descendants().toList()) {
            if (exitCode(List.of("kill", "-" + name, String.valueOf(child.pid())), log) != 0) {
                assertThat(child.isAlive()).as("process %d could not be sent SIG%s but is alive", child.pid(), name)
                        .isFalse();
            }
        }
    }

    /** Deletes {@code dir} and everything under it; nothing if null. */
    static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
