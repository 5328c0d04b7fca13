package io.platformsessions.benchmarks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Memory per session for ours and both Spring Session Data Redis repositories:
 * <ul>
 *   <li>Redis, {@code MEMORY USAGE ... SAMPLES 0} (exact) of every key a library wrote for {@value #SESSIONS}
 *   sessions over {@value #USERS} users on the benchmark's Redis, per key kind, divided by the sessions; and the
 *   largest session hash alone;</li>
 *   <li>Redis, the growth of {@code used_memory} per session for the same sessions on a private, empty
 *   {@code redis-server} this class starts on a free loopback port and stops again (the shared server's
 *   {@code used_memory} moves with everyone else's work); skipped, with a note, without {@code redis-server};</li>
 *   <li>JVM heap retained per session by the library in the application: used heap after forced collections,
 *   before and after {@value #HEAP_SESSIONS} creates whose results are dropped (ours keeps them in its cache;
 *   Spring keeps nothing between requests).</li>
 * </ul>
 * Not thread-safe; run alone (the heap figures need a quiet JVM).
 */
final class RedisMemory {
    static final int SESSIONS = 10_000;
    static final int USERS = 1_000;
    static final int HEAP_SESSIONS = 20_000;
    private static final List<String> LIBS = List.of("ours", "spring", "spring-indexed");

    private RedisMemory() {
    }

    /**
     * One library's figures.
     * @param lib the library
     * @param keysPerSession keys written per session (indexes shared by several sessions count as fractions)
     * @param memoryUsagePerSession {@code MEMORY USAGE} of all its keys per session, bytes
     * @param byKind the same, per key kind (for example {@code session hash}), bytes per session
     * @param largestHash the largest session hash, bytes
     * @param usedMemoryPerSession {@code used_memory} growth per session on a private server, bytes; -1 if not measured
     * @param heapPerSession JVM heap retained per session, bytes
     */
    record Result(String lib, double keysPerSession, double memoryUsagePerSession, Map<String, Double> byKind,
                  long largestHash, double usedMemoryPerSession, double heapPerSession) {
    }

    /**
     * Measures every library.
     * @return one result per library, and a note on the private server
     */
    static Outcome measure() {
        PrivateRun run = usedMemoryOnPrivateServer();
        Map<String, double[]> used = run.perLib();
        List<Result> out = new ArrayList<>();
        for (String lib : LIBS) {
            String prefix = RedisTarget.randomPrefix();
            Map<String, Double> byKind = new LinkedHashMap<>();
            long keys = 0;
            long total = 0;
            long largestHash = 0;
            try (Subject s = Subjects.openRedis(lib, prefix, true); RedisTarget.Admin admin = RedisTarget.admin()) {
                s.prepareActive(SESSIONS, USERS);
                for (String key : admin.keys(prefix)) {
                    long bytes = admin.memoryUsage(key);
                    String kind = kind(lib, key.substring(prefix.length()));
                    byKind.merge(kind, (double) bytes, Double::sum);
                    keys++;
                    total += bytes;
                    if (kind.equals("session hash")) {
                        largestHash = Math.max(largestHash, bytes);
                    }
                }
            } finally {
                RedisTarget.deleteKeys(prefix);
            }
            byKind.replaceAll((k, v) -> v / SESSIONS);
            double[] u = used.get(lib);
            out.add(new Result(lib, (double) keys / SESSIONS, (double) total / SESSIONS, byKind, largestHash,
                    u == null ? -1 : u[0], heapPerSession(lib)));
        }
        return new Outcome(out, used.isEmpty() ? "not measured: redis-server is not installed (apt-get install redis-server)"
                : "private, empty redis-server " + run.version());
    }

    /**
     * All results.
     * @param results one per library
     * @param usedMemoryNote where {@code used_memory} was measured
     */
    record Outcome(List<Result> results, String usedMemoryNote) {
    }

    /** {@code used_memory} growth per session per library on the private server, and its version. */
    private record PrivateRun(Map<String, double[]> perLib, String version) {
    }

    /** What a key (after the prefix) is, per library's data model. */
    static String kind(String lib, String key) {
        if (lib.equals("ours")) {
            if (key.startsWith("s:")) {
                return "session hash";
            }
            if (key.startsWith("u:")) {
                return "user index (sorted set)";
            }
            if (key.startsWith("x:")) {
                return "expiry index (sorted set)";
            }
            if (key.startsWith("t:")) {
                return "platform types (set)";
            }
            return "other";
        }
        // Spring's keys are "<namespace>:sessions:<id>", ":sessions:expires:<id>", ":index:...", ":expirations:<min>"
        String k = key.startsWith(":") ? key.substring(1) : key;
        if (k.startsWith("sessions:expires:")) {
            return "expiry shadow key (string)";
        }
        if (k.startsWith("sessions:")) {
            return "session hash";
        }
        if (k.startsWith("index:")) {
            return "principal index (set)";
        }
        if (k.startsWith("expirations:")) {
            return "expirations per minute (set)";
        }
        return "other";
    }

    private static double heapPerSession(String lib) {
        String prefix = RedisTarget.randomPrefix();
        try (Subject s = Subjects.openRedis(lib, prefix, true)) {
            for (int i = 0; i < 500; i++) {
                s.create(50_000_000L + i); // warm the code paths and the connection
            }
            long before = HeapPerSession.usedAfterGc();
            for (int i = 0; i < HEAP_SESSIONS; i++) {
                s.create(i);
            }
            long after = HeapPerSession.usedAfterGc();
            java.lang.ref.Reference.reachabilityFence(s);
            return Math.max(0, (double) (after - before) / HEAP_SESSIONS);
        } finally {
            RedisTarget.deleteKeys(prefix);
        }
    }

    /** {@code used_memory} growth per session per library on a private server; empty without redis-server. */
    private static PrivateRun usedMemoryOnPrivateServer() {
        Map<String, double[]> out = new LinkedHashMap<>();
        try (PrivateRedis server = PrivateRedis.start(); RedisTarget.Admin admin = RedisTarget.admin(server.uri())) {
            for (String lib : LIBS) {
                String prefix = RedisTarget.randomPrefix();
                try (Subject s = Subjects.openRedis(lib, server.uri(), prefix, true)) {
                    s.create(90_000_000L); // scripts loaded, connections open
                    long before = admin.usedMemory();
                    s.prepareActive(SESSIONS, USERS);
                    long after = admin.usedMemory();
                    out.put(lib, new double[] {(double) (after - before) / SESSIONS});
                }
                admin.deleteKeys(prefix);
            }
            return new PrivateRun(out, server.version());
        } catch (IOException e) {
            System.err.println("WARN: used_memory per session SKIPPED: cannot start a private redis-server (" + e.getMessage()
                    + "); install it with apt-get install redis-server");
            return new PrivateRun(Map.of(), "?");
        }
    }

    /**
     * The Markdown section.
     * @param o the outcome
     * @return the text
     */
    static String render(Outcome o) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%nMemory per session (%,d sessions over %,d users; Redis bytes are MEMORY USAGE "
                + "SAMPLES 0 of every key the library wrote, divided by the sessions; used_memory growth on a %s; heap: "
                + "used JVM heap after forced GC, before and after %,d creates):%n%n", SESSIONS, USERS, o.usedMemoryNote(),
                HEAP_SESSIONS));
        b.append("| library | keys/session | Redis MEMORY USAGE/session | of which | largest session hash | "
                + "Redis used_memory growth/session | JVM heap retained/session |\n");
        b.append("| --- | ---: | ---: | --- | ---: | ---: | ---: |\n");
        for (Result r : o.results()) {
            StringBuilder kinds = new StringBuilder();
            r.byKind().forEach((k, v) -> kinds.append(kinds.length() == 0 ? "" : "; ")
                    .append(k).append(String.format(Locale.ROOT, " %,.0f B", v)));
            b.append(String.format(Locale.ROOT, "| %s | %.2f | %,.0f B | %s | %,d B | %s | %,.0f B |%n", label(r.lib()),
                    r.keysPerSession(), r.memoryUsagePerSession(), kinds, r.largestHash(),
                    r.usedMemoryPerSession() < 0 ? "n/a" : String.format(Locale.ROOT, "%,.0f B", r.usedMemoryPerSession()),
                    r.heapPerSession()));
        }
        return b.toString();
    }

    /**
     * A library's name for tables.
     * @param lib {@code ours}, {@code spring} or {@code spring-indexed}
     * @return the label
     */
    static String label(String lib) {
        return switch (lib) {
            case "ours" -> "ours (RedisSessionStore)";
            case "spring" -> "Spring RedisSessionRepository (default)";
            case "spring-indexed" -> "Spring RedisIndexedSessionRepository";
            default -> lib;
        };
    }
}
