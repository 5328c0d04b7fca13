package io.platformsessions.benchmarks;

import io.platformsessions.PlatformContext;
import io.platformsessions.SessionConfig;
import io.platformsessions.SessionKey;
import io.platformsessions.SessionManager;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;

/**
 * Measures heap per cached session: creates {@code n} sessions (with a platform and a realistic
 * client) through a manager whose store keeps nothing, so the cache holds the only copies, and
 * compares used heap before and after, each after forced full collections. Not thread-safe; run
 * alone.
 */
final class HeapPerSession {
    private HeapPerSession() {
    }

    /**
     * Heap bytes per cached session.
     * @param n how many sessions
     * @return the result
     */
    static Result measure(int n) {
        SessionConfig config = SessionConfig.builder().cacheMaximumBytes((n + n / 10 + 1_000) * 1_024L).build();
        SessionManager manager = SessionManager.builder(new DiscardingStore()).config(config)
                .platformDirectory(new SyntheticPlatforms()).build();
        // warm the code paths (class loading, Caffeine's buffers) and then empty the cache again
        for (int k = 0; k < 2_000; k++) {
            long user = 900_000_000L + k;
            PlatformContext c = manager.create(SyntheticPlatforms.userId(user), SyntheticPlatforms.defaultPlatform(user),
                    OursSubject.CLIENT).context();
            manager.invalidate(c.key(), io.platformsessions.InvalidationReason.LOGOUT);
        }
        SessionKey[] sample = new SessionKey[100];
        int every = Math.max(1, n / sample.length);
        long before = usedAfterGc();
        for (int k = 0; k < n; k++) {
            PlatformContext c = manager.create(SyntheticPlatforms.userId(k), SyntheticPlatforms.defaultPlatform(k),
                    OursSubject.CLIENT).context();
            if (k % every == 0 && k / every < sample.length) {
                sample[k / every] = c.key(); // the key object is the cache's own: no extra heap
            }
        }
        long after = usedAfterGc();
        // the store keeps nothing, so a session found by key was found in the cache
        int cached = 0;
        for (SessionKey key : sample) {
            if (key != null && manager.peek(key).isPresent()) {
                cached++;
            }
        }
        Reference.reachabilityFence(manager);
        manager.close();
        return new Result(n, before, after, (double) (after - before) / n, cached);
    }

    /**
     * Used heap after forced full collections (the lowest of four readings).
     * @return bytes
     */
    static long usedAfterGc() {
        MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            used = Math.min(used, mx.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /**
     * The measurement.
     * @param sessions sessions created
     * @param before used heap before, bytes
     * @param after used heap after, bytes
     * @param bytesPerSession the difference per session
     * @param sampleCached how many of 100 sampled sessions were still in the cache afterwards
     */
    record Result(int sessions, long before, long after, double bytesPerSession, int sampleCached) {
    }
}
