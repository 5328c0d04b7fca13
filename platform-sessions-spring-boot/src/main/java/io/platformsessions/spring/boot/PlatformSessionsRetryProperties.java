package io.platformsessions.spring.boot;

import io.platformsessions.RetryPolicy;
import java.time.Duration;

/**
 * Retries of transient store read failures.
 * These are the properties under {@code platform.sessions.retry}, a group of {@link PlatformSessionsProperties}.
 *
 * <p>A mutable JavaBean for Spring's binder: not thread-safe while it is being bound, read-only afterwards.
 */
public class PlatformSessionsRetryProperties {
    /** Tries per read, the first included (1 = no retry). */
    private int maxAttempts = RetryPolicy.defaults().maxAttempts();

    /** Wait before the first retry; doubles up to max-backoff (a bare number is milliseconds). */
    private Duration initialBackoff = RetryPolicy.defaults().initialBackoff();

    /** Longest single wait between tries (a bare number is milliseconds). */
    private Duration maxBackoff = RetryPolicy.defaults().maxBackoff();

    /**
     * Tries per read.
     *
     * @return attempts
     */
    public int getMaxAttempts() {
        return maxAttempts;
    }

    /**
     * Sets tries per read.
     *
     * @param maxAttempts attempts
     */
    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    /**
     * The first wait.
     *
     * @return the duration
     */
    public Duration getInitialBackoff() {
        return initialBackoff;
    }

    /**
     * Sets the first wait.
     *
     * @param initialBackoff the duration
     */
    public void setInitialBackoff(Duration initialBackoff) {
        this.initialBackoff = initialBackoff;
    }

    /**
     * The longest wait.
     *
     * @return the duration
     */
    public Duration getMaxBackoff() {
        return maxBackoff;
    }

    /**
     * Sets the longest wait.
     *
     * @param maxBackoff the duration
     */
    public void setMaxBackoff(Duration maxBackoff) {
        this.maxBackoff = maxBackoff;
    }
}
