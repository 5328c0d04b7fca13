package io.platformsessions.examples;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds how many password checks (about 0.4 s of PBKDF2 CPU each at the demo's iteration count)
 * run at the same time, so a flood of logins cannot take every core. A login that finds no free
 * permit within {@link LoginPolicy#hashingWait()} is refused at once instead of queueing without
 * limit. Thread-safe.
 */
final class HashingLimit {
    private final Semaphore permits;
    private final long waitNanos;
    private final AtomicInteger inUse = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    HashingLimit(int permits, Duration wait) {
        this.permits = new Semaphore(permits, true);
        this.waitNanos = wait.toNanos();
    }

    /**
     * Takes a permit, waiting at most the configured time. A {@code true} answer must be paired
     * with {@link #release()}.
     *
     * @return whether a permit was taken; {@code false} when none was free in time or the thread
     *     was interrupted (its interrupt flag is then set again)
     */
    boolean tryAcquire() {
        boolean got;
        try {
            got = permits.tryAcquire(waitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (got) {
            int now = inUse.incrementAndGet();
            peak.accumulateAndGet(now, Math::max);
        }
        return got;
    }

    /** Gives back a permit taken by {@link #tryAcquire()}. */
    void release() {
        inUse.decrementAndGet();
        permits.release();
    }

    /**
     * The most permits ever held at the same time.
     *
     * @return the peak
     */
    int peak() {
        return peak.get();
    }
}
