package io.platformsessions.benchmarks.http;

import io.platformsessions.benchmarks.CountingDataSource;
import io.platformsessions.benchmarks.Db;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;

/**
 * HTTP-level benchmark: one embedded Jetty serving a trivial logged-in page on several contexts
 * (bare; behind a pass-through filter; behind our filter with the cache on and off; behind Spring
 * Session JDBC's {@code SessionRepositoryFilter}), loaded by {@code wrk} over loopback in interleaved
 * rounds, on H2 and PostgreSQL. Per route: req/s, p50/p99, server CPU and bytes allocated per
 * request, ratios to bare; round trips per request from counted copies of the session routes. With
 * {@code --profile} the run is a profile run instead: warm-up, then a JFR profile of one route
 * (default {@code ours-cache}) under load, and nothing else.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.platformsessions.benchmarks.http.HttpBenchmark
 * [--quick] [--db=h2|postgres|both] [--pg-url=URL] [--rounds=N] [--slice=SECONDS] [--warmup=N]
 * [--threads=N] [--connections=N] [--sessions=N] [--profile[=SECONDS]] [--profile-route=NAME] [--no-roundtrips]
 * [--out=FILE]}
 * ({@code session-benchmarks/http-bench.sh} builds, installs wrk and passes the JVM flags).
 */
public final class HttpBenchmark {

    private HttpBenchmark() {
    }

    /** Run settings. */
    record Options(boolean quick, List<Db> dbs, int rounds, int sliceSeconds, int warmupRounds, int threads,
                   int connections, int sessions, int profileSeconds, String profileRoute, boolean roundTrips, Path out) {
    }

    /** Everything measured on one database. */
    record DbRun(Db db, String dbVersion, Instant started, Duration took, List<Route> routes, List<Slice> slices,
                 double loadBefore, double loadAfter, List<String> roundTrips, String profile) {
    }

    /**
     * Entry point.
     * @param args see the class description
     * @throws Exception if the server cannot start or the report cannot be written
     */
    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        Wrk.requireInstalled();
        Instant started = Instant.now();
        List<DbRun> runs = new ArrayList<>();
        for (Db db : o.dbs()) {
            runs.add(run(db, o));
        }
        String report = HttpReport.render(o, started, Duration.between(started, Instant.now()), runs);
        System.out.print(report);
        System.out.flush();
        if (o.out() != null) {
            Files.writeString(o.out(), report, StandardCharsets.UTF_8);
        }
        System.exit(0);
    }

    static Options parse(String[] args) {
        boolean quick = false;
        String dbs = "both";
        Integer rounds = null;
        Integer slice = null;
        Integer warmup = null;
        int threads = 2;
        int connections = 16;
        int sessions = 64;
        int profile = 0;
        String profileRoute = "ours-cache";
        boolean roundTrips = true;
        Path out = null;
        for (String a : args) {
            String v = a.contains("=") ? a.substring(a.indexOf('=') + 1) : null;
            String k = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            switch (k) {
                case "--quick" -> quick = true;
                case "--db" -> dbs = v;
                case "--pg-url" -> System.setProperty(Db.POSTGRES_ENV, v);
                case "--rounds" -> rounds = Integer.parseInt(v);
                case "--slice" -> slice = Integer.parseInt(v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--threads" -> threads = Integer.parseInt(v);
                case "--connections" -> connections = Integer.parseInt(v);
                case "--sessions" -> sessions = Integer.parseInt(v);
                case "--profile" -> profile = v == null ? 60 : Integer.parseInt(v);
                case "--profile-route" -> profileRoute = v;
                case "--no-roundtrips" -> roundTrips = false;
                case "--out" -> out = Path.of(v);
                default -> {
                    System.err.println("usage: HttpBenchmark [--quick] [--db=h2|postgres|both] [--pg-url=URL] [--rounds=N] "
                            + "[--slice=SECONDS] [--warmup=N] [--threads=N] [--connections=N] [--sessions=N] "
                            + "[--profile[=SECONDS]] [--profile-route=NAME] [--no-roundtrips] [--out=FILE]");
                    System.exit(2);
                }
            }
        }
        List<Db> list = new ArrayList<>();
        switch (dbs.toLowerCase(Locale.ROOT)) {
            case "h2" -> list.add(Db.H2);
            case "postgres", "postgresql", "pg" -> list.add(Db.POSTGRESQL);
            case "both" -> list.addAll(List.of(Db.H2, Db.POSTGRESQL));
            default -> throw new IllegalArgumentException("--db must be h2, postgres or both, was " + dbs);
        }
        if (list.contains(Db.POSTGRESQL) && !Db.POSTGRESQL.available()) {
            System.err.println("\n*** WARNING: PostgreSQL SKIPPED: set " + Db.POSTGRES_ENV + " or pass --pg-url="
                    + "'jdbc:postgresql://127.0.0.1:5432/test?user=postgres' to benchmark on PostgreSQL too. ***\n");
            list.remove(Db.POSTGRESQL);
        }
        if (list.isEmpty()) {
            throw new IllegalArgumentException("no database to run on");
        }
        return new Options(quick, list, rounds != null ? rounds : quick ? 3 : 10, slice != null ? slice : quick ? 1 : 4,
                warmup != null ? warmup : 2, threads, connections, sessions, profile, profileRoute, roundTrips, out);
    }

    private static DbRun run(Db db, Options o) throws Exception {
        Path dir = Files.createTempDirectory("httpbench"); // wrk's Lua scripts
        try {
            return measure(db, o, dir);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private static DbRun measure(Db db, Options o, Path dir) throws Exception {
        Instant started = Instant.now();
        double loadBefore = Machine.loadAverage();
        Client client = Client.LOOPBACK_BROWSER;
        String attr = TrivialServlet.ATTRIBUTE;
        String value = TrivialServlet.VALUE;
        try (Db.Pool pool = db.open(Math.max(8, o.connections())); OurLibrary ours = new OurLibrary()) {
            String version = version(pool.ds());
            System.err.printf(Locale.ROOT, "== %s (%s): preparing %d sessions per route%n", db.label(), version, o.sessions());
            SpringLibrary.installSchema(pool.ds(), db);
            OurLibrary.Mount cached = ours.mount(pool.ds(), true);
            OurLibrary.Mount uncached = ours.mount(pool.ds(), false);
            SpringLibrary spring = new SpringLibrary(pool.ds());
            List<String> cachedCookies = cached.logIn(o.sessions(), client, attr, value);
            List<Route> timed = List.of(
                    new Route("bare", "bare servlet", null, cachedCookies, false, null),
                    new Route("pass", "pass-through filter (control)", new PassThroughFilter(), cachedCookies, false, null),
                    new Route("ours-cache", "ours, cache on", cached.filter(), cachedCookies, true, null),
                    new Route("ours-nocache", "ours, cache off", uncached.filter(),
                            uncached.logIn(o.sessions(), client, attr, value), true, null),
                    new Route("spring", "Spring Session JDBC", spring.filter(), spring.logIn(o.sessions(), attr, value), true,
                            null));
            // counted copies (reflection proxies around the pool: never timed), fed fresh sessions just before counting
            CountingDataSource counter = CountingDataSource.counter();
            DataSource countedDs = CountingDataSource.wrap(pool.ds(), counter);
            OurLibrary.Mount countedCached = ours.mount(countedDs, true);
            OurLibrary.Mount countedUncached = ours.mount(countedDs, false);
            SpringLibrary countedSpring = new SpringLibrary(countedDs);
            List<Route> counted = List.of(
                    new Route("counted-ours-cache", "ours, cache on", countedCached.filter(), List.of(), true, new LongAdder()),
                    new Route("counted-ours-nocache", "ours, cache off", countedUncached.filter(), List.of(), true,
                            new LongAdder()),
                    new Route("counted-spring", "Spring Session JDBC", countedSpring.filter(), List.of(), true,
                            new LongAdder()));
            pool.analyze();
            List<Route> all = new ArrayList<>(timed);
            all.addAll(counted);
            try (BenchServer server = BenchServer.start(all)) {
                List<Path> scripts = new ArrayList<>();
                for (Route r : timed) {
                    check(server.url(r), r.cookies().get(0), client);
                    scripts.add(Wrk.script(r, client, dir));
                }
                for (int w = 0; w < o.warmupRounds(); w++) {
                    for (int i = 0; i < timed.size(); i++) {
                        int k = (i + w) % timed.size();
                        Slice s = slice(server, timed.get(k), scripts.get(k), -1, o);
                        progress(db, "warm-up " + (w + 1) + "/" + o.warmupRounds(), s);
                    }
                }
                if (o.profileSeconds() > 0) {
                    // a profile run measures nothing else: JFR and the profile's JVM flags would skew the figures
                    Route r = timed.stream().filter(t -> t.name().equals(o.profileRoute())).findFirst()
                            .orElseThrow(() -> new IllegalArgumentException("no route " + o.profileRoute()));
                    System.err.printf(Locale.ROOT, "[%s] profiling %s for %d s with JFR ...%n", db.label(), r.label(),
                            o.profileSeconds());
                    String profile = JfrProfile.profile(server.url(r), scripts.get(timed.indexOf(r)), dir, o, r.label());
                    return new DbRun(db, version, started, Duration.between(started, Instant.now()), timed, List.of(),
                            loadBefore, Machine.loadAverage(), List.of(), profile);
                }
                List<Slice> slices = new ArrayList<>();
                for (int round = 0; round < o.rounds(); round++) {
                    for (int i = 0; i < timed.size(); i++) {
                        // rotate who goes first, so no route always follows the same neighbour
                        int k = (i + round) % timed.size();
                        Slice s = slice(server, timed.get(k), scripts.get(k), round, o);
                        slices.add(s);
                        progress(db, "round " + (round + 1) + "/" + o.rounds(), s);
                    }
                }
                List<String> trips = new ArrayList<>();
                if (o.roundTrips()) {
                    trips.add(countRoundTrips(server, counted.get(0), countedCached.logIn(o.sessions(), client, attr, value),
                            counter, client, dir, o));
                    trips.add(countRoundTrips(server, counted.get(1),
                            countedUncached.logIn(o.sessions(), client, attr, value), counter, client, dir, o));
                    trips.add(countRoundTrips(server, counted.get(2), countedSpring.logIn(o.sessions(), attr, value), counter,
                            client, dir, o));
                }
                return new DbRun(db, version, started, Duration.between(started, Instant.now()), timed, slices, loadBefore,
                        Machine.loadAverage(), trips, null);
            }
        }
    }

    /** One slice of load on one route, with the server's counters read around it. */
    static Slice slice(BenchServer server, Route r, Path script, int round, Options o) {
        JvmCounters.Snapshot before = JvmCounters.take();
        long busy0 = Machine.busyNanos();
        long t0 = System.nanoTime();
        Wrk.Result w = Wrk.run(server.url(r), script, o.threads(), o.connections(), o.sliceSeconds());
        pause(100); // let the last responses finish on the server
        JvmCounters.Snapshot after = JvmCounters.take();
        long busy1 = Machine.busyNanos();
        long wall = System.nanoTime() - t0;
        if (w.non2xx() > 0) {
            throw new IllegalStateException(r.label() + ": " + w.non2xx() + " responses were not 2xx: the prepared "
                    + "session was not recognised, so the figures would be wrong\n" + w.output());
        }
        return new Slice(r.name(), round, w, JvmCounters.between(before, after), busy0 < 0 ? -1 : busy1 - busy0, wall);
    }

    private static String countRoundTrips(BenchServer server, Route r, List<String> cookies, CountingDataSource counter,
                                          Client client, Path dir, Options o) throws Exception {
        Route fresh = new Route(r.name(), r.label(), r.filter(), cookies, r.requiresSession(), r.served());
        Path script = Wrk.script(fresh, client, dir);
        counter.reset();
        check(server.url(fresh), cookies.get(0), client); // one request alone: what it sends, in order
        pause(300); // a filter may still be working after the response is complete (Spring saves then)
        List<String> one = counter.reset().log();
        r.served().reset();
        Wrk.Result w = Wrk.run(server.url(fresh), script, o.threads(), o.connections(), Math.max(1, o.sliceSeconds() / 2));
        pause(300);
        CountingDataSource.Snapshot c = counter.reset();
        long served = r.served().sumThenReset();
        if (w.non2xx() > 0 || served == 0) {
            throw new IllegalStateException(r.label() + " (counted): " + w.non2xx() + " non-2xx of " + served);
        }
        String line = String.format(Locale.ROOT, "| %s | %.3f | %,d | %,d | %,d | %,d | %s |", r.label(),
                (double) c.roundTrips() / served, served, c.statements() + c.batches(), c.commits() + c.rollbacks(),
                c.other(), one.isEmpty() ? "nothing" : String.join(", ", one));
        System.err.println("round trips: " + line);
        return line;
    }

    private static void check(String url, String cookie, Client client) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(url)).header("Cookie", cookie)
                .header("User-Agent", client.userAgent()).header("Accept-Language", client.acceptLanguage()).build(),
                HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + res.statusCode() + ": " + res.body());
        }
    }

    private static void progress(Db db, String phase, Slice s) {
        System.err.printf(Locale.ROOT, "[%s %s] %-13s %,9.0f req/s  p50 %7.0f us  p99 %7.0f us  cpu %6.1f us/req  "
                        + "pool %5.2f us %5.3f tasks/req  alloc %,7.0f B/req  (jvm %.2f, machine %.2f cores)%n", db.label(), phase,
                s.route(), s.requestsPerSecond(), s.wrk().p50Micros(), s.wrk().p99Micros(), s.cpuMicros(),
                s.commonPoolMicros(), s.commonPoolTasks(), s.bytes(), s.jvmCores(), s.machineCores());
    }

    private static String version(DataSource ds) {
        try (Connection c = ds.getConnection()) {
            return c.getMetaData().getDatabaseProductName() + " " + c.getMetaData().getDatabaseProductVersion();
        } catch (Exception e) {
            return "unknown";
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
