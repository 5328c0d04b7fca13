package io.platformsessions.benchmarks.http;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Renders the HTTP benchmark's Markdown report: per database, per route the median over rounds of
 * req/s (with the lowest and highest round), of the per-round ratio to bare, of p50 and p99, of
 * server CPU and allocated bytes per request and of their per-round differences to bare; then the
 * round trips per request; for a profile run, the profile alone. Stateless, thread-safe.
 */
final class HttpReport {
    private HttpReport() {
    }

    static String render(HttpBenchmark.Options o, Instant started, Duration took, List<HttpBenchmark.DbRun> runs) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%nHTTP benchmark, %s, %s mode, took %dm%02ds%n%n", utc(started),
                o.quick() ? "QUICK (smoke test, not for quoting)" : "full", took.toMinutes(), took.toSecondsPart()));
        out.append("- Machine: ").append(Machine.describe()).append('\n');
        out.append("- JVM: ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append(", heap ")
                .append(Runtime.getRuntime().maxMemory() / (1024 * 1024)).append(" MB; Jetty ")
                .append(org.eclipse.jetty.util.Jetty.VERSION).append(" (ee10)").append(commit()).append('\n');
        out.append(String.format(Locale.ROOT, "- Load: `wrk -t%d -c%d -d%ds --latency` over loopback, %d sessions per "
                        + "route presented in rotation; %d warm-up round(s), then %d interleaved rounds (every route one "
                        + "slice per round, rotating order)%n", o.threads(), o.connections(), o.sliceSeconds(),
                o.sessions(), o.warmupRounds(), o.rounds()));
        for (HttpBenchmark.DbRun run : runs) {
            renderDb(out, run);
        }
        return out.toString();
    }

    private static void renderDb(StringBuilder out, HttpBenchmark.DbRun run) {
        out.append(String.format(Locale.ROOT, "%n### %s (%s), started %s, took %dm%02ds%n%n", run.db().label(),
                run.dbVersion(), utc(run.started()), run.took().toMinutes(), run.took().toSecondsPart()));
        List<Slice> slices = run.slices();
        if (slices.isEmpty()) {
            out.append(String.format(Locale.ROOT, "Profile run (no timed rounds): load average %.2f before, %.2f after.%n%n",
                    run.loadBefore(), run.loadAfter()));
            out.append(run.profile());
            return;
        }
        double machine = median(slices, Slice::machineCores);
        double jvm = median(slices, Slice::jvmCores);
        out.append(String.format(Locale.ROOT, "Conditions: load average %.2f before, %.2f after; during slices the "
                        + "machine was busy %.2f of %d cores (median), this JVM %.2f, wrk and other processes %.2f.%n%n",
                run.loadBefore(), run.loadAfter(), machine, Runtime.getRuntime().availableProcessors(), jvm, machine - jvm));
        out.append("| route | req/s (low-high) | ratio to bare (low-high) | p50 ms | p99 ms |\n");
        out.append("| --- | ---: | ---: | ---: | ---: |\n");
        Map<Integer, Slice> bare = new HashMap<>();
        for (Slice s : slices) {
            if (s.route().equals("bare")) {
                bare.put(s.round(), s);
            }
        }
        StringBuilder costs = new StringBuilder();
        costs.append("| route | server CPU µs/req | CPU over bare | of which Jetty threads | commonPool µs (tasks)/req "
                + "| JIT | GC | bytes/req | bytes over bare |\n");
        costs.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Route r : run.routes()) {
            List<Slice> mine = slices.stream().filter(s -> s.route().equals(r.name())).toList();
            List<Double> ratios = new ArrayList<>();
            List<Double> cpuOver = new ArrayList<>();
            List<Double> bytesOver = new ArrayList<>();
            for (Slice s : mine) {
                Slice b = bare.get(s.round());
                ratios.add(s.requestsPerSecond() / b.requestsPerSecond());
                cpuOver.add(s.cpuMicros() - b.cpuMicros());
                bytesOver.add(s.bytes() - b.bytes());
            }
            boolean isBare = r.name().equals("bare");
            out.append(String.format(Locale.ROOT, "| %s | %,.0f (%,.0f-%,.0f) | %s | %.2f | %.2f |%n",
                    r.label(), median(mine, Slice::requestsPerSecond), min(mine, Slice::requestsPerSecond),
                    max(mine, Slice::requestsPerSecond),
                    isBare ? "1" : String.format(Locale.ROOT, "%.3f (%.2f-%.2f)", median(ratios), min(ratios), max(ratios)),
                    median(mine, s -> s.wrk().p50Micros()) / 1e3, median(mine, s -> s.wrk().p99Micros()) / 1e3));
            costs.append(String.format(Locale.ROOT, "| %s | %.1f (%.1f-%.1f) | %s | %.1f | %.2f (%.3f) | %.1f | %.2f | %,.0f | %s |%n",
                    r.label(), median(mine, Slice::cpuMicros), min(mine, Slice::cpuMicros), max(mine, Slice::cpuMicros),
                    isBare ? "-" : String.format(Locale.ROOT, "%+.1f (%+.1f to %+.1f)", median(cpuOver), min(cpuOver),
                            max(cpuOver)),
                    median(mine, Slice::httpMicros), median(mine, Slice::commonPoolMicros),
                    median(mine, Slice::commonPoolTasks), median(mine, Slice::jitMicros), median(mine, Slice::gcMicros),
                    median(mine, Slice::bytes),
                    isBare ? "-" : String.format(Locale.ROOT, "%+,.0f", median(bytesOver))));
        }
        out.append("\nCost per request (same slices):\n\n").append(costs);
        long errors = slices.stream().mapToLong(s -> s.wrk().socketErrors()).sum();
        out.append(String.format(Locale.ROOT, "%nMedians over %d rounds; \"over bare\" columns and ratios are medians of "
                + "per-round differences and ratios to the bare route's slice of the same round (lowest to highest "
                + "round in brackets). Server CPU = the server JVM's process CPU time (Jetty's threads, the common "
                + "pool, JIT, GC; H2 runs inside it, PostgreSQL does not) over the slice / requests; JIT and GC are "
                + "their threads' share of it; bytes = allocated bytes summed over the JVM's threads / requests. wrk "
                + "socket errors (timeouts included) over all slices: %d.%n",
                slices.stream().mapToInt(Slice::round).max().orElse(0) + 1, errors));
        if (!run.roundTrips().isEmpty()) {
            out.append("\nRound trips per request (counted copies of the routes over a counting DataSource, fresh "
                    + "sessions so no touch is due; not timed):\n\n");
            out.append("| route | round trips/request | requests | statements | commits+rollbacks | other | one request alone sends |\n");
            out.append("| --- | ---: | ---: | ---: | ---: | ---: | --- |\n");
            run.roundTrips().forEach(l -> out.append(l).append('\n'));
        }
    }

    static double median(List<Slice> slices, ToDoubleFunction<Slice> f) {
        return median(slices.stream().map(s -> f.applyAsDouble(s)).toList());
    }

    static double min(List<Slice> slices, ToDoubleFunction<Slice> f) {
        return slices.stream().mapToDouble(f).min().orElse(Double.NaN);
    }

    static double max(List<Slice> slices, ToDoubleFunction<Slice> f) {
        return slices.stream().mapToDouble(f).max().orElse(Double.NaN);
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> v = new ArrayList<>(values);
        v.sort(Double::compare);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    static double min(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    static double max(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    private static String commit() {
        String c = System.getProperty("ps.bench.commit");
        return c == null || c.isBlank() ? "" : "; code at " + c;
    }

    static String utc(Instant t) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC).format(t);
    }
}
