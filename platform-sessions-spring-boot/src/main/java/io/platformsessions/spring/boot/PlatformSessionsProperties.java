package io.platformsessions.spring.boot;

import io.platformsessions.SessionConfig;
import io.platformsessions.jdbc.JdbcSessionStore;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties of Platform Sessions in a Spring Boot application, all under
 * {@code platform.sessions}. Unset options keep the library's defaults ({@link SessionConfig#defaults()},
 * {@link JdbcSessionStore}, {@code PlatformSessionFilter}); durations take Boot's formats ({@code 30m},
 * {@code 12h}, {@code PT30M}); a bare number is seconds unless stated otherwise. The values are checked when
 * the application starts, and a wrong one stops it with a message naming the property.
 *
 * <p>A mutable JavaBean for Spring's binder: not thread-safe while it is being bound, read-only afterwards.
 */
@ConfigurationProperties("platform.sessions")
public class PlatformSessionsProperties {
    private static final SessionConfig DEFAULTS = SessionConfig.defaults();

    /** Whether Platform Sessions is auto-configured at all. */
    private boolean enabled = true;

    /** A session with no activity for this long ends (precision: the touch interval). */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration idleTimeout = DEFAULTS.idleTimeout();

    /** A session ends this long after it was created, unless extended. */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration absoluteTimeout = DEFAULTS.absoluteTimeout();

    /** Hard cap on a session's life from creation; extending never passes it. */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration maxLifetime = DEFAULTS.maxLifetime();

    /** Live sessions one user may hold: the one concurrent-session limit (Spring Security's is refused). */
    private int maxSessionsPerUser = DEFAULTS.maxSessionsPerUser();

    /** What a login beyond the limit does: evict the least recently used session, or refuse the login. */
    private SessionConfig.LimitPolicy limitPolicy = DEFAULTS.limitPolicy();

    /** Last activity is written to the store at most this often per session (0 = every request). */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration touchInterval = DEFAULTS.touchInterval();

    /** What a change of the client's network, browser or language does: off, log (an event) or strict (end the session). */
    private SessionConfig.ClientChangePolicy clientChangePolicy = DEFAULTS.clientChangePolicy();

    /** More platform switches than this within a minute raise a suspicious-activity event. */
    private int maxPlatformSwitchesPerMinute = DEFAULTS.maxPlatformSwitchesPerMinute();

    /** More unknown session tokens than this from one IP within a minute start a cool-down for that IP. */
    private int maxUnknownTokensPerMinute = DEFAULTS.maxUnknownTokensPerMinute();

    /**
     * More unknown session tokens than this from all clients together within a minute make the node refuse
     * lookups of tokens it does not hold for a minute (bounds distributed guessing).
     */
    private int maxUnknownTokensPerMinuteTotal = DEFAULTS.maxUnknownTokensPerMinuteTotal();

    /** How long an IP that guessed too many tokens is refused. */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration unknownTokenCooldown = DEFAULTS.unknownTokenCooldown();

    /** Longest elevation ("sudo mode") a session can be granted. */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration maxElevation = DEFAULTS.maxElevation();

    /** Largest encoded attribute set of one session (1KB to 1MB; a bare number is bytes). */
    private DataSize maxAttributesSize = DataSize.ofBytes(DEFAULTS.maxAttributesBytes());

    @NestedConfigurationProperty
    private final PlatformSessionsCacheProperties cache = new PlatformSessionsCacheProperties();
    @NestedConfigurationProperty
    private final PlatformSessionsEncryptionProperties encryption = new PlatformSessionsEncryptionProperties();
    @NestedConfigurationProperty
    private final PlatformSessionsRetryProperties retry = new PlatformSessionsRetryProperties();
    @NestedConfigurationProperty
    private final PlatformSessionsStoreProperties store = new PlatformSessionsStoreProperties();
    @NestedConfigurationProperty
    private final PlatformSessionsJdbcProperties jdbc = new PlatformSessionsJdbcProperties();
    @NestedConfigurationProperty
    private final PlatformSessionsRedisProperties redis = new PlatformSessionsRedisProperties();
    @NestedConfigurationProperty
    private final PlatformSessionsFilterProperties filter = new PlatformSessionsFilterProperties();
    @NestedConfigurationProperty
    private final PlatformSessionsCleanupProperties cleanup = new PlatformSessionsCleanupProperties();
    @NestedConfigurationProperty
    private final PlatformSessionsSecurityProperties security = new PlatformSessionsSecurityProperties();
    @NestedConfigurationProperty
    private final PlatformSessionsMetricsProperties metrics = new PlatformSessionsMetricsProperties();

    /**
     * Whether Platform Sessions is auto-configured.
     *
     * @return {@code true} unless switched off
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Switches the auto-configuration on or off.
     *
     * @param enabled {@code false} to configure nothing
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * The idle timeout.
     *
     * @return the duration
     */
    public Duration getIdleTimeout() {
        return idleTimeout;
    }

    /**
     * Sets the idle timeout.
     *
     * @param idleTimeout the duration
     */
    public void setIdleTimeout(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    /**
     * The absolute timeout.
     *
     * @return the duration
     */
    public Duration getAbsoluteTimeout() {
        return absoluteTimeout;
    }

    /**
     * Sets the absolute timeout.
     *
     * @param absoluteTimeout the duration
     */
    public void setAbsoluteTimeout(Duration absoluteTimeout) {
        this.absoluteTimeout = absoluteTimeout;
    }

    /**
     * The maximum lifetime.
     *
     * @return the duration
     */
    public Duration getMaxLifetime() {
        return maxLifetime;
    }

    /**
     * Sets the maximum lifetime.
     *
     * @param maxLifetime the duration
     */
    public void setMaxLifetime(Duration maxLifetime) {
        this.maxLifetime = maxLifetime;
    }

    /**
     * The per-user session limit.
     *
     * @return sessions
     */
    public int getMaxSessionsPerUser() {
        return maxSessionsPerUser;
    }

    /**
     * Sets the per-user session limit.
     *
     * @param maxSessionsPerUser sessions
     */
    public void setMaxSessionsPerUser(int maxSessionsPerUser) {
        this.maxSessionsPerUser = maxSessionsPerUser;
    }

    /**
     * The limit policy.
     *
     * @return the policy
     */
    public SessionConfig.LimitPolicy getLimitPolicy() {
        return limitPolicy;
    }

    /**
     * Sets the limit policy.
     *
     * @param limitPolicy the policy
     */
    public void setLimitPolicy(SessionConfig.LimitPolicy limitPolicy) {
        this.limitPolicy = limitPolicy;
    }

    /**
     * The touch interval.
     *
     * @return the duration
     */
    public Duration getTouchInterval() {
        return touchInterval;
    }

    /**
     * Sets the touch interval.
     *
     * @param touchInterval the duration
     */
    public void setTouchInterval(Duration touchInterval) {
        this.touchInterval = touchInterval;
    }

    /**
     * The client-change policy.
     *
     * @return the policy
     */
    public SessionConfig.ClientChangePolicy getClientChangePolicy() {
        return clientChangePolicy;
    }

    /**
     * Sets the client-change policy.
     *
     * @param clientChangePolicy the policy
     */
    public void setClientChangePolicy(SessionConfig.ClientChangePolicy clientChangePolicy) {
        this.clientChangePolicy = clientChangePolicy;
    }

    /**
     * The platform-switch rate that raises an event.
     *
     * @return switches per minute
     */
    public int getMaxPlatformSwitchesPerMinute() {
        return maxPlatformSwitchesPerMinute;
    }

    /**
     * Sets the platform-switch rate that raises an event.
     *
     * @param maxPlatformSwitchesPerMinute switches per minute
     */
    public void setMaxPlatformSwitchesPerMinute(int maxPlatformSwitchesPerMinute) {
        this.maxPlatformSwitchesPerMinute = maxPlatformSwitchesPerMinute;
    }

    /**
     * The unknown-token rate per IP that starts a cool-down.
     *
     * @return tokens per minute
     */
    public int getMaxUnknownTokensPerMinute() {
        return maxUnknownTokensPerMinute;
    }

    /**
     * Sets the unknown-token rate per IP that starts a cool-down.
     *
     * @param maxUnknownTokensPerMinute tokens per minute
     */
    public void setMaxUnknownTokensPerMinute(int maxUnknownTokensPerMinute) {
        this.maxUnknownTokensPerMinute = maxUnknownTokensPerMinute;
    }

    /**
     * The unknown-token rate from all clients together that makes the node refuse unheld lookups.
     *
     * @return tokens per minute
     */
    public int getMaxUnknownTokensPerMinuteTotal() {
        return maxUnknownTokensPerMinuteTotal;
    }

    /**
     * Sets the unknown-token rate from all clients together that makes the node refuse unheld lookups.
     *
     * @param maxUnknownTokensPerMinuteTotal tokens per minute
     */
    public void setMaxUnknownTokensPerMinuteTotal(int maxUnknownTokensPerMinuteTotal) {
        this.maxUnknownTokensPerMinuteTotal = maxUnknownTokensPerMinuteTotal;
    }

    /**
     * The cool-down.
     *
     * @return the duration
     */
    public Duration getUnknownTokenCooldown() {
        return unknownTokenCooldown;
    }

    /**
     * Sets the cool-down.
     *
     * @param unknownTokenCooldown the duration
     */
    public void setUnknownTokenCooldown(Duration unknownTokenCooldown) {
        this.unknownTokenCooldown = unknownTokenCooldown;
    }

    /**
     * The longest elevation.
     *
     * @return the duration
     */
    public Duration getMaxElevation() {
        return maxElevation;
    }

    /**
     * Sets the longest elevation.
     *
     * @param maxElevation the duration
     */
    public void setMaxElevation(Duration maxElevation) {
        this.maxElevation = maxElevation;
    }

    /**
     * The largest attribute set.
     *
     * @return the size
     */
    public DataSize getMaxAttributesSize() {
        return maxAttributesSize;
    }

    /**
     * Sets the largest attribute set.
     *
     * @param maxAttributesSize the size
     */
    public void setMaxAttributesSize(DataSize maxAttributesSize) {
        this.maxAttributesSize = maxAttributesSize;
    }

    /**
     * Cache options.
     *
     * @return the cache options
     */
    public PlatformSessionsCacheProperties getCache() {
        return cache;
    }

    /**
     * Encryption options.
     *
     * @return the encryption options
     */
    public PlatformSessionsEncryptionProperties getEncryption() {
        return encryption;
    }

    /**
     * Retry options.
     *
     * @return the retry options
     */
    public PlatformSessionsRetryProperties getRetry() {
        return retry;
    }

    /**
     * Store options.
     *
     * @return the store options
     */
    public PlatformSessionsStoreProperties getStore() {
        return store;
    }

    /**
     * JDBC options.
     *
     * @return the JDBC options
     */
    public PlatformSessionsJdbcProperties getJdbc() {
        return jdbc;
    }

    /**
     * Redis options.
     *
     * @return the Redis options
     */
    public PlatformSessionsRedisProperties getRedis() {
        return redis;
    }

    /**
     * Servlet filter options.
     *
     * @return the filter options
     */
    public PlatformSessionsFilterProperties getFilter() {
        return filter;
    }

    /**
     * Cleanup options.
     *
     * @return the cleanup options
     */
    public PlatformSessionsCleanupProperties getCleanup() {
        return cleanup;
    }

    /**
     * Spring Security options.
     *
     * @return the security options
     */
    public PlatformSessionsSecurityProperties getSecurity() {
        return security;
    }

    /**
     * Metrics options.
     *
     * @return the metrics options
     */
    public PlatformSessionsMetricsProperties getMetrics() {
        return metrics;
    }
}
