package io.platformsessions.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Diagnostic ({@code --interleaved}): single-threaded write operations of both libraries on one pool and one
 * database, alternating in short slices for many rounds, so that both see the same machine and database load
 * (a JMH row runs each library in its own fork, tens of seconds apart; on a shared machine that alone moves
 * a ratio by 2x). Reports per operation the median throughput of each and the median, lowest and highest of
 * the per-round ratios. Not thread-safe; run alone.
 */
final class InterleavedRatios {
    private static final double SLICE_SECONDS = 0.5;

    private InterleavedRatios() {
    }

    /**
     * Measures create, switch and (PostgreSQL) the opt-in asynchronous create.
     * @param db the database
     * @param rounds alternations per operation
     * @return a Markdown table
     */
    static String measure(Db db, int rounds) {
        Map<String, List<double[]>> results = new LinkedHashMap<>();
        try (Db.Pool pool = db.open(Parallel.THREADS + 2);
             Subject ours = Subjects.open("ours", pool, pool.ds(), true);
             Subject oursAsync = Subjects.open("ours", pool, pool.ds(), true, true);
             Subject spring = Subjects.open("spring", pool, pool.ds(), true)) {
            ours.prepareActive(10_000, 1_000);
            spring.prepareActive(10_000, 1_000);
            pool.analyze();
            long[] created = {0};
            Map<String, Pair> ops = new LinkedHashMap<>();
            ops.put(Ops.CREATE, new Pair(i -> ours.create(created[0]++), i -> spring.create(created[0]++)));
            if (db == Db.POSTGRESQL) {
                ops.put(Ops.CREATE_ASYNC, new Pair(i -> oursAsync.create(created[0]++), i -> spring.create(created[0]++)));
            }
            ops.put(Ops.SWITCH, new Pair(ours::switchPlatform, spring::switchPlatform));
            for (Map.Entry<String, Pair> op : ops.entrySet()) {
                Pair calls = op.getValue();
                slice(calls.ours(), 4 * SLICE_SECONDS); // warm-up
                slice(calls.spring(), 4 * SLICE_SECONDS);
                for (int r = 0; r < rounds; r++) {
                    // alternate who goes first, so neither always follows the other's after-effects
                    double a = r % 2 == 0 ? slice(calls.ours(), SLICE_SECONDS) : 0;
                    double b = slice(calls.spring(), SLICE_SECONDS);
                    if (r % 2 == 1) {
                        a = slice(calls.ours(), SLICE_SECONDS);
                    }
                    results.computeIfAbsent(op.getKey(), k -> new ArrayList<>()).add(new double[] {a, b});
                }
            }
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "%nInterleaved on %s: %d rounds of %.1f s slices per library, one thread, 10,000 live sessions"
                        + "%n%n| operation | ours ops/s (median) | Spring ops/s (median) | ratio: median | lowest | highest |"
                        + "%n| --- | ---: | ---: | ---: | ---: | ---: |%n", db.label(), rounds, SLICE_SECONDS));
        results.forEach((op, rows) -> {
            List<Double> a = new ArrayList<>();
            List<Double> b = new ArrayList<>();
            List<Double> ratio = new ArrayList<>();
            for (double[] row : rows) {
                a.add(row[0]);
                b.add(row[1]);
                ratio.add(row[0] / row[1]);
            }
            Collections.sort(ratio);
            out.append(String.format(Locale.ROOT, "| %s | %,.0f | %,.0f | %.2fx | %.2fx | %.2fx |%n", op,
                    BenchmarkMain.median(a), BenchmarkMain.median(b), BenchmarkMain.median(ratio), ratio.get(0),
                    ratio.get(ratio.size() - 1)));
        });
        return out.toString();
    }

    /** The same operation in both libraries. */
    private record Pair(IntFunction<Object> ours, IntFunction<Object> spring) {
    }

    /**
     * Calls {@code op} for {@code seconds}, with increasing arguments from a time-derived start.
     * @param op the operation
     * @param seconds how long
     * @return calls per second
     */
    static double slice(IntFunction<Object> op, double seconds) {
        long budget = (long) (seconds * 1e9);
        long start = System.nanoTime();
        long end = start + budget;
        int i = (int) (start & 0xffff);
        long calls = 0;
        while (System.nanoTime() < end) {
            op.apply(i++);
            calls++;
        }
        return calls / ((System.nanoTime() - start) / 1e9);
    }
}
