package io.platformsessions.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/** Renders the results as Markdown. Stateless. */
final class Report {
    private static final List<String> ROWS = List.of(Ops.CREATE, Ops.CREATE_ASYNC, Ops.REQUEST_CACHE_ON, Ops.REQUEST_CACHE_OFF, Ops.SWITCH,
            Ops.LIST, Ops.CLEANUP, Ops.REQUEST_CACHE_ON_2T, Ops.REQUEST_CACHE_OFF_2T);

    private Report() {
    }

    static String render(BenchmarkMain.Settings settings, Instant started, Duration took, Map<Db, String> dbVersions,
                         Properties versions, List<BenchmarkMain.Run> plan, Map<BenchmarkMain.Run, Double> scores,
                         List<RoundTrips.Entry> counted, HeapPerSession.Result heap) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%nPlatform Sessions vs Spring Session JDBC, %s, %s mode, took %dm%02ds%n%n",
                BenchmarkMain.utc(started), settings.quick() ? "QUICK (smoke only, not for quoting)" : "full",
                took.toMinutes(), took.toSecondsPart()));
        b.append("| operation | database | ours ops/s | Spring ops/s | ratio | target | met | ours round trips/op"
                + " | Spring round trips/op |\n");
        b.append("| --- | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |\n");
        for (Db db : dbVersions.keySet()) {
            for (String op : ROWS) {
                Double ours = score(plan, scores, op, db, "ours");
                String springOp = op.equals(Ops.REQUEST_CACHE_OFF) ? Ops.REQUEST_CACHE_ON
                        : op.equals(Ops.REQUEST_CACHE_OFF_2T) ? Ops.REQUEST_CACHE_ON_2T
                        : op.equals(Ops.CREATE_ASYNC) ? Ops.CREATE : op;
                Double spring = score(plan, scores, springOp, db, "spring");
                if ((ours == null && spring == null || op.equals(Ops.CREATE_ASYNC)) && !planned(plan, op, db)) {
                    continue;
                }
                double target = Ops.target(op, db);
                String ratio = ours == null || spring == null ? "n/a" : String.format(Locale.ROOT, "%.1fx", ours / spring);
                String met = ours == null || spring == null ? "n/a" : ours / spring >= target ? "yes" : "**NO**";
                boolean optIn = op.equals(Ops.CREATE_ASYNC);
                b.append("| ").append(op).append(" | ").append(db.label()).append(" | ").append(num(ours)).append(" | ")
                        .append(num(spring)).append(" | ").append(ratio).append(optIn ? " | (opt-in) | " : " | >= " + trim(target) + "x | ")
                        .append(optIn ? "-" : met).append(" | ").append(trips(counted, op, db, "ours")).append(" | ")
                        .append(trips(counted, springOp, db, "spring")).append(" |\n");
            }
        }
        b.append(String.format(Locale.ROOT, "%nMedians of %s; ops/s summed over threads; cleanup = expired sessions removed "
                        + "per second (%,d expired per timed call, median of %d calls). Spring has no cache: its request-cycle "
                        + "figure is the same in the cache-on and cache-off rows. One run on a shared machine: noisy.%n",
                settings.quick() ? settings.measurements() + " x " + settings.measurementSeconds() + " s iterations, no fork"
                        : settings.measurements() + " x " + settings.measurementSeconds() + " s iterations after "
                        + settings.warmups() + " x " + settings.warmupSeconds() + " s warm-up, one fork per row",
                settings.expired(), settings.cleanupMeasurements()));
        if (Boolean.getBoolean(Db.ASYNC_COMMIT_PROPERTY)) {
            b.append("DIAGNOSTIC RUN: PostgreSQL with synchronous_commit = off for both libraries (not the default durability).\n");
        }
        b.append(String.format(Locale.ROOT, "Every operation but cleanup starts from %,d live sessions over %,d users (creates are for new users). "
                + "The opt-in row is not a target row: it compares a non-default durability with Spring's default.%n",
                settings.sessions(), settings.users()));

        if (!counted.isEmpty()) {
            b.append("\nWhat each operation sends (counted at the JDBC driver; on PostgreSQL, BEGIN travels with the first "
                    + "statement, so round trips = statements + commits):\n\n");
            b.append("| operation | database | library | round trips/op | statements/op | one call sends |\n");
            b.append("| --- | --- | --- | ---: | ---: | --- |\n");
            for (RoundTrips.Entry e : counted) {
                b.append("| ").append(e.operation()).append(" | ").append(e.db().label()).append(" | ").append(e.lib())
                        .append(" | ").append(trim(e.perOp())).append(" | ").append(trim(e.statementsPerOp())).append(" | ")
                        .append(e.sample()).append(" |\n");
            }
        }
        if (heap != null) {
            b.append(String.format(Locale.ROOT, "%nHeap per cached session: %,.0f bytes (%,d sessions with a platform and a "
                            + "client binding in our cache; used heap %,d -> %,d bytes after forced GC; %d of 100 sampled "
                            + "sessions still cached).%n", heap.bytesPerSession(), heap.sessions(), heap.before(), heap.after(),
                    heap.sampleCached()));
        }
        b.append("\nEnvironment: ").append(versions.getProperty("cores")).append(" cores, ")
                .append(versions.getProperty("os")).append(", ").append(versions.getProperty("jdk")).append("\n");
        b.append("Libraries: Platform Sessions ").append(versions.getProperty("platform-sessions", "?"))
                .append(", Spring Session JDBC ").append(versions.getProperty("spring-session", "?"))
                .append(" (Spring ").append(versions.getProperty("spring", "?")).append("), HikariCP ")
                .append(versions.getProperty("hikaricp", "?")).append(", Jdbi ").append(versions.getProperty("jdbi", "?"))
                .append(", JMH ").append(versions.getProperty("jmh", "?")).append("\n");
        for (Map.Entry<Db, String> e : dbVersions.entrySet()) {
            b.append("Database ").append(e.getKey().label()).append(": ").append(e.getValue()).append("\n");
        }
        return b.toString();
    }

    private static boolean planned(List<BenchmarkMain.Run> plan, String op, Db db) {
        return plan.stream().anyMatch(r -> r.op().equals(op) && r.db() == db);
    }

    private static Double score(List<BenchmarkMain.Run> plan, Map<BenchmarkMain.Run, Double> scores, String op, Db db,
                                String lib) {
        for (BenchmarkMain.Run r : plan) {
            if (r.op().equals(op) && r.db() == db && r.lib().equals(lib)) {
                return scores.get(r);
            }
        }
        return null;
    }

    private static String trips(List<RoundTrips.Entry> counted, String op, Db db, String lib) {
        String key = op.replace(", 2 threads", "");
        for (RoundTrips.Entry e : counted) {
            if (e.db() == db && e.lib().equals(lib)
                    && (e.operation().equals(key) || (key.equals(Ops.CLEANUP) && e.operation().startsWith("cleanup of")))) {
                return trim(e.perOp()) + (key.equals(Ops.CLEANUP) ? " per cleanup" : "");
            }
        }
        return "-";
    }

    private static String num(Double v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String trim(double v) {
        if (v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%,d", (long) v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
