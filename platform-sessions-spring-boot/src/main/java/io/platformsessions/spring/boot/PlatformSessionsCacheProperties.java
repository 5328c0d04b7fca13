package io.platformsessions.spring.boot;

import io.platformsessions.SessionConfig;
import java.time.Duration;
import org.springframework.util.unit.DataSize;

/**
 * The in-memory cache of live sessions.
 * These are the properties under {@code platform.sessions.cache}, a group of {@link PlatformSessionsProperties}.
 *
 * <p>A mutable JavaBean for Spring's binder: not thread-safe while it is being bound, read-only afterwards.
 */
public class PlatformSessionsCacheProperties {
    private static final SessionConfig DEFAULTS = SessionConfig.defaults();

    /** Whether live sessions are cached in memory (safe on several nodes: see max-staleness and the change bus). */
    private boolean enabled = DEFAULTS.cacheEnabled();

    /** Most bytes the cache holds: each session weighs a fixed overhead plus its encoded attributes. */
    private DataSize maximumSize = DataSize.ofBytes(DEFAULTS.cacheMaximumBytes());

    /**
     * Without a change bus, how long a cached copy may be served after the store last confirmed it; then the
     * next request reads the store again. Bounds how late a logout on another node is seen.
     */
    private Duration maxStaleness = DEFAULTS.maxCacheStaleness();

    /** Declares exactly one node per store: cached copies are served without re-reading (no staleness bound). */
    private boolean singleNode = DEFAULTS.singleNode();

    /**
     * Whether the cache is on.
     *
     * @return {@code true} if on
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Turns the cache on or off.
     *
     * @param enabled {@code true} for on
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * The cache bound.
     *
     * @return bytes
     */
    public DataSize getMaximumSize() {
        return maximumSize;
    }

    /**
     * Sets the cache bound.
     *
     * @param maximumSize bytes (Boot data-size format, e.g. {@code 64MB})
     */
    public void setMaximumSize(DataSize maximumSize) {
        this.maximumSize = maximumSize;
    }

    /**
     * The staleness bound without a change bus.
     *
     * @return the bound
     */
    public Duration getMaxStaleness() {
        return maxStaleness;
    }

    /**
     * Sets the staleness bound without a change bus.
     *
     * @param maxStaleness the bound (zero: re-read on every request)
     */
    public void setMaxStaleness(Duration maxStaleness) {
        this.maxStaleness = maxStaleness;
    }

    /**
     * Whether this application declares itself the only node on its store.
     *
     * @return {@code true} for single node
     */
    public boolean isSingleNode() {
        return singleNode;
    }

    /**
     * Declares (or not) that this application is the only node on its store.
     *
     * @param singleNode {@code true} for single node
     */
    public void setSingleNode(boolean singleNode) {
        this.singleNode = singleNode;
    }
}
