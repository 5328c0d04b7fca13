package io.platformsessions.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Diagnostic for a crowded machine ({@code --cpu-cost --db=redis}): what each operation costs in CPU, on both
 * sides of the wire, which the machine's load does not change, next to its round trips, which are what an idle
 * machine waits for. Each library runs each operation single-threaded against a private, empty
 * {@code redis-server} (so the server's CPU counter is its alone): wall-clock ops/s, the benchmark JVM's CPU per
 * operation (every thread: caller, Lettuce's event loop, Spring's listener, GC and JIT) and the Redis server's CPU
 * per operation ({@code INFO cpu}). Not thread-safe; run alone.
 */
final class RedisCpuCost {
    private RedisCpuCost() {
    }

    /**
     * One measurement.
     * @param op operation label
     * @param lib library
     * @param wallOpsPerSecond calls per wall-clock second
     * @param jvmMicrosPerOp the benchmark JVM's CPU per call, microseconds
     * @param redisMicrosPerOp the Redis server's CPU per call, microseconds
     */
    record Line(String op, String lib, double wallOpsPerSecond, double jvmMicrosPerOp, double redisMicrosPerOp) {
    }

    /**
     * Measures every operation of every library.
     * @param seconds measuring time per operation and library (after as long again of warm-up)
     * @return the Markdown table
     * @throws UncheckedIOException if no private redis-server can be started
     */
    static String run(double seconds) {
        List<Line> lines = new ArrayList<>();
        String version;
        try (PrivateRedis server = PrivateRedis.start(); RedisTarget.Admin admin = RedisTarget.admin(server.uri())) {
            version = server.version();
            for (String lib : List.of("ours", "ours-nocache", "spring", "spring-indexed")) {
                String prefix = RedisTarget.randomPrefix();
                boolean ours = lib.startsWith("ours");
                try (Subject s = Subjects.openRedis(ours ? "ours" : lib, server.uri(), prefix, !lib.equals("ours-nocache"))) {
                    s.prepareActive(2_000, 200);
                    long[] n = {0};
                    Map<String, IntFunction<Object>> ops = new LinkedHashMap<>();
                    if (!lib.equals("ours-nocache")) {
                        ops.put(Ops.CREATE, i -> s.create(n[0]++));
                        ops.put(ours ? Ops.REQUEST_CACHE_ON : "request cycle", s::requestCycle);
                        ops.put(Ops.SWITCH, s::switchPlatform);
                        if (!lib.equals("spring")) {
                            ops.put(Ops.LIST, s::listSessions);
                        }
                    } else {
                        ops.put(Ops.REQUEST_CACHE_OFF, s::requestCycle);
                    }
                    // warm every operation first: the JIT's compiler threads count as the JVM's CPU too
                    for (IntFunction<Object> op : ops.values()) {
                        InterleavedRatios.slice(op, seconds);
                    }
                    for (Map.Entry<String, IntFunction<Object>> op : ops.entrySet()) {
                        lines.add(measure(op.getKey(), ours ? "ours" : lib, op.getValue(), seconds, admin));
                    }
                }
                admin.deleteKeys(prefix);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("--cpu-cost on Redis needs redis-server (apt-get install redis-server)", e);
        }
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%nCPU per operation on Redis (private, empty "
                + "redis-server %s; one thread; %.0f s per row after every operation was warmed as long; 2,000 live sessions over "
                + "200 users):"
                + "%n%n| operation | library | wall ops/s | JVM CPU us/op | Redis CPU us/op | total CPU us/op |%n"
                + "| --- | --- | ---: | ---: | ---: | ---: |%n", version, seconds));
        for (Line l : lines) {
            b.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %.1f | %.1f | %.1f |%n", l.op(), l.lib(),
                    l.wallOpsPerSecond(), l.jvmMicrosPerOp(), l.redisMicrosPerOp(), l.jvmMicrosPerOp() + l.redisMicrosPerOp()));
        }
        return b.toString();
    }

    private static Line measure(String op, String lib, IntFunction<Object> call, double seconds, RedisTarget.Admin admin) {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long redis0 = PrivateRedis.cpuMicros(admin);
        long jvm0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        long end = t0 + (long) (seconds * 1e9);
        int i = (int) (t0 & 0xffff);
        long calls = 0;
        while (System.nanoTime() < end) {
            call.apply(i++);
            calls++;
        }
        long wall = System.nanoTime() - t0;
        long jvm = os.getProcessCpuTime() - jvm0;
        long redis = PrivateRedis.cpuMicros(admin) - redis0;
        return new Line(op, lib, calls / (wall / 1e9), jvm / 1e3 / calls, (double) redis / calls);
    }
}
