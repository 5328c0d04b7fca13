package io.platformsessions.spring.boot;

import io.platformsessions.RetryPolicy;
import io.platformsessions.SessionConfig;
import io.platformsessions.jdbc.JdbcDialect;
import io.platformsessions.jdbc.JdbcSessionStore;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
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

    private final Cache cache = new Cache();
    private final Encryption encryption = new Encryption();
    private final Retry retry = new Retry();
    private final Store store = new Store();
    private final Jdbc jdbc = new Jdbc();
    private final Redis redis = new Redis();
    private final Filter filter = new Filter();
    private final Cleanup cleanup = new Cleanup();
    private final Security security = new Security();
    private final Metrics metrics = new Metrics();

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
    public Cache getCache() {
        return cache;
    }

    /**
     * Encryption options.
     *
     * @return the encryption options
     */
    public Encryption getEncryption() {
        return encryption;
    }

    /**
     * Retry options.
     *
     * @return the retry options
     */
    public Retry getRetry() {
        return retry;
    }

    /**
     * Store options.
     *
     * @return the store options
     */
    public Store getStore() {
        return store;
    }

    /**
     * JDBC options.
     *
     * @return the JDBC options
     */
    public Jdbc getJdbc() {
        return jdbc;
    }

    /**
     * Redis options.
     *
     * @return the Redis options
     */
    public Redis getRedis() {
        return redis;
    }

    /**
     * Servlet filter options.
     *
     * @return the filter options
     */
    public Filter getFilter() {
        return filter;
    }

    /**
     * Cleanup options.
     *
     * @return the cleanup options
     */
    public Cleanup getCleanup() {
        return cleanup;
    }

    /**
     * Spring Security options.
     *
     * @return the security options
     */
    public Security getSecurity() {
        return security;
    }

    /**
     * Metrics options.
     *
     * @return the metrics options
     */
    public Metrics getMetrics() {
        return metrics;
    }

    /** The in-memory cache of live sessions. */
    public static class Cache {
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

    /** AES-256 keys for secret attributes. The values are never logged and are masked by Actuator. */
    public static class Encryption {
        /** Key id to key: 32 random bytes in Base64 (for example from {@code openssl rand -base64 32}); the first is active unless active-key says otherwise. */
        private Map<String, String> keys = new LinkedHashMap<>();

        /** Id of the key that seals new secret values; older keys still open old ones. */
        private String activeKey;

        /** Attribute names whose values are always sealed. */
        private List<String> secretAttributes = new ArrayList<>();

        /**
         * The keys by id, Base64.
         *
         * @return the keys
         */
        public Map<String, String> getKeys() {
            return keys;
        }

        /**
         * Sets the keys by id, Base64.
         *
         * @param keys the keys
         */
        public void setKeys(Map<String, String> keys) {
            this.keys = keys;
        }

        /**
         * The active key id.
         *
         * @return the id, or {@code null} for the first key
         */
        public String getActiveKey() {
            return activeKey;
        }

        /**
         * Sets the active key id.
         *
         * @param activeKey the id
         */
        public void setActiveKey(String activeKey) {
            this.activeKey = activeKey;
        }

        /**
         * The attribute names always sealed.
         *
         * @return the names
         */
        public List<String> getSecretAttributes() {
            return secretAttributes;
        }

        /**
         * Sets the attribute names always sealed.
         *
         * @param secretAttributes the names
         */
        public void setSecretAttributes(List<String> secretAttributes) {
            this.secretAttributes = secretAttributes;
        }
    }

    /** Retries of transient store read failures. */
    public static class Retry {
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

    /** Which store holds the sessions. */
    public static class Store {
        /** Store type; unset: Redis when platform.sessions.redis.uri or cluster-uris is set, else JDBC on the application's DataSource when there is one. */
        private StoreType type;

        /**
         * The store type.
         *
         * @return the type, or {@code null} to detect it
         */
        public StoreType getType() {
            return type;
        }

        /**
         * Sets the store type.
         *
         * @param type the type
         */
        public void setType(StoreType type) {
            this.type = type;
        }
    }

    /** When the JDBC tables are created. */
    public enum SchemaInitialization {
        /** Only when the DataSource is an embedded database (H2, HSQLDB, Derby). */
        EMBEDDED,
        /** At every start (missing tables and indexes are created; existing ones are checked). */
        ALWAYS,
        /** Never: apply the shipped schema file with a migration tool. */
        NEVER
    }

    /** The JDBC store's change bus (README, "Multi-node deployments"). */
    public enum JdbcChangeBusType {
        /** No bus: each node re-reads a cached session at most {@code cache.max-staleness} after the store confirmed it. */
        NONE,
        /** PostgreSQL {@code LISTEN/NOTIFY}: one listening connection per node, outside the pool. */
        POSTGRES,
        /** A change-log table polled by each node (MariaDB/MySQL, H2, PostgreSQL behind a transaction-mode pooler). */
        POLLING
    }

    /** The kinds of store the auto-configuration can build. */
    public enum StoreType {
        /** {@code JdbcSessionStore} on the application's DataSource. */
        JDBC,
        /** {@code RedisSessionStore} (session-redis) on platform.sessions.redis.*. */
        REDIS,
        /** {@code InMemorySessionStore}: one node, sessions lost on restart; for tests and demos. */
        MEMORY
    }

    /** The JDBC store and directories, on the application's DataSource. */
    public static class Jdbc {
        /** Prefix of the table names ({@code <prefix>sessions}, ...). */
        private String tablePrefix = JdbcSessionStore.DEFAULT_TABLE_PREFIX;

        /** Create missing tables at startup: embedded (only for an embedded database), always, or never (use the shipped schema file with Flyway or Liquibase). */
        private SchemaInitialization initializeSchema = SchemaInitialization.EMBEDDED;

        /** Copy ended sessions (with the reason) to {@code <prefix>sessions_archive} before deleting them. */
        private boolean archiveEndedSessions;

        /** PostgreSQL only: a new session's commit does not wait for the disk flush (see docs/jdbc.md). */
        private boolean asynchronousCreateCommit;

        /** SQL dialect; unset: detected from the connection. */
        private JdbcDialect dialect;

        /** User lookup for the user directory: one {@code ?} for the user id; columns id, username and optionally active. Unset: an application UserDirectory bean, or Spring Security's UserDetailsService, or any user. */
        private String userQuery;

        /** Change bus that keeps the caches of several nodes on this database coherent: none, postgres or polling. */
        private JdbcChangeBusType changeBus = JdbcChangeBusType.NONE;

        /** How often the polling change bus reads the change log (10 ms to 10 s). */
        private Duration changeBusPollInterval = Duration.ofMillis(200); // JdbcChangeBus.DEFAULT_POLL_INTERVAL

        /** PostgreSQL change bus: JDBC URL of its listening connection (credentials in the URL); unset: spring.datasource.url, username and password. */
        private String changeBusListenUrl;

        private final Platforms platforms = new Platforms();

        /**
         * The change bus.
         *
         * @return the kind of bus
         */
        public JdbcChangeBusType getChangeBus() {
            return changeBus;
        }

        /**
         * Sets the change bus.
         *
         * @param changeBus the kind of bus
         */
        public void setChangeBus(JdbcChangeBusType changeBus) {
            this.changeBus = changeBus;
        }

        /**
         * The polling bus's interval.
         *
         * @return the interval
         */
        public Duration getChangeBusPollInterval() {
            return changeBusPollInterval;
        }

        /**
         * Sets the polling bus's interval.
         *
         * @param changeBusPollInterval the interval
         */
        public void setChangeBusPollInterval(Duration changeBusPollInterval) {
            this.changeBusPollInterval = changeBusPollInterval;
        }

        /**
         * The PostgreSQL bus's listening URL.
         *
         * @return the URL, or null for the DataSource properties' URL
         */
        public String getChangeBusListenUrl() {
            return changeBusListenUrl;
        }

        /**
         * Sets the PostgreSQL bus's listening URL.
         *
         * @param changeBusListenUrl a {@code jdbc:postgresql:} URL
         */
        public void setChangeBusListenUrl(String changeBusListenUrl) {
            this.changeBusListenUrl = changeBusListenUrl;
        }

        /**
         * The table prefix.
         *
         * @return the prefix
         */
        public String getTablePrefix() {
            return tablePrefix;
        }

        /**
         * Sets the table prefix.
         *
         * @param tablePrefix the prefix
         */
        public void setTablePrefix(String tablePrefix) {
            this.tablePrefix = tablePrefix;
        }

        /**
         * When to create missing tables.
         *
         * @return the mode
         */
        public SchemaInitialization getInitializeSchema() {
            return initializeSchema;
        }

        /**
         * Sets when to create missing tables.
         *
         * @param initializeSchema the mode
         */
        public void setInitializeSchema(SchemaInitialization initializeSchema) {
            this.initializeSchema = initializeSchema;
        }

        /**
         * Whether ended sessions are archived.
         *
         * @return {@code true} to archive
         */
        public boolean isArchiveEndedSessions() {
            return archiveEndedSessions;
        }

        /**
         * Sets whether ended sessions are archived.
         *
         * @param archiveEndedSessions {@code true} to archive
         */
        public void setArchiveEndedSessions(boolean archiveEndedSessions) {
            this.archiveEndedSessions = archiveEndedSessions;
        }

        /**
         * Whether new sessions commit asynchronously on PostgreSQL.
         *
         * @return {@code true} if so
         */
        public boolean isAsynchronousCreateCommit() {
            return asynchronousCreateCommit;
        }

        /**
         * Sets whether new sessions commit asynchronously on PostgreSQL.
         *
         * @param asynchronousCreateCommit {@code true} if so
         */
        public void setAsynchronousCreateCommit(boolean asynchronousCreateCommit) {
            this.asynchronousCreateCommit = asynchronousCreateCommit;
        }

        /**
         * The dialect.
         *
         * @return the dialect, or {@code null} to detect it
         */
        public JdbcDialect getDialect() {
            return dialect;
        }

        /**
         * Sets the dialect.
         *
         * @param dialect the dialect
         */
        public void setDialect(JdbcDialect dialect) {
            this.dialect = dialect;
        }

        /**
         * The user query.
         *
         * @return the SQL, or {@code null}
         */
        public String getUserQuery() {
            return userQuery;
        }

        /**
         * Sets the user query.
         *
         * @param userQuery the SQL
         */
        public void setUserQuery(String userQuery) {
            this.userQuery = userQuery;
        }

        /**
         * Platform directory options.
         *
         * @return the options
         */
        public Platforms getPlatforms() {
            return platforms;
        }
    }

    /** The Redis store (module session-redis), with its own Lettuce client. */
    public static class Redis {
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

    /** Where the users' platform connections come from, when the application defines no PlatformDirectory bean. */
    public static class Platforms {
        /** Keep platform connections in the library's own table ({@code <prefix>platform_connections}). */
        private boolean managedTable;

        /** Read-only mode: the query by connection id (one {@code ?}; columns id, user id, name, type, instance URL, active, default). */
        private String findByIdQuery;

        /** Read-only mode: the query by user id (one {@code ?}; the same columns). */
        private String findByUserQuery;

        /**
         * Whether the managed table is used.
         *
         * @return {@code true} if so
         */
        public boolean isManagedTable() {
            return managedTable;
        }

        /**
         * Sets whether the managed table is used.
         *
         * @param managedTable {@code true} if so
         */
        public void setManagedTable(boolean managedTable) {
            this.managedTable = managedTable;
        }

        /**
         * The query by id.
         *
         * @return the SQL, or {@code null}
         */
        public String getFindByIdQuery() {
            return findByIdQuery;
        }

        /**
         * Sets the query by id.
         *
         * @param findByIdQuery the SQL
         */
        public void setFindByIdQuery(String findByIdQuery) {
            this.findByIdQuery = findByIdQuery;
        }

        /**
         * The query by user.
         *
         * @return the SQL, or {@code null}
         */
        public String getFindByUserQuery() {
            return findByUserQuery;
        }

        /**
         * Sets the query by user.
         *
         * @param findByUserQuery the SQL
         */
        public void setFindByUserQuery(String findByUserQuery) {
            this.findByUserQuery = findByUserQuery;
        }
    }

    /** The servlet filter and its registration. */
    public static class Filter {
        /** Registration order; it must run before Spring Security's filter chain (spring.security.filter.order, -100 by default). */
        private int order = Integer.MIN_VALUE + 50;

        /** Dispatcher types the filter is registered for. */
        private List<jakarta.servlet.DispatcherType> dispatcherTypes = new ArrayList<>(List.of(
                jakarta.servlet.DispatcherType.REQUEST, jakarta.servlet.DispatcherType.ERROR,
                jakarta.servlet.DispatcherType.ASYNC));

        /** true: cookie __Host-psid with Secure; false: psid without Secure, for local plain-HTTP development only. */
        private boolean secureCookie = true;

        /** Where a browser without a session is sent (and after logout); unset: 401 JSON. */
        private String loginPage;

        /** Where a browser on a platform-required path without an active platform is sent; unset: 409 JSON. */
        private String platformPickerPage;

        /** Paths that need a session with an active platform: /exact or /prefix/*. */
        private List<String> platformRequiredPaths = new ArrayList<>();

        /** Paths whose unsafe requests skip the CSRF token check (webhooks, token-authenticated APIs). */
        private List<String> csrfExemptPaths = new ArrayList<>();

        /** CSRF-exempt paths whose requests still get the user's session (give such handlers their own protection). */
        private List<String> csrfExemptPathsWithSession = new ArrayList<>();

        /** Paths the login form is shown on and posted to (the pre-session CSRF token is accepted there); unset: the login page's path. */
        private List<String> loginPaths;

        /** Origins accepted on unsafe requests (scheme://host[:port]); unset: the request's own origin. */
        private List<String> allowedOrigins = new ArrayList<>();

        /** Proxies (IP or CIDR) whose forwarded header names the client; unset: the remote address is the client. */
        private List<String> trustedProxies = new ArrayList<>();

        /** The header trusted proxies write the client address into (Forwarded is read as RFC 7239). */
        private String clientAddressHeader = "X-Forwarded-For";

        /** Where the JSON endpoints and sync.js are served. */
        private String endpointPrefix = "/session";

        /** Retry-After sent with 503 when the store is unavailable (1s to 1h, whole seconds). */
        @DurationUnit(ChronoUnit.SECONDS)
        private Duration retryAfter = Duration.ofSeconds(5);

        /**
         * The registration order.
         *
         * @return the order
         */
        public int getOrder() {
            return order;
        }

        /**
         * Sets the registration order.
         *
         * @param order the order
         */
        public void setOrder(int order) {
            this.order = order;
        }

        /**
         * The dispatcher types.
         *
         * @return the types
         */
        public List<jakarta.servlet.DispatcherType> getDispatcherTypes() {
            return dispatcherTypes;
        }

        /**
         * Sets the dispatcher types.
         *
         * @param dispatcherTypes the types
         */
        public void setDispatcherTypes(List<jakarta.servlet.DispatcherType> dispatcherTypes) {
            this.dispatcherTypes = dispatcherTypes;
        }

        /**
         * Whether the cookie is Secure.
         *
         * @return {@code true} if so
         */
        public boolean isSecureCookie() {
            return secureCookie;
        }

        /**
         * Sets whether the cookie is Secure.
         *
         * @param secureCookie {@code true} if so
         */
        public void setSecureCookie(boolean secureCookie) {
            this.secureCookie = secureCookie;
        }

        /**
         * The login page.
         *
         * @return the path, or {@code null}
         */
        public String getLoginPage() {
            return loginPage;
        }

        /**
         * Sets the login page.
         *
         * @param loginPage the path
         */
        public void setLoginPage(String loginPage) {
            this.loginPage = loginPage;
        }

        /**
         * The platform-picker page.
         *
         * @return the path, or {@code null}
         */
        public String getPlatformPickerPage() {
            return platformPickerPage;
        }

        /**
         * Sets the platform-picker page.
         *
         * @param platformPickerPage the path
         */
        public void setPlatformPickerPage(String platformPickerPage) {
            this.platformPickerPage = platformPickerPage;
        }

        /**
         * The platform-required paths.
         *
         * @return the patterns
         */
        public List<String> getPlatformRequiredPaths() {
            return platformRequiredPaths;
        }

        /**
         * Sets the platform-required paths.
         *
         * @param platformRequiredPaths the patterns
         */
        public void setPlatformRequiredPaths(List<String> platformRequiredPaths) {
            this.platformRequiredPaths = platformRequiredPaths;
        }

        /**
         * The CSRF-exempt paths.
         *
         * @return the patterns
         */
        public List<String> getCsrfExemptPaths() {
            return csrfExemptPaths;
        }

        /**
         * Sets the CSRF-exempt paths.
         *
         * @param csrfExemptPaths the patterns
         */
        public void setCsrfExemptPaths(List<String> csrfExemptPaths) {
            this.csrfExemptPaths = csrfExemptPaths;
        }

        /**
         * The CSRF-exempt paths that keep the session.
         *
         * @return the patterns
         */
        public List<String> getCsrfExemptPathsWithSession() {
            return csrfExemptPathsWithSession;
        }

        /**
         * Sets the CSRF-exempt paths that keep the session.
         *
         * @param csrfExemptPathsWithSession the patterns
         */
        public void setCsrfExemptPathsWithSession(List<String> csrfExemptPathsWithSession) {
            this.csrfExemptPathsWithSession = csrfExemptPathsWithSession;
        }

        /**
         * The login paths.
         *
         * @return the patterns, or {@code null} for the login page's path
         */
        public List<String> getLoginPaths() {
            return loginPaths;
        }

        /**
         * Sets the login paths.
         *
         * @param loginPaths the patterns
         */
        public void setLoginPaths(List<String> loginPaths) {
            this.loginPaths = loginPaths;
        }

        /**
         * The trusted proxies.
         *
         * @return the addresses or CIDRs
         */
        public List<String> getTrustedProxies() {
            return trustedProxies;
        }

        /**
         * Sets the trusted proxies.
         *
         * @param trustedProxies the addresses or CIDRs
         */
        public void setTrustedProxies(List<String> trustedProxies) {
            this.trustedProxies = trustedProxies;
        }

        /**
         * The client address header.
         *
         * @return the header name
         */
        public String getClientAddressHeader() {
            return clientAddressHeader;
        }

        /**
         * Sets the client address header.
         *
         * @param clientAddressHeader the header name
         */
        public void setClientAddressHeader(String clientAddressHeader) {
            this.clientAddressHeader = clientAddressHeader;
        }

        /**
         * The allowed origins.
         *
         * @return the origins
         */
        public List<String> getAllowedOrigins() {
            return allowedOrigins;
        }

        /**
         * Sets the allowed origins.
         *
         * @param allowedOrigins the origins
         */
        public void setAllowedOrigins(List<String> allowedOrigins) {
            this.allowedOrigins = allowedOrigins;
        }

        /**
         * The endpoint prefix.
         *
         * @return the prefix
         */
        public String getEndpointPrefix() {
            return endpointPrefix;
        }

        /**
         * Sets the endpoint prefix.
         *
         * @param endpointPrefix the prefix
         */
        public void setEndpointPrefix(String endpointPrefix) {
            this.endpointPrefix = endpointPrefix;
        }

        /**
         * The Retry-After value.
         *
         * @return the duration
         */
        public Duration getRetryAfter() {
            return retryAfter;
        }

        /**
         * Sets the Retry-After value.
         *
         * @param retryAfter the duration
         */
        public void setRetryAfter(Duration retryAfter) {
            this.retryAfter = retryAfter;
        }
    }

    /** The background deletion of expired sessions. */
    public static class Cleanup {
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

    /** The Spring Security integration. */
    public static class Security {
        /** Whether every Spring Security filter chain keeps its authentication in the platform session. */
        private boolean enabled = true;

        /** Build the UserDirectory from the application's single UserDetailsService (users that are missing, disabled or locked get no session). */
        private boolean userDetailsDirectory = true;

        /** Reload the user through the UserDetailsService on every request (fresh authorities; a disabled user's session ends) instead of trusting the authorities stored at login. */
        private boolean reloadUser;

        /**
         * Whether the integration is on.
         *
         * @return {@code true} if so
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Sets whether the integration is on.
         *
         * @param enabled {@code true} if so
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * Whether the UserDetailsService backs the user directory.
         *
         * @return {@code true} if so
         */
        public boolean isUserDetailsDirectory() {
            return userDetailsDirectory;
        }

        /**
         * Sets whether the UserDetailsService backs the user directory.
         *
         * @param userDetailsDirectory {@code true} if so
         */
        public void setUserDetailsDirectory(boolean userDetailsDirectory) {
            this.userDetailsDirectory = userDetailsDirectory;
        }

        /**
         * Whether the user is reloaded on every request.
         *
         * @return {@code true} if so
         */
        public boolean isReloadUser() {
            return reloadUser;
        }

        /**
         * Sets whether the user is reloaded on every request.
         *
         * @param reloadUser {@code true} if so
         */
        public void setReloadUser(boolean reloadUser) {
            this.reloadUser = reloadUser;
        }
    }

    /** Micrometer meters. */
    public static class Metrics {
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
}
