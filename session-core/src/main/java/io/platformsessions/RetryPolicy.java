package io.platformsessions;

import java.time.Duration;

/**
 * How reads are retried when the store reports a transient failure: at most {@code maxAttempts}
 * tries, waiting {@code initialBackoff} and then doubling up to {@code maxBackoff} between them.
 * Writes are never blindly retried. Immutable.
 *
 * @param maxAttempts total tries including the first, at least 1
 * @param initialBackoff wait before the second try, zero or positive
 * @param maxBackoff upper bound of a single wait, at least {@code initialBackoff}
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    /**
     * Validates the components.
     *
     * @param maxAttempts the {@code maxAttempts} component
     * @param initialBackoff the {@code initialBackoff} component
     * @param maxBackoff the {@code maxBackoff} component
     * @throws IllegalArgumentException if {@code maxAttempts < 1} or a backoff is negative or out of order
     */
    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        if (initialBackoff == null || initialBackoff.isNegative()) {
            throw new IllegalArgumentException("initialBackoff must be zero or positive");
        }
        if (maxBackoff == null || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff must be at least initialBackoff");
        }
    }

    /**
     * The default: 3 attempts, 20 ms then 40 ms (a request waits at most about 60 ms more).
     *
     * @return the default policy
     */
    public static RetryPolicy defaults() {
        return new RetryPolicy(3, Duration.ofMillis(20), Duration.ofMillis(200));
    }

    /**
     * No retries.
     *
     * @return a policy of one attempt
     */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO);
    }

    /**
     * The wait before attempt {@code attempt} (2 for the first retry).
     *
     * @param attempt the attempt about to be made, at least 2
     * @return the backoff
     */
    public Duration backoffBefore(int attempt) {
        Duration wait = initialBackoff;
        for (int i = 2; i < attempt && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
}
