package io.platformsessions.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.platformsessions.ClientInfo;
import io.platformsessions.CreatedSession;
import io.platformsessions.SessionConfig;
import io.platformsessions.SessionKey;
import io.platformsessions.SessionManager;
import io.platformsessions.jdbc.JdbcChangeBus;
import io.platformsessions.jdbc.JdbcSessionStore;
import io.platformsessions.spi.SessionChangeBus;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Issue 13's cross-node figures for the JDBC change buses, in one JVM run per database: two nodes (separate pools,
 * stores and buses) on one database; node A changes a session ({@code setAttribute}, one write) and node B's bus
 * hears it. Reports, over {@code --changes} writes (default 1,000) made one at a time with a random pause of
 * 0 to 5 ms between them:
 * <ul>
 * <li>visibility delay: from A's write returning (the change acknowledged) to B's bus delivering it, p50/p99/max
 *     (an announcement that arrives before A's call has returned counts as 0);</li>
 * <li>write cost with the bus on vs off: mean time of A's {@code setAttribute}, alternating rounds of 200 writes
 *     with and without a bus on the same database, as a ratio;</li>
 * <li>cached lookup with the bus on vs cache on without a bus: mean time per {@code lookup} of a cached session,
 *     alternating rounds, as a ratio.</li>
 * </ul>
 * Usage: {@code java -cp session-benchmarks/target/benchmarks.jar io.platformsessions.benchmarks.ChangeBusDelay
 * [--changes=N] [--interval=MS] [--db=postgresql,mariadb,h2]}. PostgreSQL ({@code PS_TEST_POSTGRES_URL}) runs
 * the NOTIFY bus and the polling bus, MariaDB ({@code PS_TEST_MARIADB_URL}) and H2 (in memory) the polling bus;
 * a database whose variable is unset is skipped with a warning. Prints a Markdown table to stdout.
 */
public final class ChangeBusDelay {
    private static final ClientInfo CLIENT = ClientInfo.unknown();
    private static final SecureRandom RANDOM = new SecureRandom();

    private ChangeBusDelay() {
    }

    /**
     * Entry point.
     *
     * @param args see the class description
     * @throws Exception if a database fails
     */
    public static void main(String[] args) throws Exception {
        int changes = 1_000;
        long intervalMillis = JdbcChangeBus.DEFAULT_POLL_INTERVAL.toMillis();
        List<String> dbs = List.of("postgresql", "mariadb", "h2");
        for (String a : args) {
            if (a.startsWith("--changes=")) {
                changes = Integer.parseInt(a.substring(10));
            } else if (a.startsWith("--interval=")) {
                intervalMillis = Long.parseLong(a.substring(11));
            } else if (a.startsWith("--db=")) {
                dbs = Arrays.asList(a.substring(5).toLowerCase(Locale.ROOT).split(","));
            } else {
                throw new IllegalArgumentException("unknown argument " + a);
            }
        }
        Duration interval = Duration.ofMillis(intervalMillis);
        System.out.println("| bus | database | changes | delay p50 | delay p99 | delay max | target p99 | met | "
                + "write with bus / without | cached lookup with bus / without | writes/s, 8 threads, with bus / without "
                + "| oversleep of sleep(1) p99 | load |");
        System.out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |");
        for (String db : dbs) {
            switch (db) {
                case "postgresql" -> {
                    String url = env("PS_TEST_POSTGRES_URL");
                    if (url != null) {
                        run("NOTIFY", "PostgreSQL", url, () -> JdbcChangeBus.postgres(url), changes, 100);
                        run("polling " + intervalMillis + " ms", "PostgreSQL", url, () -> JdbcChangeBus.polling(interval),
                                changes, intervalMillis + 50);
                    }
                }
                case "mariadb" -> {
                    String url = env("PS_TEST_MARIADB_URL");
                    if (url != null) {
                        run("polling " + intervalMillis + " ms", "MariaDB", url, () -> JdbcChangeBus.polling(interval),
                                changes, intervalMillis + 50);
                    }
                }
                case "h2" -> run("polling " + intervalMillis + " ms", "H2",
                        "jdbc:h2:mem:bus" + HexFormat.of().toHexDigits(RANDOM.nextInt()) + ";DB_CLOSE_DELAY=-1",
                        () -> JdbcChangeBus.polling(interval), changes, intervalMillis + 50);
                default -> throw new IllegalArgumentException("unknown database " + db);
            }
        }
    }

    private static String env(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            System.err.println("WARNING: " + name + " is not set: skipped");
            return null;
        }
        return v;
    }

    private static HikariDataSource pool(String url, String name) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url);
        c.setMaximumPoolSize(10);
        c.setMinimumIdle(1);
        c.setPoolName(name);
        return new HikariDataSource(c);
    }

    private static void run(String busName, String dbName, String url, Supplier<JdbcChangeBus> buses, int changes,
                            long targetP99) throws Exception {
        System.err.println("change bus delay: " + busName + " on " + dbName + " ...");
        String prefix = "b" + HexFormat.of().toHexDigits(RANDOM.nextInt()) + "_";
        JdbcChangeBus busA = buses.get();
        JdbcChangeBus busB = buses.get();
        try (HikariDataSource poolA = pool(url, "a"); HikariDataSource poolB = pool(url, "b");
             HikariDataSource poolC = pool(url, "c")) {
            JdbcSessionStore storeA = JdbcSessionStore.builder().dataSource(poolA).tablePrefix(prefix)
                    .initializeSchema(true).changeBus(busA).build();
            JdbcSessionStore storeB = JdbcSessionStore.builder().dataSource(poolB).tablePrefix(prefix)
                    .changeBus(busB).build();
            JdbcSessionStore storeC = JdbcSessionStore.builder().dataSource(poolC).tablePrefix(prefix).build();
            SessionConfig config = SessionConfig.builder().maxPlatformSwitchesPerMinute(1_000_000).build();
            SessionManager a = SessionManager.builder(storeA).config(config).build();
            SessionManager withoutBus = SessionManager.builder(storeC).config(config).build();
            Map<String, long[]> acked = new ConcurrentHashMap<>(); // "key:version" -> {ack nanos, heard nanos}
            AtomicInteger heard = new AtomicInteger();
            SessionChangeBus.Connection b = busB.connect(new SessionChangeBus.Listener() {
                @Override
                public void onChange(SessionChangeBus.Change change) {
                    long now = System.nanoTime();
                    acked.computeIfAbsent(change.key().hex() + ":" + change.version(), k -> new long[2])[1] = now;
                    heard.incrementAndGet();
                }

                @Override
                public void onReset(String why) {
                }
            });
            try {
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (!(busA.isLive() && b.isLive()) && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                List<CreatedSession> sessions = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    sessions.add(a.create("user" + i, CLIENT));
                }
                // visibility delay
                for (int i = 0; i < 100; i++) { // warm-up, not counted
                    a.setAttribute(sessions.get(i % sessions.size()).context().key(), "n", -i);
                }
                Thread.sleep(500);
                acked.clear();
                int before = heard.get();
                SchedulingNoise noise = new SchedulingNoise();
                List<String> keys = new ArrayList<>();
                for (int i = 0; i < changes; i++) {
                    SessionKey key = sessions.get(i % sessions.size()).context().key();
                    long version = a.setAttribute(key, "n", i).version();
                    long ack = System.nanoTime();
                    String k = key.hex() + ":" + version;
                    acked.computeIfAbsent(k, x -> new long[2])[0] = ack;
                    keys.add(k);
                    Thread.sleep(ThreadLocalRandom.current().nextInt(6));
                }
                deadline = System.nanoTime() + 10_000_000_000L;
                while (heard.get() - before < changes && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                double noiseP99 = noise.stopAndP99Millis();
                long[] delays = new long[keys.size()];
                int missing = 0;
                for (int i = 0; i < keys.size(); i++) {
                    long[] t = acked.get(keys.get(i));
                    if (t[1] == 0) {
                        missing++;
                        delays[i] = Long.MAX_VALUE;
                    } else {
                        delays[i] = Math.max(0, t[1] - t[0]);
                    }
                }
                Arrays.sort(delays);
                double p50 = millis(delays[delays.length / 2]);
                double p99 = millis(delays[(int) Math.ceil(delays.length * 0.99) - 1]);
                double max = millis(delays[delays.length - 1]);
                System.err.printf(Locale.ROOT, "  %s on %s: p90 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms%n", busName,
                        dbName, millis(delays[(int) (delays.length * 0.90)]), millis(delays[(int) (delays.length * 0.95)]),
                        p99, max);
                double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();

                List<CreatedSession> others = new ArrayList<>();
                for (int i = 0; i < sessions.size(); i++) {
                    others.add(withoutBus.create("other" + i, CLIENT));
                }
                double writeRatio = writeRatio(a, sessions, withoutBus, others);
                double lookupRatio = lookupRatio(a, sessions.get(0), withoutBus, others.get(0));
                double concurrentRatio = concurrentWriteRatio(a, sessions, withoutBus, others);
                System.out.printf(Locale.ROOT, "| %s | %s | %,d%s | %.1f ms | %.1f ms | %s | <= %d ms | %s | %.2f | %.2f | %.2f | %.1f ms | %.0f |%n",
                        busName, dbName, changes, missing == 0 ? "" : " (" + missing + " not heard)", p50, p99,
                        missing == 0 ? String.format(Locale.ROOT, "%.1f ms", max) : "-", targetP99,
                        missing == 0 && p99 <= targetP99 ? "yes" : "**NO**", writeRatio, lookupRatio, concurrentRatio, noiseP99,
                        load);
            } finally {
                b.close();
                a.close();
                withoutBus.close();
                storeA.dropSchema();
                storeA.close();
                storeB.close();
            }
        }
    }

    /**
     * A control for the machine's scheduling delays: a thread that sleeps 1 ms in a loop while the delays are
     * measured and records how much longer each sleep took.
     */
    private static final class SchedulingNoise {
        private final List<Long> oversleeps = new ArrayList<>();
        private volatile boolean stop;
        private final Thread thread = new Thread(() -> {
            while (!stop) {
                long start = System.nanoTime();
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
                synchronized (this.oversleeps) {
                    oversleeps.add(Math.max(0, System.nanoTime() - start - 1_000_000));
                }
            }
        }, "scheduling-noise");

        SchedulingNoise() {
            thread.setDaemon(true);
            thread.start();
        }

        double stopAndP99Millis() throws InterruptedException {
            stop = true;
            thread.join();
            long[] v = oversleeps.stream().mapToLong(Long::longValue).sorted().toArray();
            return v.length == 0 ? 0 : v[(int) Math.ceil(v.length * 0.99) - 1] / 1e6;
        }
    }

    private static double millis(long nanos) {
        return nanos == Long.MAX_VALUE ? Double.POSITIVE_INFINITY : nanos / 1e6;
    }

    /** Mean write time with the bus over without, alternating 10 rounds of 200 writes each. */
    private static double writeRatio(SessionManager withBus, List<CreatedSession> busSessions, SessionManager withoutBus,
                                     List<CreatedSession> plainSessions) {
        long on = 0;
        long off = 0;
        int n = 0;
        for (int round = 0; round < 11; round++) {
            for (SessionManager m : List.of(withBus, withoutBus)) {
                long start = System.nanoTime();
                for (int i = 0; i < 200; i++) {
                    List<CreatedSession> sessions = m == withBus ? busSessions : plainSessions;
                    m.setAttribute(sessions.get(i % sessions.size()).context().key(), "w", n++);
                }
                long t = System.nanoTime() - start;
                if (round > 0) { // the first round warms up
                    if (m == withBus) {
                        on += t;
                    } else {
                        off += t;
                    }
                }
            }
        }
        return (double) on / off;
    }

    /**
     * Throughput of 8 threads writing (each its own sessions) with the bus over without, alternating 6 rounds of
     * 1 s each (the first of each pair warms up): PostgreSQL serializes the commits of notifying transactions.
     */
    private static double concurrentWriteRatio(SessionManager withBus, List<CreatedSession> busSessions,
                                               SessionManager withoutBus, List<CreatedSession> plainSessions)
            throws InterruptedException {
        long on = 0;
        long off = 0;
        for (int round = 0; round < 6; round++) {
            for (SessionManager m : List.of(withBus, withoutBus)) {
                List<CreatedSession> sessions = m == withBus ? busSessions : plainSessions;
                java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();
                long end = System.nanoTime() + 1_000_000_000L;
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int first = t;
                    Thread th = new Thread(() -> {
                        for (int k = 0; System.nanoTime() < end; k++) { // thread t writes sessions t, t+8, ...: no conflicts
                            m.setAttribute(sessions.get(first + 8 * (k % 6)).context().key(), "c", k);
                            done.incrementAndGet();
                        }
                    });
                    th.start();
                    threads.add(th);
                }
                for (Thread th : threads) {
                    th.join();
                }
                if (round > 0) {
                    if (m == withBus) {
                        on += done.get();
                    } else {
                        off += done.get();
                    }
                }
            }
        }
        System.err.printf(Locale.ROOT, "  8 writing threads: %,d writes/s with the bus, %,d without%n", on / 5, off / 5);
        return (double) on / off;
    }

    /** Mean cached-lookup time with the bus (live) over cache on without a bus, alternating rounds. */
    private static double lookupRatio(SessionManager withBus, CreatedSession busSession, SessionManager withoutBus,
                                      CreatedSession plainSession) {
        long on = 0;
        long off = 0;
        for (int round = 0; round < 11; round++) {
            for (SessionManager m : List.of(withBus, withoutBus)) {
                long start = System.nanoTime();
                String token = (m == withBus ? busSession : plainSession).token().value();
                for (int i = 0; i < 100_000; i++) {
                    m.lookup(token, CLIENT);
                }
                long t = System.nanoTime() - start;
                if (round > 0) {
                    if (m == withBus) {
                        on += t;
                    } else {
                        off += t;
                    }
                }
            }
        }
        return (double) on / off;
    }
}
