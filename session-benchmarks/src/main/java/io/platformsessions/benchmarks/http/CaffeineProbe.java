package io.platformsessions.benchmarks.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Diagnostic for the cached request's cache work, outside HTTP: two threads each doing what a
 * cached lookup does to Caffeine per request (a {@code getIfPresent} on a session cache built with
 * {@code maximumSize(100_000).expireAfterAccess(30 min)} holding 64 sessions, and a
 * {@code get(client, fn)} on a client-binding cache with {@code maximumSize(10_000)} and one
 * client), with Caffeine's default maintenance executor ({@code ForkJoinPool.commonPool}), with a
 * same-thread executor, with the session cache bounded by size only, and as {@code SessionCache} builds
 * it since issue 16 ({@code expireAfterWrite} with a same-thread executor). Between two requests each
 * thread spins for the rest of a request's CPU (default 20 µs), so the caches see reads as sparse as
 * in a server, not a tight loop. Reports per request the CPU on the calling threads over the
 * spin-only variant, the CPU of the common pool's workers and its tasks, in interleaved 1 s rounds
 * (medians). Not thread-safe; run from {@code main}.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.platformsessions.benchmarks.http.CaffeineProbe [ROUNDS [SPIN_MICROS]]}
 */
public final class CaffeineProbe {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static long spinIterations;

    private CaffeineProbe() {
    }

    /** Busy work the JIT cannot remove: an xorshift sequence. */
    private static long spin(long iterations) {
        long x = 0x9E3779B97F4A7C15L;
        for (long i = 0; i < iterations; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        return x;
    }

    private static long calibrate(double micros) {
        long iterations = 100_000;
        long sink = 0;
        for (int k = 0; k < 20; k++) {
            sink += spin(iterations); // warm up the JIT
        }
        long t0 = THREADS.getCurrentThreadCpuTime();
        for (int k = 0; k < 50; k++) {
            sink += spin(iterations);
        }
        double nsPerIteration = (THREADS.getCurrentThreadCpuTime() - t0) / 50.0 / iterations;
        if (sink == 42) {
            System.out.print("");
        }
        return Math.max(0, Math.round(micros * 1000 / nsPerIteration));
    }

    private enum Variant {
        DEFAULT("expireAfterAccess, commonPool maintenance (before issue 16)"),
        SAME_THREAD("expireAfterAccess, executor(Runnable::run)"),
        SIZE_ONLY("session cache without time expiry (commonPool)"),
        AS_BUILT("expireAfterWrite, executor(Runnable::run) (SessionCache now)"),
        NONE("no cache calls (the rest of the request only)");

        final String label;

        Variant(String label) {
            this.label = label;
        }
    }

    /** Per request pair: caller CPU ns, pool CPU ns, pool tasks. */
    private record Round(double callerNanos, double poolNanos, double tasks) {
    }

    /**
     * Entry point.
     * @param args optional number of rounds (default 7) and spin µs per request (default 20)
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        double spinMicros = args.length > 1 ? Double.parseDouble(args[1]) : 20;
        spinIterations = calibrate(spinMicros);
        List<List<Round>> results = new ArrayList<>();
        for (Variant v : Variant.values()) {
            results.add(new ArrayList<>());
            run(v, 1000); // warm-up
        }
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < Variant.values().length; i++) {
                int k = (i + r) % Variant.values().length;
                results.get(k).add(run(Variant.values()[k], 1000));
            }
        }
        System.out.println("| Caffeine configuration | caller CPU ns/request over spin only | commonPool CPU ns/request | "
                + "commonPool tasks/request | total ns/request |");
        System.out.println("| --- | ---: | ---: | ---: | ---: |");
        List<Round> none = results.get(Variant.NONE.ordinal());
        for (Variant v : Variant.values()) {
            if (v == Variant.NONE) {
                continue;
            }
            List<Round> rs = results.get(v.ordinal());
            List<Double> over = new ArrayList<>();
            for (int r = 0; r < rs.size(); r++) {
                over.add(rs.get(r).callerNanos() - none.get(r).callerNanos());
            }
            double caller = HttpReport.median(over);
            double pool = HttpReport.median(rs.stream().map(Round::poolNanos).toList());
            double tasks = HttpReport.median(rs.stream().map(Round::tasks).toList());
            System.out.printf(Locale.ROOT, "| %s | %.0f (%.0f-%.0f) | %.0f | %.4f | %.0f |%n", v.label, caller,
                    HttpReport.min(over), HttpReport.max(over), pool, tasks, caller + pool);
        }
        System.out.printf(Locale.ROOT, "%nMedians (lowest-highest) of %d interleaved rounds of 1 s, 2 calling threads, "
                + "%.0f µs of spinning per request (spin only: %.0f ns of caller CPU per request), %d cores.%n", rounds,
                spinMicros, HttpReport.median(none.stream().map(Round::callerNanos).toList()),
                Runtime.getRuntime().availableProcessors());
    }

    private static Round run(Variant v, long millis) throws InterruptedException {
        Caffeine<Object, Object> sessions = Caffeine.newBuilder().maximumSize(100_000);
        if (v == Variant.AS_BUILT) {
            sessions.expireAfterWrite(Duration.ofMinutes(30)).executor(Runnable::run);
        } else if (v != Variant.SIZE_ONLY) {
            sessions.expireAfterAccess(Duration.ofMinutes(30));
        }
        Caffeine<Object, Object> bindings = Caffeine.newBuilder().maximumSize(10_000);
        if (v == Variant.SAME_THREAD) {
            sessions.executor(Runnable::run);
            bindings.executor(Runnable::run);
        }
        Cache<String, Object> sessionCache = sessions.build();
        Cache<String, Object> bindingCache = bindings.build();
        String[] keys = new String[64];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = "session-" + i;
            sessionCache.put(keys[i], new Object());
        }
        String client = "client";
        AtomicLong ops = new AtomicLong();
        AtomicLong callerCpu = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        long deadline = System.nanoTime() + millis * 1_000_000L + 50_000_000L;
        for (int t = 0; t < 2; t++) {
            int offset = t * 17;
            Thread th = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                long cpu0 = THREADS.getCurrentThreadCpuTime();
                long n = 0;
                int i = offset;
                Object sink = null;
                long spun = 0;
                while ((n & 63) != 0 || System.nanoTime() < deadline) {
                    if (v != Variant.NONE) {
                        sink = sessionCache.getIfPresent(keys[i++ & 63]);
                        sink = bindingCache.get(client, c -> c.length());
                    } else {
                        sink = client;
                    }
                    spun += spin(spinIterations);
                    n++;
                }
                if (sink == null || spun == 42) {
                    throw new IllegalStateException("missing");
                }
                callerCpu.addAndGet(THREADS.getCurrentThreadCpuTime() - cpu0);
                ops.addAndGet(n);
            }, "probe-" + t);
            threads.add(th);
            th.start();
        }
        JvmCounters.Snapshot before = JvmCounters.take();
        start.countDown();
        for (Thread th : threads) {
            th.join();
        }
        HttpBenchmark.pause(50);
        JvmCounters.Delta d = JvmCounters.between(before, JvmCounters.take());
        double n = ops.get();
        return new Round(callerCpu.get() / n, d.cpu().get(JvmCounters.Group.COMMON_POOL) / n, d.poolTasks() / n);
    }
}
