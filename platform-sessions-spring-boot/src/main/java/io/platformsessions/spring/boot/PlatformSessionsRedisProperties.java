package io.platformsessions.spring.boot;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.convert.DurationUnit;

/**
 * The Redis store (module session-redis), with its own Lettuce client.
 * These are the properties under {@code platform.sessions.redis}, a group of {@link PlatformSessionsProperties}.
 *
 * <p>A mutable JavaBean for Spring's binder: not thread-safe while it is being bound, read-only afterwards.
 */
public class PlatformSessionsRedisProperties {
    /** A single node or Sentinel: redis://[user:password@]host[:port][/database], rediss:// for TLS, redis-sentinel://...#masterId. */
    private String uri;

    /** Seed nodes of a Redis Cluster (instead of uri). */
    private List<String> clusterUris = new ArrayList<>();

    /** User name (ACL), when not in the URI. */
    private String username;

    /** Password, when not in the URI. Never logged. */
    private String password;

    /** Prefix of every key the store writes. */
    private String keyPrefix = "ps:"; // RedisSessionStore.DEFAULT_KEY_PREFIX

    /** Longest wait for one command; a slower Redis fails the request with 503. */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration commandTimeout = Duration.ofSeconds(1); // RedisSessionStore.DEFAULT_COMMAND_TIMEOUT: session-redis is optional

    /** Longest wait to connect. */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration connectTimeout = Duration.ofSeconds(2); // RedisSessionStore.DEFAULT_CONNECT_TIMEOUT

    /** How long an expired session stays readable (as expired) before Redis drops it; needed for archiving. */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration expiredRetention = Duration.ZERO;

    /** Append ended sessions to the capped stream {@code <prefix>archive}. */
    private boolean archiveEndedSessions;

    /** About how many entries the archive stream keeps. */
    private long archiveMaxLength = 100_000; // RedisSessionStore.DEFAULT_ARCHIVE_MAX_LENGTH

    /**
     * The store's change bus: write scripts announce each change on Redis pub/sub and every node drops the cached
     * copies others changed. Turn it on on every node of a multi-node deployment.
     */
    private boolean changeBus;

    /**
     * The URI.
     *
     * @return the URI, or {@code null}
     */
    public String getUri() {
        return uri;
    }

    /**
     * Sets the URI.
     *
     * @param uri the URI
     */
    public void setUri(String uri) {
        this.uri = uri;
    }

    /**
     * The cluster seeds.
     *
     * @return the URIs
     */
    public List<String> getClusterUris() {
        return clusterUris;
    }

    /**
     * Sets the cluster seeds.
     *
     * @param clusterUris the URIs
     */
    public void setClusterUris(List<String> clusterUris) {
        this.clusterUris = clusterUris;
    }

    /**
     * The user name.
     *
     * @return the name, or {@code null}
     */
    public String getUsername() {
        return username;
    }

    /**
     * Sets the user name.
     *
     * @param username the name
     */
    public void setUsername(String username) {
        this.username = username;
    }

    /**
     * The password.
     *
     * @return the password, or {@code null}
     */
    public String getPassword() {
        return password;
    }

    /**
     * Sets the password.
     *
     * @param password the password
     */
    public void setPassword(String password) {
        this.password = password;
    }

    /**
     * The key prefix.
     *
     * @return the prefix
     */
    public String getKeyPrefix() {
        return keyPrefix;
    }

    /**
     * Sets the key prefix.
     *
     * @param keyPrefix the prefix
     */
    public void setKeyPrefix(String keyPrefix) {
        this.keyPrefix = keyPrefix;
    }

    /**
     * The command timeout.
     *
     * @return the duration
     */
    public Duration getCommandTimeout() {
        return commandTimeout;
    }

    /**
     * Sets the command timeout.
     *
     * @param commandTimeout the duration
     */
    public void setCommandTimeout(Duration commandTimeout) {
        this.commandTimeout = commandTimeout;
    }

    /**
     * The connect timeout.
     *
     * @return the duration
     */
    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    /**
     * Sets the connect timeout.
     *
     * @param connectTimeout the duration
     */
    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    /**
     * The expired retention.
     *
     * @return the duration
     */
    public Duration getExpiredRetention() {
        return expiredRetention;
    }

    /**
     * Sets the expired retention.
     *
     * @param expiredRetention the duration
     */
    public void setExpiredRetention(Duration expiredRetention) {
        this.expiredRetention = expiredRetention;
    }

    /**
     * Whether ended sessions are archived.
     *
     * @return {@code true} if so
     */
    public boolean isArchiveEndedSessions() {
        return archiveEndedSessions;
    }

    /**
     * Sets whether ended sessions are archived.
     *
     * @param archiveEndedSessions {@code true} if so
     */
    public void setArchiveEndedSessions(boolean archiveEndedSessions) {
        this.archiveEndedSessions = archiveEndedSessions;
    }

    /**
     * Whether the Redis store comes with its change bus.
     *
     * @return {@code true} if so
     */
    public boolean isChangeBus() {
        return changeBus;
    }

    /**
     * Sets whether the Redis store comes with its change bus ({@code RedisSessionStore.Builder.changeBus}).
     *
     * @param changeBus {@code true} for the bus
     */
    public void setChangeBus(boolean changeBus) {
        this.changeBus = changeBus;
    }

    /**
     * The archive length.
     *
     * @return entries
     */
    public long getArchiveMaxLength() {
        return archiveMaxLength;
    }

    /**
     * Sets the archive length.
     *
     * @param archiveMaxLength entries
     */
    public void setArchiveMaxLength(long archiveMaxLength) {
        this.archiveMaxLength = archiveMaxLength;
    }
}
