package io.platformsessions.benchmarks;

import io.platformsessions.SessionConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import javax.sql.DataSource;

/**
 * Counts statements and round trips per operation for both libraries, through a
 * {@link CountingDataSource} wrapped around the same kind of pool the benchmarks use. Single
 * threaded and untimed. Not thread-safe.
 */
final class RoundTrips {
    private static final int CALLS = 60;

    private RoundTrips() {
    }

    /**
     * One operation's counts for one library.
     * @param operation the operation label
     * @param db the database
     * @param lib {@code ours} or {@code spring}
     * @param perOp round trips per call, averaged over the calls
     * @param statementsPerOp statements (and batches) per call
     * @param sample what one call sent, compressed (for example {@code SELECT, COMMIT, UPDATE, COMMIT})
     */
    record Entry(String operation, Db db, String lib, double perOp, double statementsPerOp, String sample) {
    }

    /**
     * Counts every operation on one database.
     * @param db the database
     * @param cleanupCount how many expired sessions the cleanup row removes
     * @return the entries
     */
    static List<Entry> count(Db db, int cleanupCount) {
        List<Entry> out = new ArrayList<>();
        // ours, default configuration (cache on)
        try (Db.Pool pool = db.open(Parallel.THREADS + 2)) {
            CountingDataSource counts = CountingDataSource.counter();
            DataSource ds = CountingDataSource.wrap(pool.ds(), counts);
            try (OursSubject ours = new OursSubject(OurStores.open(pool, ds), true)) {
                ours.prepareActive(200, 20);
                long[] n = {0};
                out.add(measure(Ops.CREATE, db, "ours", counts, i -> ours.create(n[0]++)));
                out.add(measure(Ops.REQUEST_CACHE_ON, db, "ours", counts, ours::requestCycle));
                out.add(measure(Ops.SWITCH, db, "ours", counts, ours::switchPlatform));
                out.add(measure(Ops.LIST, db, "ours", counts, ours::listSessions));
                out.add(cleanup(db, "ours", counts, ours, cleanupCount));
            }
        }
        // ours, cache off
        try (Db.Pool pool = db.open(Parallel.THREADS + 2)) {
            CountingDataSource counts = CountingDataSource.counter();
            DataSource ds = CountingDataSource.wrap(pool.ds(), counts);
            try (OursSubject ours = new OursSubject(OurStores.open(pool, ds), false)) {
                ours.prepareActive(200, 20);
                out.add(measure(Ops.REQUEST_CACHE_OFF, db, "ours", counts, ours::requestCycle));
                out.add(measure(Ops.SWITCH + " (cache off)", db, "ours", counts, ours::switchPlatform));
            }
        }
        // ours, when the throttled touch is due (once per session per touch interval, 60 s by default)
        for (boolean cache : new boolean[] {true, false}) {
            try (Db.Pool pool = db.open(Parallel.THREADS + 2)) {
                CountingDataSource counts = CountingDataSource.counter();
                DataSource ds = CountingDataSource.wrap(pool.ds(), counts);
                MutableClock clock = new MutableClock(Instant.now());
                SessionConfig config = SessionConfig.builder().cacheEnabled(cache).clock(clock).build();
                try (OursSubject ours = new OursSubject(OurStores.open(pool, ds), config)) {
                    int sessions = 10;
                    ours.prepareActive(sessions, sessions);
                    out.add(measure("request cycle, touch due, cache " + (cache ? "on" : "off"), db, "ours", counts, i -> {
                        if (i % sessions == 0) {
                            clock.advance(Duration.ofSeconds(61));
                        }
                        return ours.requestCycle(i);
                    }));
                }
            }
        }
        // Spring Session JDBC
        try (Db.Pool pool = db.open(Parallel.THREADS + 2)) {
            CountingDataSource counts = CountingDataSource.counter();
            DataSource ds = CountingDataSource.wrap(pool.ds(), counts);
            SpringSubject.installSchema(pool.ds(), db);
            try (SpringSubject spring = new SpringSubject(ds)) {
                spring.prepareActive(200, 20);
                long[] n = {0};
                out.add(measure(Ops.CREATE, db, "spring", counts, i -> spring.create(n[0]++)));
                out.add(measure(Ops.REQUEST_CACHE_ON, db, "spring", counts, spring::requestCycle));
                out.add(measure(Ops.REQUEST_CACHE_OFF, db, "spring", counts, spring::requestCycle));
                out.add(measure(Ops.SWITCH, db, "spring", counts, spring::switchPlatform));
                out.add(measure(Ops.LIST, db, "spring", counts, spring::listSessions));
                out.add(cleanup(db, "spring", counts, spring, cleanupCount));
            }
        }
        return out;
    }

    private static Entry measure(String op, Db db, String lib, CountingDataSource counts, IntFunction<Object> call) {
        for (int i = 0; i < 5; i++) {
            call.apply(i); // warm: first calls may prepare statements or fill caches
        }
        counts.reset();
        for (int i = 5; i < 5 + CALLS; i++) {
            call.apply(i);
        }
        CountingDataSource.Snapshot all = counts.reset();
        call.apply(5 + CALLS);
        CountingDataSource.Snapshot one = counts.reset();
        return new Entry(op, db, lib, (double) all.roundTrips() / CALLS,
                (double) (all.statements() + all.batches()) / CALLS, compress(one.log()));
    }

    private static Entry cleanup(Db db, String lib, CountingDataSource counts, Subject subject, int expired) {
        subject.prepareExpired(expired);
        counts.reset();
        subject.cleanup();
        CountingDataSource.Snapshot s = counts.reset();
        return new Entry(String.format(Locale.ROOT, "cleanup of %,d expired (per cleanup)", expired), db, lib,
                s.roundTrips(), s.statements() + s.batches(), compress(s.log())
                        + (s.log().size() >= CountingDataSource.LOG_LIMIT ? ", ... (first " + s.log().size() + " shown)" : ""));
    }

    /**
     * Joins labels, folding repeats of one to three labels: {@code DELETE, DELETE} becomes
     * {@code DELETE x2} and {@code SELECT, DELETE, COMMIT, SELECT, DELETE, COMMIT} becomes
     * {@code (SELECT, DELETE, COMMIT) x2}.
     */
    static String compress(List<String> log) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (i < log.size()) {
            int bestLen = 1;
            int bestReps = 1;
            for (int len = 1; len <= 3 && i + len <= log.size(); len++) {
                int reps = 1;
                while (i + (reps + 1) * len <= log.size()
                        && log.subList(i, i + len).equals(log.subList(i + reps * len, i + (reps + 1) * len))) {
                    reps++;
                }
                if (reps > 1 && reps * len > bestReps * bestLen) {
                    bestLen = len;
                    bestReps = reps;
                }
            }
            if (b.length() > 0) {
                b.append(", ");
            }
            String unit = String.join(", ", log.subList(i, i + bestLen));
            b.append(bestLen > 1 ? "(" + unit + ")" : unit);
            if (bestReps > 1) {
                b.append(" x").append(bestReps);
            }
            i += bestLen * bestReps;
        }
        return b.length() == 0 ? "none" : b.toString();
    }
}
