package io.platformsessions.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.time.Instant;

/**
 * Counts events per subject (an IP, a session) in fixed one-minute windows and blocks a subject for
 * a cool-down once it goes over the limit. Bounded (Caffeine, least recently used entries go first),
 * so a flood of subjects cannot exhaust memory. Thread-safe.
 *
 * @param <K> the subject type
 */
public final class RateLimiter<K> {
    private static final Duration WINDOW = Duration.ofMinutes(1);

    private final Cache<K, Window> windows;
    private final int limit;
    private final Duration cooldown;

    /**
     * Creates a limiter.
     *
     * @param limit events allowed per minute
     * @param cooldown how long a subject stays blocked after exceeding it (zero: never blocked)
     * @param maximumSubjects how many subjects are tracked at most
     */
    public RateLimiter(int limit, Duration cooldown, long maximumSubjects) {
        this.limit = limit;
        this.cooldown = cooldown;
        this.windows = Caffeine.newBuilder().maximumSize(maximumSubjects).build();
    }

    /**
     * Counts one event.
     *
     * @param subject who
     * @param now when
     * @return {@code true} exactly once when this event takes the subject over the limit
     */
    public boolean record(K subject, Instant now) {
        Window w = windows.get(subject, k -> new Window());
        synchronized (w) {
            if (w.start == null || !now.isBefore(w.start.plus(WINDOW))) {
                w.start = now;
                w.count = 0;
            }
            w.count++;
            if (w.count == limit + 1) {
                if (!cooldown.isZero()) {
                    w.blockedUntil = now.plus(cooldown);
                }
                return true;
            }
            return false;
        }
    }

    /**
     * Whether the subject is cooling down. No allocation for unknown subjects.
     *
     * @param subject who
     * @param now when
     * @return {@code true} while blocked
     */
    public boolean isBlocked(K subject, Instant now) {
        Window w = windows.getIfPresent(subject);
        if (w == null) {
            return false;
        }
        synchronized (w) {
            return w.blockedUntil != null && now.isBefore(w.blockedUntil);
        }
    }

    private static final class Window {
        private Instant start;
        private int count;
        private Instant blockedUntil;
    }
}
