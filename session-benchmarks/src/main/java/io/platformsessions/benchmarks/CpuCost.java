package io.platformsessions.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * Diagnostic for a crowded machine: runs each operation single-threaded for a fixed time and reports,
 * besides wall-clock ops/s, the calling thread's CPU microseconds per operation. On embedded H2 all the
 * work happens on that thread, so CPU time per operation barely moves when other processes steal the
 * cores, while wall-clock throughput does. (On PostgreSQL the server's work is in another process and
 * not counted.) Not thread-safe; run alone.
 */
final class CpuCost {
    private CpuCost() {
    }

    /**
     * One measurement.
     * @param op operation label
     * @param lib library
     * @param calls calls made
     * @param wallOpsPerSecond calls per wall-clock second
     * @param cpuMicrosPerOp calling thread's CPU time per call, microseconds
     */
    record Line(String op, String lib, long calls, double wallOpsPerSecond, double cpuMicrosPerOp) {
    }

    /**
     * Measures every operation of both libraries on a database.
     * @param db the database
     * @param seconds measuring time per operation and library (after as long again of warm-up)
     * @return the lines
     */
    static List<Line> measure(Db db, double seconds) {
        List<Line> out = new ArrayList<>();
        for (String lib : List.of("ours", "spring")) {
            try (Db.Pool pool = db.open(Parallel.THREADS + 2); Subject s = Subjects.open(lib, pool, pool.ds(), true)) {
                s.prepareActive(2_000, 200);
                pool.analyze();
                long[] n = {0};
                out.add(run(Ops.CREATE, lib, seconds, i -> s.create(n[0]++)));
                out.add(run(Ops.REQUEST_CACHE_ON, lib, seconds, s::requestCycle));
                out.add(run(Ops.SWITCH, lib, seconds, s::switchPlatform));
                out.add(run(Ops.LIST, lib, seconds, s::listSessions));
            }
        }
        try (Db.Pool pool = db.open(Parallel.THREADS + 2); Subject s = Subjects.open("ours", pool, pool.ds(), false)) {
            s.prepareActive(2_000, 200);
            pool.analyze();
            out.add(run(Ops.REQUEST_CACHE_OFF, "ours", seconds, s::requestCycle));
        }
        return out;
    }

    private static Line run(String op, String lib, double seconds, IntFunction<Object> call) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long budget = (long) (seconds * 1e9);
        int i = 0;
        long end = System.nanoTime() + budget;
        while (System.nanoTime() < end) {
            call.apply(i++);
        }
        long calls = 0;
        long cpu0 = mx.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        end = t0 + budget;
        while (System.nanoTime() < end) {
            call.apply(i++);
            calls++;
        }
        long wall = System.nanoTime() - t0;
        long cpu = mx.getCurrentThreadCpuTime() - cpu0;
        return new Line(op, lib, calls, calls / (wall / 1e9), cpu / 1e3 / calls);
    }

    static String render(Db db, List<Line> lines) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "%nCPU cost per operation on %s (calling thread only, single-threaded):%n%n"
                        + "| operation | library | calls | wall ops/s | CPU us/op |%n| --- | --- | ---: | ---: | ---: |%n",
                db.label()));
        for (Line l : lines) {
            b.append(String.format(Locale.ROOT, "| %s | %s | %,d | %,.0f | %,.1f |%n", l.op(), l.lib(), l.calls(),
                    l.wallOpsPerSecond(), l.cpuMicrosPerOp()));
        }
        return b.toString();
    }
}
