package io.platformsessions;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.time.Instant;

/**
 * Counts events per subject (an IP network, a session) in fixed one-minute windows and blocks a
 * subject for a cool-down once it goes over the limit. Bounded (Caffeine: at most
 * {@code maximumSubjects} entries, idle entries dropped after window + cool-down), so a flood of
 * subjects cannot exhaust memory. Times come from the caller (the engine's clock), so tests need no
 * sleeps. Thread-safe.
 *
 * @param <K> the subject type
 */
final class RateLimiter<K> {
    /** Length of a counting window. */
    static final Duration WINDOW = Duration.ofMinutes(1);

    private final Cache<K, Window> windows;
    // latest end of any cool-down: lets isAnyBlocked answer without touching the map
    private volatile long anyBlockedUntilMillis = Long.MIN_VALUE;
    private final int limit;
    private final Duration cooldown;

    /**
     * Creates a limiter.
     *
     * @param limit events allowed per minute, at least 1
     * @param cooldown how long a subject stays blocked after exceeding it (zero: never blocked, only reported)
     * @param maximumSubjects how many subjects are tracked at most
     * @throws IllegalArgumentException if {@code limit} is below 1, {@code cooldown} is null or negative,
     *     or {@code maximumSubjects} is below 1
     */
    RateLimiter(int limit, Duration cooldown, long maximumSubjects) {
        if (limit < 1 || cooldown == null || cooldown.isNegative() || maximumSubjects < 1) {
            throw new IllegalArgumentException("rate limiter needs limit >= 1, a cool-down >= 0 and room for a subject");
        }
        this.limit = limit;
        this.cooldown = cooldown;
        this.windows = Caffeine.newBuilder().maximumSize(maximumSubjects)
                .expireAfterAccess(WINDOW.plus(cooldown)).build();
    }

    /**
     * Counts one event.
     *
     * @param subject who
     * @param now when
     * @return {@code true} exactly once per window, when this event takes the subject over the limit
     *     (and, with a cool-down, starts blocking it)
     */
    boolean record(K subject, Instant now) {
        Window w = windows.get(subject, k -> new Window());
        synchronized (w) {
            if (w.blockedUntil != null && !now.isBefore(w.blockedUntil)) {
                // cool-down over: start afresh, so the subject can be caught again
                w.blockedUntil = null;
                w.start = null;
            }
            if (w.start == null || !now.isBefore(w.start.plus(WINDOW))) {
                w.start = now;
                w.count = 0;
                w.reported = false;
            }
            w.count++;
            if (w.count > limit && !w.reported) {
                w.reported = true;
                if (!cooldown.isZero()) {
                    w.blockedUntil = now.plus(cooldown);
                    long until = w.blockedUntil.toEpochMilli();
                    synchronized (this) {
                        if (until > anyBlockedUntilMillis) {
                            anyBlockedUntilMillis = until;
                        }
                    }
                }
                return true;
            }
            return false;
        }
    }

    /**
     * Whether any subject may be cooling down at {@code now}: a cheap pre-check so the common case
     * (nobody blocked) costs one volatile read and no key computation.
     *
     * @param now the current time
     * @return {@code false} if certainly no subject is blocked
     */
    boolean isAnyBlocked(Instant now) {
        return now.toEpochMilli() < anyBlockedUntilMillis;
    }

    /**
     * Whether the subject is cooling down. No allocation for unknown subjects.
     *
     * @param subject who
     * @param now when
     * @return {@code true} while blocked
     */
    boolean isBlocked(K subject, Instant now) {
        Window w = windows.getIfPresent(subject);
        if (w == null) {
            return false;
        }
        synchronized (w) {
            return w.blockedUntil != null && now.isBefore(w.blockedUntil);
        }
    }

    /**
     * How many subjects are tracked now (approximate), for tests of the bound.
     *
     * @return the estimated number of subjects
     */
    long trackedSubjects() {
        windows.cleanUp();
        return windows.estimatedSize();
    }

    private static final class Window {
        private Instant start;
        private int count;
        private boolean reported;
        private Instant blockedUntil;
    }
}
