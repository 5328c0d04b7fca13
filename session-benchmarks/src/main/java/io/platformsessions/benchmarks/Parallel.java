package io.platformsessions.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * Runs benchmark preparation on several threads, so that on a database that flushes every commit to
 * disk the commits of concurrent threads share flushes (group commit). Preparation only, never timed.
 * Thread-safe (stateless).
 */
final class Parallel {
    /** Threads used for preparation. */
    static final int THREADS = 6;

    private Parallel() {
    }

    /**
     * Calls {@code work} once for every number in {@code [0, count)}, numbers {@code t, t + THREADS, ...}
     * on thread {@code t}, and waits for all.
     * @param count how many numbers
     * @param work what to do for one number; must be safe to call from several threads for different numbers
     * @throws IllegalStateException if any call failed
     */
    static void forEach(int count, IntConsumer work) {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int first = t;
                futures.add(pool.submit(() -> {
                    for (int i = first; i < count; i += THREADS) {
                        work.accept(i);
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("preparation failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
