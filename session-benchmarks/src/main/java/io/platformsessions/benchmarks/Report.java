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

    /**
     * What only the Redis part produces.
     * @param sameMoment the interleaved ratios (empty when not measured)
     * @param memory Redis memory and heap per session, or {@code null} when not measured
     */
    record RedisExtras(List<RedisInterleaved.Row> sameMoment, RedisMemory.Outcome memory) {
    }

    static String render(BenchmarkMain.Settings settings, Instant started, Duration took, Map<Db, String> dbVersions,
                         Properties versions, List<BenchmarkMain.Run> plan, Map<BenchmarkMain.Run, Double> scores,
                         List<RoundTrips.Entry> counted, HeapPerSession.Result heap, RedisExtras redis) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%nPlatform Sessions vs Spring Session (%s), %s, %s mode, took %dm%02ds%n",
                dbVersions.keySet().stream().map(d -> d == Db.REDIS ? "Data Redis" : "JDBC").distinct()
                        .reduce((x, y) -> x + ", " + y).orElse("-"),
                BenchmarkMain.utc(started), settings.quick() ? "QUICK (smoke only, not for quoting)" : "full",
                took.toMinutes(), took.toSecondsPart()));
        boolean jdbc = dbVersions.keySet().stream().anyMatch(Db::jdbc);
        if (jdbc) {
            renderJdbc(b, settings, dbVersions, plan, scores, counted);
        }
        if (dbVersions.containsKey(Db.REDIS)) {
            renderRedis(b, settings, plan, scores, counted, redis);
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
                .append(", Spring Session JDBC and Data Redis ").append(versions.getProperty("spring-session", "?"))
                .append(" (Spring ").append(versions.getProperty("spring", "?")).append(", Spring Data Redis ")
                .append(versions.getProperty("spring-data-redis", "?")).append("), Lettuce ")
                .append(versions.getProperty("lettuce", "?")).append(" (both libraries), HikariCP ")
                .append(versions.getProperty("hikaricp", "?")).append(", Jdbi ").append(versions.getProperty("jdbi", "?"))
                .append(", JMH ").append(versions.getProperty("jmh", "?")).append("\n");
        for (Map.Entry<Db, String> e : dbVersions.entrySet()) {
            b.append("Database ").append(e.getKey().label()).append(": ").append(e.getValue()).append("\n");
        }
        return b.toString();
    }

    private static void renderJdbc(StringBuilder b, BenchmarkMain.Settings settings, Map<Db, String> dbVersions,
                                   List<BenchmarkMain.Run> plan, Map<BenchmarkMain.Run, Double> scores,
                                   List<RoundTrips.Entry> counted) {
        b.append("\n| operation | database | ours ops/s | Spring ops/s | ratio | target | met | ours round trips/op"
                + " | Spring round trips/op |\n");
        b.append("| --- | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |\n");
        for (Db db : dbVersions.keySet()) {
            if (!db.jdbc()) {
                continue;
            }
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

        if (counted.stream().anyMatch(e -> e.db().jdbc())) {
            b.append("\nWhat each operation sends (counted at the JDBC driver; on PostgreSQL, BEGIN travels with the first "
                    + "statement, so round trips = statements + commits):\n\n");
            b.append("| operation | database | library | round trips/op | statements/op | one call sends |\n");
            b.append("| --- | --- | --- | ---: | ---: | --- |\n");
            for (RoundTrips.Entry e : counted) {
                if (!e.db().jdbc()) {
                    continue;
                }
                b.append("| ").append(e.operation()).append(" | ").append(e.db().label()).append(" | ").append(e.lib())
                        .append(" | ").append(trim(e.perOp())).append(" | ").append(trim(e.statementsPerOp())).append(" | ")
                        .append(e.sample()).append(" |\n");
            }
        }
    }

    /** Redis rows: ours against Spring Session Data Redis's default and indexed repositories. */
    private static void renderRedis(StringBuilder b, BenchmarkMain.Settings settings, List<BenchmarkMain.Run> plan,
                                    Map<BenchmarkMain.Run, Double> scores, List<RoundTrips.Entry> counted,
                                    RedisExtras redis) {
        Db db = Db.REDIS;
        b.append("\nRedis: ours (RedisSessionStore) against Spring Session Data Redis's RedisSessionRepository (\"default\","
                + " what @EnableRedisHttpSession and Spring Boot set up) and RedisIndexedSessionRepository (\"indexed\","
                + " @EnableRedisIndexedHttpSession, needed to list a user's sessions). Target judged against the default"
                + " repository; listing against the indexed one.\n\n");
        b.append("| operation | ours ops/s | Spring default ops/s | ratio | Spring indexed ops/s | ratio | target | met"
                + " | round trips/op: ours / default / indexed |\n");
        b.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |\n");
        for (String op : List.of(Ops.CREATE, Ops.REQUEST_CACHE_ON, Ops.REQUEST_CACHE_OFF, Ops.SWITCH, Ops.LIST)) {
            if (!planned(plan, op, db)) {
                continue;
            }
            String springOp = op.equals(Ops.REQUEST_CACHE_OFF) ? Ops.REQUEST_CACHE_ON : op;
            Double ours = score(plan, scores, op, db, "ours");
            Double spring = score(plan, scores, springOp, db, "spring");
            Double indexed = score(plan, scores, springOp, db, "spring-indexed");
            Double judged = op.equals(Ops.LIST) ? indexed : spring;
            double target = Ops.target(op, db);
            String met = ours == null || judged == null ? "n/a" : ours / judged >= target ? "yes" : "**NO**";
            b.append("| ").append(op).append(" | ").append(num(ours)).append(" | ")
                    .append(op.equals(Ops.LIST) ? "cannot list" : num(spring)).append(" | ").append(ratio(ours, spring))
                    .append(" | ").append(num(indexed)).append(" | ").append(ratio(ours, indexed)).append(" | >= ")
                    .append(trim(target)).append("x | ").append(met).append(" | ")
                    .append(trips(counted, op, db, "ours")).append(" / ")
                    .append(op.equals(Ops.LIST) ? "-" : trips(counted, springOp, db, "spring")).append(" / ")
                    .append(trips(counted, springOp, db, "spring-indexed")).append(" |\n");
        }
        b.append(String.format(Locale.ROOT, "%nJMH: medians of %s, one thread; every fork starts from %,d live sessions over "
                        + "%,d users under a fresh key prefix (deleted afterwards); creates are for new users.%n",
                settings.quick() ? settings.measurements() + " x " + settings.measurementSeconds() + " s iterations, no fork"
                        : settings.measurements() + " x " + settings.measurementSeconds() + " s iterations after "
                        + settings.warmups() + " x " + settings.warmupSeconds() + " s warm-up, one fork per row",
                settings.sessions(), settings.users()));
        if (redis != null && !redis.sameMoment().isEmpty()) {
            b.append(RedisInterleaved.render(redis.sameMoment()));
        }
        if (counted.stream().anyMatch(e -> e.db() == db)) {
            b.append("\nWhat each operation sends to Redis (counted at the wire by a proxy: a round trip is a send after "
                    + "a reply; pipelined commands count once):\n\n");
            b.append("| operation | library | round trips/op | commands/op | one call sends |\n");
            b.append("| --- | --- | ---: | ---: | --- |\n");
            for (RoundTrips.Entry e : counted) {
                if (e.db() == db) {
                    b.append("| ").append(e.operation()).append(" | ").append(e.lib()).append(" | ").append(trim(e.perOp()))
                            .append(" | ").append(trim(e.statementsPerOp())).append(" | ").append(e.sample()).append(" |\n");
                }
            }
        }
        if (redis != null && redis.memory() != null) {
            b.append(RedisMemory.render(redis.memory()));
        }
    }

    private static String ratio(Double a, Double b) {
        return a == null || b == null ? "n/a" : String.format(Locale.ROOT, "%.1fx", a / b);
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
