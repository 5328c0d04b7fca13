package io.platformsessions.spring.boot;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.springframework.boot.convert.DurationUnit;

/**
 * Micrometer meters.
 * These are the properties under {@code platform.sessions.metrics}, a group of {@link PlatformSessionsProperties}.
 *
 * <p>A mutable JavaBean for Spring's binder: not thread-safe while it is being bound, read-only afterwards.
 */
public class PlatformSessionsMetricsProperties {
    /** Whether the platform.sessions.* meters are registered (needs Micrometer and a MeterRegistry). */
    private boolean enabled = true;

    /** How often live sessions are counted in the store for the platform.sessions.active gauge (one query each time). */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration activeSessionsSampleInterval = Duration.ofMinutes(1);

    /**
     * Whether the meters are registered.
     *
     * @return {@code true} if so
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Sets whether the meters are registered.
     *
     * @param enabled {@code true} if so
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * The sampling interval of the active-sessions gauge.
     *
     * @return the duration
     */
    public Duration getActiveSessionsSampleInterval() {
        return activeSessionsSampleInterval;
    }

    /**
     * Sets the sampling interval of the active-sessions gauge.
     *
     * @param activeSessionsSampleInterval the duration
     */
    public void setActiveSessionsSampleInterval(Duration activeSessionsSampleInterval) {
        this.activeSessionsSampleInterval = activeSessionsSampleInterval;
    }
}
