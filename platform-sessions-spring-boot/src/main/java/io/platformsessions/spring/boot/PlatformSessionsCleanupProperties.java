package io.platformsessions.spring.boot;

import io.platformsessions.SessionConfig;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.springframework.boot.convert.DurationUnit;

/**
 * The background deletion of expired sessions.
 * These are the properties under {@code platform.sessions.cleanup}, a group of {@link PlatformSessionsProperties}.
 *
 * <p>A mutable JavaBean for Spring's binder: not thread-safe while it is being bound, read-only afterwards.
 */
public class PlatformSessionsCleanupProperties {
    private static final SessionConfig DEFAULTS = SessionConfig.defaults();

    /** Whether expired sessions are deleted on a schedule (run it on every node; nodes share the work). */
    private boolean enabled = true;

    /** Time between cleanup runs. */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration interval = Duration.ofMinutes(1);

    /** Rows deleted per statement. */
    private int batchSize = DEFAULTS.cleanupBatchSize();

    /**
     * Whether cleanup runs.
     *
     * @return {@code true} if so
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Sets whether cleanup runs.
     *
     * @param enabled {@code true} if so
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * The interval.
     *
     * @return the duration
     */
    public Duration getInterval() {
        return interval;
    }

    /**
     * Sets the interval.
     *
     * @param interval the duration
     */
    public void setInterval(Duration interval) {
        this.interval = interval;
    }

    /**
     * The batch size.
     *
     * @return rows
     */
    public int getBatchSize() {
        return batchSize;
    }

    /**
     * Sets the batch size.
     *
     * @param batchSize rows
     */
    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }
}
