package io.platformsessions.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the whole comparison of issues 7 (JDBC) and 14 (Redis) and prints the tables: operation, database, ours
 * ops/s, Spring ops/s, ratio, target, and round trips per operation for both. Then what each operation sends
 * and the memory per session; on Redis also same-moment (interleaved) ratios.
 * <p>Usage: {@code java -jar session-benchmarks/target/benchmarks.jar [--quick] [--db=h2,postgresql,redis]
 * [--only=REGEX] [--prof=jfr] [--no-roundtrips] [--no-heap] [--out=FILE] [--pg-async-commit] [--cpu-cost[=SECONDS]]
 * [--cleanup-variants[=N]] [--interleaved[=ROUNDS]]}. PostgreSQL runs when {@code PS_TEST_POSTGRES_URL} is set,
 * Redis when a Redis answers at {@code PS_TEST_REDIS_URI} (default {@code redis://127.0.0.1:6379}); each is
 * skipped with a warning otherwise. Progress goes to stderr, JMH's own output to {@code jmh-logs/} next to the
 * jar, the tables to stdout (and to {@code --out} as Markdown).
 */
public final class BenchmarkMain {

    private BenchmarkMain() {
    }

    /** How much to measure: the full comparison or a smoke run. */
    record Settings(boolean quick, int forks, int warmups, int warmupSeconds, int measurements, int measurementSeconds,
                    int sessions, int users, int expired, int cleanupWarmups, int cleanupMeasurements, int redisRounds) {
        static Settings of(boolean quick) {
            return quick
                    ? new Settings(true, 0, 1, 1, 2, 1, 2_000, 200, 20_000, 0, 1, 3)
                    : new Settings(false, 1, 2, 2, 5, 2, 10_000, 1_000, 100_000, 1, 3, 15);
        }
    }

    /** One JMH run: one operation, database, library, cache setting and (ours) create commit mode. */
    record Run(String op, Db db, String lib, String method, int threads, boolean cache, boolean asyncCreate) {
        Run(String op, Db db, String lib, String method, int threads, boolean cache) {
            this(op, db, lib, method, threads, cache, false);
        }

        boolean cleanup() {
            return method.equals("cleanup");
        }

        String describe() {
            return op + " | " + db.label() + " | " + lib + (lib.equals("ours") ? " (cache " + (cache ? "on" : "off")
                    + (asyncCreate ? ", asynchronousCreateCommit" : "") + ")" : "");
        }
    }

    /**
     * Entry point.
     * @param args see the class description
     * @throws Exception if the output file cannot be written
     */
    public static void main(String[] args) throws Exception {
        boolean quick = false;
        boolean roundTrips = true;
        boolean heap = true;
        String only = null;
        String prof = null;
        Path out = null;
        List<Db> dbs = new ArrayList<>(List.of(Db.H2, Db.POSTGRESQL, Db.REDIS));
        int interleavedRounds = 0;
        double cpuCostSeconds = 0;
        for (String a : args) {
            if (a.equals("--quick")) {
                quick = true;
            } else if (a.equals("--no-roundtrips")) {
                roundTrips = false;
            } else if (a.startsWith("--cpu-cost")) {
                // diagnostic only: CPU time per operation, then exit (after the databases are known)
                cpuCostSeconds = a.contains("=") ? Double.parseDouble(a.substring(a.indexOf('=') + 1)) : 3;
            } else if (a.startsWith("--cleanup-variants")) {
                // diagnostic only: other cleanup SQL against today's and Spring's, then exit
                int n = a.contains("=") ? Integer.parseInt(a.substring(a.indexOf('=') + 1)) : 100_000;
                for (Db db : List.of(Db.H2, Db.POSTGRESQL)) {
                    if (db.available()) {
                        System.out.print(CleanupVariants.run(db, n, 3));
                    }
                }
                System.exit(0);
            } else if (a.startsWith("--interleaved")) {
                // diagnostic only: create and switch of both libraries alternating in short slices (on Redis:
                // every operation of the three libraries), then exit
                interleavedRounds = a.contains("=") ? Integer.parseInt(a.substring(a.indexOf('=') + 1)) : 20;
            } else if (a.equals("--pg-async-commit")) {
                System.setProperty(Db.ASYNC_COMMIT_PROPERTY, "true");
                System.err.println("WARN: --pg-async-commit: PostgreSQL runs with synchronous_commit = off for both libraries "
                        + "(diagnostic: shows round-trip-bound ratios; not the default durability).");
            } else if (a.equals("--no-heap")) {
                heap = false;
            } else if (a.startsWith("--only=")) {
                only = a.substring(7);
            } else if (a.startsWith("--prof=")) {
                prof = a.substring(7);
            } else if (a.startsWith("--out=")) {
                out = Path.of(a.substring(6));
            } else if (a.startsWith("--db=")) {
                dbs.clear();
                for (String d : a.substring(5).split(",")) {
                    dbs.add(Db.parse(d.trim()));
                }
            } else {
                System.err.println("usage: java -jar benchmarks.jar [--quick] [--db=h2,postgresql,redis] [--only=REGEX] "
                        + "[--prof=jfr] [--no-roundtrips] [--no-heap] [--out=FILE] [--pg-async-commit] [--cpu-cost[=SECONDS]] [--cleanup-variants[=N]] [--interleaved[=ROUNDS]]");
                System.exit(2);
            }
        }
        if (dbs.contains(Db.POSTGRESQL) && !Db.POSTGRESQL.available()) {
            System.err.println("WARN: PostgreSQL SKIPPED: set " + Db.POSTGRES_ENV
                    + " (e.g. jdbc:postgresql://127.0.0.1:5432/test?user=postgres) to benchmark on the real PostgreSQL too.");
            dbs.remove(Db.POSTGRESQL);
        }
        if (dbs.contains(Db.REDIS) && !Db.REDIS.available()) {
            System.err.println("WARN: Redis SKIPPED: no Redis answers at " + RedisTarget.uri() + "; start one there or set "
                    + RedisTarget.URI_ENV + " (e.g. redis://127.0.0.1:6379) to benchmark on Redis too.");
            dbs.remove(Db.REDIS);
        }
        if (cpuCostSeconds > 0) {
            for (Db db : dbs) {
                System.out.print(db == Db.REDIS ? RedisCpuCost.run(cpuCostSeconds) : CpuCost.render(db, CpuCost.measure(db,
                        cpuCostSeconds)));
            }
            System.exit(0);
        }
        if (interleavedRounds > 0) {
            // diagnostic only: the libraries alternating in short slices, then exit
            for (Db db : dbs) {
                System.out.print(db == Db.REDIS ? RedisInterleaved.render(RedisInterleaved.measure(interleavedRounds))
                        : InterleavedRatios.measure(db, interleavedRounds));
            }
            System.exit(0);
        }
        Settings settings = Settings.of(quick);
        Instant started = Instant.now();
        Map<Db, String> dbVersions = new LinkedHashMap<>();
        for (Db db : dbs) {
            dbVersions.put(db, databaseVersion(db));
        }

        List<Run> plan = plan(dbs, only);
        Map<Run, Double> scores = new LinkedHashMap<>();
        int i = 0;
        for (Run run : plan) {
            i++;
            Instant t0 = Instant.now();
            System.err.printf(Locale.ROOT, "[%d/%d] %s ...%n", i, plan.size(), run.describe());
            Double score = runJmh(run, settings, prof, i);
            scores.put(run, score);
            System.err.printf(Locale.ROOT, "[%d/%d] %s: %s (%ds, %ds elapsed)%n", i, plan.size(), run.describe(),
                    score == null ? "FAILED, see " + logDirectory() : String.format(Locale.ROOT, "%,.0f ops/s", score),
                    Duration.between(t0, Instant.now()).toSeconds(), Duration.between(started, Instant.now()).toSeconds());
        }

        List<RedisInterleaved.Row> sameMoment = List.of();
        if (dbs.contains(Db.REDIS) && planned(plan, Db.REDIS) && only == null) { // it measures every operation
            System.err.println("same-moment ratios on Redis ...");
            sameMoment = RedisInterleaved.measure(settings.redisRounds());
        }
        List<RoundTrips.Entry> counted = new ArrayList<>();
        if (roundTrips) {
            for (Db db : dbs) {
                System.err.println("counting round trips on " + db.label() + " ...");
                counted.addAll(db == Db.REDIS ? RedisRoundTrips.count() : RoundTrips.count(db, settings.expired()));
            }
        }
        HeapPerSession.Result heapResult = null;
        RedisMemory.Outcome redisMemory = null;
        if (heap) {
            System.err.println("measuring heap per cached session ...");
            heapResult = HeapPerSession.measure(100_000);
            if (dbs.contains(Db.REDIS)) {
                System.err.println("measuring Redis memory and heap per session ...");
                redisMemory = RedisMemory.measure();
            }
        }

        String report = Report.render(settings, started, Duration.between(started, Instant.now()), dbVersions, versions(),
                plan, scores, counted, heapResult, new Report.RedisExtras(sameMoment, redisMemory));
        System.out.print(report);
        System.out.flush();
        if (out != null) {
            Files.writeString(out, report, StandardCharsets.UTF_8);
        }
        boolean failed = scores.values().stream().anyMatch(s -> s == null);
        System.exit(failed ? 1 : 0);
    }

    private static boolean planned(List<Run> plan, Db db) {
        return plan.stream().anyMatch(r -> r.db() == db);
    }

    /** The runs in order: per database, each operation for ours then Spring, so both see the same conditions. */
    static List<Run> plan(List<Db> dbs, String only) {
        List<Run> runs = new ArrayList<>();
        for (Db db : dbs) {
            if (db == Db.REDIS) {
                runs.addAll(redisPlan());
                continue;
            }
            runs.add(new Run(Ops.CREATE, db, "ours", "create", 1, true));
            if (db == Db.POSTGRESQL) {
                runs.add(new Run(Ops.CREATE_ASYNC, db, "ours", "create", 1, true, true));
            }
            runs.add(new Run(Ops.CREATE, db, "spring", "create", 1, true));
            runs.add(new Run(Ops.REQUEST_CACHE_ON, db, "ours", "requestCycle", 1, true));
            runs.add(new Run(Ops.REQUEST_CACHE_OFF, db, "ours", "requestCycle", 1, false));
            runs.add(new Run(Ops.REQUEST_CACHE_ON, db, "spring", "requestCycle", 1, true));
            runs.add(new Run(Ops.SWITCH, db, "ours", "switchPlatform", 1, true));
            runs.add(new Run(Ops.SWITCH, db, "spring", "switchPlatform", 1, true));
            runs.add(new Run(Ops.LIST, db, "ours", "listSessions", 1, true));
            runs.add(new Run(Ops.LIST, db, "spring", "listSessions", 1, true));
            runs.add(new Run(Ops.CLEANUP, db, "ours", "cleanup", 1, true));
            runs.add(new Run(Ops.CLEANUP, db, "spring", "cleanup", 1, true));
            runs.add(new Run(Ops.REQUEST_CACHE_ON_2T, db, "ours", "requestCycle", 2, true));
            runs.add(new Run(Ops.REQUEST_CACHE_OFF_2T, db, "ours", "requestCycle", 2, false));
            runs.add(new Run(Ops.REQUEST_CACHE_ON_2T, db, "spring", "requestCycle", 2, true));
        }
        if (only == null) {
            return runs;
        }
        Pattern p = Pattern.compile(only);
        return runs.stream().filter(r -> p.matcher(r.describe()).find()).toList();
    }

    /**
     * Redis: ours against Spring Session Data Redis's default repository ({@code spring}) and its indexed one
     * ({@code spring-indexed}, the only one that can list a user's sessions).
     */
    private static List<Run> redisPlan() {
        Db db = Db.REDIS;
        List<Run> runs = new ArrayList<>();
        runs.add(new Run(Ops.CREATE, db, "ours", "create", 1, true));
        runs.add(new Run(Ops.CREATE, db, "spring", "create", 1, true));
        runs.add(new Run(Ops.CREATE, db, "spring-indexed", "create", 1, true));
        runs.add(new Run(Ops.REQUEST_CACHE_ON, db, "ours", "requestCycle", 1, true));
        runs.add(new Run(Ops.REQUEST_CACHE_OFF, db, "ours", "requestCycle", 1, false));
        runs.add(new Run(Ops.REQUEST_CACHE_ON, db, "spring", "requestCycle", 1, true));
        runs.add(new Run(Ops.REQUEST_CACHE_ON, db, "spring-indexed", "requestCycle", 1, true));
        runs.add(new Run(Ops.SWITCH, db, "ours", "switchPlatform", 1, true));
        runs.add(new Run(Ops.SWITCH, db, "spring", "switchPlatform", 1, true));
        runs.add(new Run(Ops.SWITCH, db, "spring-indexed", "switchPlatform", 1, true));
        runs.add(new Run(Ops.LIST, db, "ours", "listSessions", 1, true));
        runs.add(new Run(Ops.LIST, db, "spring-indexed", "listSessions", 1, true));
        return runs;
    }

    /** Runs one benchmark in JMH and returns the median over measurement iterations, in ops/s (sessions/s for cleanup). */
    private static Double runJmh(Run run, Settings s, String prof, int index) {
        Class<?> type = run.cleanup() ? CleanupBenchmark.class : SessionBenchmarks.class;
        Path logs = logDirectory();
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            logs = Path.of(System.getProperty("java.io.tmpdir"));
        }
        String logName = String.format(Locale.ROOT, "%02d-%s-%s-%s%s.log", index, run.db().name().toLowerCase(Locale.ROOT),
                run.lib(), run.method(), run.threads() > 1 ? "-2t" : "") ;
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include("^" + Pattern.quote(type.getName() + "." + run.method()) + "$")
                .param("db", run.db().name().toLowerCase(Locale.ROOT))
                .param("lib", run.lib())
                .forks(prof != null ? Math.max(1, s.forks()) : s.forks()) // profilers need a fork
                .threads(run.threads())
                .jvmArgs(forkJvmArgs())
                .shouldFailOnError(true)
                .output(logs.resolve(logName).toString());
        if (run.cleanup()) {
            o.param("expired", Integer.toString(s.expired()))
                    .warmupIterations(s.cleanupWarmups())
                    .measurementIterations(s.cleanupMeasurements());
        } else {
            o.param("cache", run.cache() ? "on" : "off")
                    .param("asyncCreate", Boolean.toString(run.asyncCreate()))
                    .param("sessions", Integer.toString(s.sessions()))
                    .param("users", Integer.toString(s.users()))
                    .warmupIterations(s.warmups())
                    .warmupTime(TimeValue.seconds(s.warmupSeconds()))
                    .measurementIterations(s.measurements())
                    .measurementTime(TimeValue.seconds(s.measurementSeconds()));
        }
        if (prof != null) {
            int colon = prof.indexOf(':');
            if (colon < 0) {
                o.addProfiler(prof);
            } else {
                o.addProfiler(prof.substring(0, colon), prof.substring(colon + 1));
            }
        }
        try {
            Collection<RunResult> results = new Runner(o.build()).run();
            List<Double> scores = new ArrayList<>();
            for (RunResult rr : results) {
                for (BenchmarkResult br : rr.getBenchmarkResults()) {
                    for (IterationResult ir : br.getIterationResults()) {
                        scores.add(ir.getPrimaryResult().getScore());
                    }
                }
            }
            if (scores.isEmpty()) {
                return null;
            }
            double median = median(scores);
            return run.cleanup() ? s.expired() / median : median;
        } catch (RunnerException | RuntimeException e) {
            System.err.println("ERROR: " + run.describe() + " failed: " + e);
            return null;
        }
    }

    /** {@code jmh-logs} next to the benchmarks jar (target/), or under the working directory. */
    static Path logDirectory() {
        try {
            Path jar = Path.of(BenchmarkMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(jar) && jar.getParent() != null) {
                return jar.getParent().resolve("jmh-logs");
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // fall through
        }
        return Path.of("target", "jmh-logs");
    }

    private static String[] forkJvmArgs() {
        List<String> a = new ArrayList<>(List.of("-Xms1g", "-Xmx2g", "-XX:+UseG1GC",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        if (Boolean.getBoolean(Db.ASYNC_COMMIT_PROPERTY)) {
            a.add("-D" + Db.ASYNC_COMMIT_PROPERTY + "=true");
        }
        for (String property : List.of(Db.POSTGRES_ENV, RedisTarget.URI_ENV)) {
            String value = System.getProperty(property);
            if (value != null) {
                a.add("-D" + property + "=" + value);
            }
        }
        return a.toArray(String[]::new);
    }

    static double median(List<Double> values) {
        List<Double> v = new ArrayList<>(values);
        v.sort(Double::compare);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    private static String databaseVersion(Db db) {
        if (db == Db.REDIS) {
            return RedisTarget.version() + " at " + RedisTarget.uri().replaceAll("//[^@/]*@", "//");
        }
        try (Db.Pool pool = db.open(1); Connection c = pool.ds().getConnection()) {
            return c.getMetaData().getDatabaseProductName() + " " + c.getMetaData().getDatabaseProductVersion()
                    + " (driver " + c.getMetaData().getDriverVersion() + ")";
        } catch (SQLException | RuntimeException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    static Properties versions() {
        Properties p = new Properties();
        try (InputStream in = BenchmarkMain.class.getResourceAsStream("/benchmark-versions.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // leave empty: the report says "unknown"
        }
        p.setProperty("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        p.setProperty("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        p.setProperty("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        return p;
    }

    static String utc(Instant t) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC).format(t);
    }
}
