package io.platformsessions.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Same-moment ratios on Redis: ours and both Spring Session Data Redis repositories in one JVM on the same Redis,
 * each operation run by the three libraries in turn in {@value #SLICE_SECONDS} s slices, for many rounds, in an
 * order that rotates every round. On a shared machine a JMH row (one fork per library, tens of seconds apart) can
 * move a ratio by 2x; here every ratio is taken from slices a second apart, and the spread of the per-round
 * ratios is reported. Single-threaded, 10,000 live sessions over 1,000 users per library, each under its own
 * prefix (deleted afterwards). Not thread-safe; run alone.
 */
final class RedisInterleaved {
    static final double SLICE_SECONDS = 1.0;
    private static final int SESSIONS = 10_000;
    private static final int USERS = 1_000;

    private RedisInterleaved() {
    }

    /**
     * One operation: ours against each Spring repository.
     * @param op the operation label
     * @param ours ours' median ops/s
     * @param spring the default repository's median ops/s, or {@code NaN} when it cannot do the operation
     * @param springRatio median, lowest and highest per-round ratio ours / default repository
     * @param indexed the indexed repository's median ops/s
     * @param indexedRatio median, lowest and highest per-round ratio ours / indexed repository
     * @param rounds rounds measured
     */
    record Row(String op, double ours, double spring, double[] springRatio, double indexed, double[] indexedRatio,
               int rounds) {
    }

    /** One operation in each library; {@code null} where a library cannot do it. */
    private record Calls(IntFunction<Object> ours, IntFunction<Object> spring, IntFunction<Object> indexed) {
    }

    /**
     * Measures create, the request cycle with our cache on and off, switch and list.
     * @param rounds rounds per operation (each round: one slice per library)
     * @return one row per operation
     */
    static List<Row> measure(int rounds) {
        List<String> prefixes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            prefixes.add(RedisTarget.randomPrefix());
        }
        List<Row> rows = new ArrayList<>();
        try (Subject oursOn = Subjects.openRedis("ours", prefixes.get(0), true);
             Subject oursOff = Subjects.openRedis("ours", prefixes.get(1), false);
             Subject spring = Subjects.openRedis("spring", prefixes.get(2), true);
             Subject indexed = Subjects.openRedis("spring-indexed", prefixes.get(3), true)) {
            for (Subject s : List.of(oursOn, oursOff, spring, indexed)) {
                s.prepareActive(SESSIONS, USERS);
            }
            long[] created = {0, 0, 0};
            Map<String, Calls> ops = new LinkedHashMap<>();
            ops.put(Ops.CREATE, new Calls(i -> oursOn.create(created[0]++), i -> spring.create(created[1]++),
                    i -> indexed.create(created[2]++)));
            ops.put(Ops.REQUEST_CACHE_ON, new Calls(oursOn::requestCycle, spring::requestCycle, indexed::requestCycle));
            ops.put(Ops.REQUEST_CACHE_OFF, new Calls(oursOff::requestCycle, spring::requestCycle, indexed::requestCycle));
            ops.put(Ops.SWITCH, new Calls(oursOn::switchPlatform, spring::switchPlatform, indexed::switchPlatform));
            ops.put(Ops.LIST, new Calls(oursOn::listSessions, null, indexed::listSessions));
            for (Map.Entry<String, Calls> op : ops.entrySet()) {
                System.err.println("interleaved on Redis: " + op.getKey() + " ...");
                rows.add(measure(op.getKey(), op.getValue(), rounds));
            }
        } finally {
            for (String p : prefixes) {
                RedisTarget.deleteKeys(p);
            }
        }
        return rows;
    }

    private static Row measure(String op, Calls calls, int rounds) {
        List<IntFunction<Object>> libs = new ArrayList<>();
        libs.add(calls.ours());
        libs.add(calls.spring());
        libs.add(calls.indexed());
        for (IntFunction<Object> f : libs) {
            if (f != null) {
                InterleavedRatios.slice(f, 4 * SLICE_SECONDS); // warm-up
            }
        }
        List<double[]> perRound = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            double[] score = new double[3];
            for (int k = 0; k < 3; k++) {
                int lib = (r + k) % 3; // rotate who goes first
                IntFunction<Object> f = libs.get(lib);
                score[lib] = f == null ? Double.NaN : InterleavedRatios.slice(f, SLICE_SECONDS);
            }
            perRound.add(score);
        }
        List<Double> ours = new ArrayList<>();
        List<Double> spring = new ArrayList<>();
        List<Double> indexed = new ArrayList<>();
        List<Double> rs = new ArrayList<>();
        List<Double> ri = new ArrayList<>();
        for (double[] s : perRound) {
            ours.add(s[0]);
            spring.add(s[1]);
            indexed.add(s[2]);
            rs.add(s[0] / s[1]);
            ri.add(s[0] / s[2]);
        }
        return new Row(op, BenchmarkMain.median(ours), calls.spring() == null ? Double.NaN : BenchmarkMain.median(spring),
                spread(rs), BenchmarkMain.median(indexed), spread(ri), rounds);
    }

    /** Median, lowest, highest; NaN when a library did not take part. */
    private static double[] spread(List<Double> ratios) {
        if (ratios.stream().anyMatch(d -> d.isNaN())) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
        List<Double> sorted = new ArrayList<>(ratios);
        Collections.sort(sorted);
        return new double[] {BenchmarkMain.median(sorted), sorted.get(0), sorted.get(sorted.size() - 1)};
    }

    /**
     * The Markdown section; the target is judged on the median ratio against the default repository, or against
     * the indexed one for listing (the default cannot list).
     * @param rows the rows
     * @return the text
     */
    static String render(List<Row> rows) {
        StringBuilder b = new StringBuilder();
        int rounds = rows.isEmpty() ? 0 : rows.get(0).rounds();
        b.append(String.format(Locale.ROOT, "%nSame-moment ratios on Redis: %d rounds of %.1f s slices per library (order "
                + "rotating), one thread, %,d live sessions over %,d users each; ratio = median of the per-round ratios "
                + "(lowest-highest):%n%n", rounds, SLICE_SECONDS, SESSIONS, USERS));
        b.append("| operation | ours ops/s | Spring default ops/s | ratio | Spring indexed ops/s | ratio | target | met |\n");
        b.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
        for (Row r : rows) {
            double target = Ops.target(r.op(), Db.REDIS);
            double judged = Double.isNaN(r.springRatio()[0]) ? r.indexedRatio()[0] : r.springRatio()[0];
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | >= %sx | %s |%n", r.op(), num(r.ours()),
                    Double.isNaN(r.spring()) ? "cannot list" : num(r.spring()), ratio(r.springRatio()), num(r.indexed()),
                    ratio(r.indexedRatio()), target == Math.rint(target) ? Long.toString((long) target) : Double.toString(target),
                    judged >= target ? "yes" : "**NO**"));
        }
        return b.toString();
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String ratio(double[] r) {
        if (Double.isNaN(r[0])) {
            return "-";
        }
        return String.format(Locale.ROOT, "%s (%s-%s)", fmt(r[0]), fmt(r[1]), fmt(r[2]));
    }

    private static String fmt(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0fx", v) : String.format(Locale.ROOT, "%.2fx", v);
    }
}
