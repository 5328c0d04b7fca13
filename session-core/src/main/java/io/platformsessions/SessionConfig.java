package io.platformsessions;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Immutable engine configuration, made by {@link #builder()}. The builder rejects a bad value in the
 * setter that receives it and checks the rules between options in {@link Builder#build()}. Thread-safe.
 *
 * <p>Defaults (see the README's configuration table for units and reasoning):
 * idle timeout 30 min, absolute timeout 12 h, maximum lifetime (cap for {@code extend}) 24 h,
 * 10 sessions per user with least-recently-used eviction, touch interval 60 s, cleanup batches of
 * 500, a cache of at most 64 MiB of sessions, each served for at most 2 s without a store read (unless
 * single-node or with a change bus), client-change policy LOG, at most 10 platform switches a
 * minute before a suspicious-activity event, 20 unknown tokens a minute per IP (IPv6: per /64; a /56
 * 80, a /48 320) before a 5 minute cool-down, 10,000 unknown tokens a minute from all clients before a
 * one-minute refusal of unheld tokens, 3 read attempts on transient store errors, the system UTC clock.
 */
public final class SessionConfig {

    /** What happens when a user already has {@link #maxSessionsPerUser()} live sessions. */
    public enum LimitPolicy {
        /** End the user's least recently used session to make room (default). */
        EVICT_LEAST_RECENTLY_USED,
        /** Refuse the new session with {@link SessionLimitException}. */
        REFUSE
    }

    /** What happens when a session is presented by a client that differs from the one that created it. */
    public enum ClientChangePolicy {
        /** Do not compare clients. */
        OFF,
        /** Emit a suspicious-activity event and keep the session (default). */
        LOG,
        /** Invalidate the session with {@link InvalidationReason#SUSPICIOUS_CLIENT_CHANGE}. */
        STRICT
    }

    private final Duration idleTimeout;
    private final Duration absoluteTimeout;
    private final Duration maxLifetime;
    private final int maxSessionsPerUser;
    private final LimitPolicy limitPolicy;
    private final Duration touchInterval;
    private final int cleanupBatchSize;
    private final boolean cacheEnabled;
    private final long cacheMaximumBytes;
    private final Duration maxCacheStaleness;
    private final boolean singleNode;
    private final ClientChangePolicy clientChangePolicy;
    private final int maxPlatformSwitchesPerMinute;
    private final int maxUnknownTokensPerMinute;
    private final int maxUnknownTokensPerMinuteTotal;
    private final Duration unknownTokenCooldown;
    private final Duration maxElevation;
    private final int maxAttributesBytes;
    private final AttributeKeyRing attributeKeys;
    private final Set<String> secretAttributes;
    private final RetryPolicy retryPolicy;
    private final Clock clock;
    private final SecureRandom secureRandom;

    private SessionConfig(Builder b, SecureRandom secureRandom) {
        this.idleTimeout = b.idleTimeout;
        this.absoluteTimeout = b.absoluteTimeout;
        this.maxLifetime = b.maxLifetime;
        this.maxSessionsPerUser = b.maxSessionsPerUser;
        this.limitPolicy = b.limitPolicy;
        this.touchInterval = b.touchInterval;
        this.cleanupBatchSize = b.cleanupBatchSize;
        this.cacheEnabled = b.cacheEnabled;
        this.cacheMaximumBytes = b.cacheMaximumBytes;
        this.maxCacheStaleness = b.maxCacheStaleness;
        this.singleNode = b.singleNode;
        this.clientChangePolicy = b.clientChangePolicy;
        this.maxPlatformSwitchesPerMinute = b.maxPlatformSwitchesPerMinute;
        this.maxUnknownTokensPerMinute = b.maxUnknownTokensPerMinute;
        this.maxUnknownTokensPerMinuteTotal = b.maxUnknownTokensPerMinuteTotal;
        this.unknownTokenCooldown = b.unknownTokenCooldown;
        this.maxElevation = b.maxElevation;
        this.maxAttributesBytes = b.maxAttributesBytes;
        this.attributeKeys = AttributeKeyRing.of(b.encryptionKeys, b.activeEncryptionKeyId);
        this.secretAttributes = Collections.unmodifiableSet(new LinkedHashSet<>(b.secretAttributes));
        this.retryPolicy = b.retryPolicy;
        this.clock = b.clock;
        this.secureRandom = secureRandom;
    }

    /**
     * A builder with every default set.
     *
     * @return a new builder; not thread-safe
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The configuration with every default.
     *
     * @return a default configuration
     */
    public static SessionConfig defaults() {
        return builder().build();
    }

    /**
     * A builder that starts from this configuration's values.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.idleTimeout = idleTimeout;
        b.absoluteTimeout = absoluteTimeout;
        b.maxLifetime = maxLifetime;
        b.maxSessionsPerUser = maxSessionsPerUser;
        b.limitPolicy = limitPolicy;
        b.touchInterval = touchInterval;
        b.cleanupBatchSize = cleanupBatchSize;
        b.cacheEnabled = cacheEnabled;
        b.cacheMaximumBytes = cacheMaximumBytes;
        b.maxCacheStaleness = maxCacheStaleness;
        b.singleNode = singleNode;
        b.clientChangePolicy = clientChangePolicy;
        b.maxPlatformSwitchesPerMinute = maxPlatformSwitchesPerMinute;
        b.maxUnknownTokensPerMinute = maxUnknownTokensPerMinute;
        b.maxUnknownTokensPerMinuteTotal = maxUnknownTokensPerMinuteTotal;
        b.unknownTokenCooldown = unknownTokenCooldown;
        b.maxElevation = maxElevation;
        b.maxAttributesBytes = maxAttributesBytes;
        attributeKeys.copyKeysTo(b.encryptionKeys::put);
        b.activeEncryptionKeyId = attributeKeys.activeKeyIdOrNull();
        b.secretAttributes.addAll(secretAttributes);
        b.retryPolicy = retryPolicy;
        b.clock = clock;
        b.secureRandom = secureRandom;
        return b;
    }

    /**
     * A session with no activity for this long is expired (ASVS 5.0 7.3.1). Default 30 minutes.
     *
     * @return the idle timeout
     */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /**
     * A session ends this long after creation whatever its activity, unless extended
     * (ASVS 5.0 7.3.2). Default 12 hours.
     *
     * @return the absolute timeout
     */
    public Duration absoluteTimeout() {
        return absoluteTimeout;
    }

    /**
     * Hard cap on a session's total lifetime from creation: {@link SessionManager#extend} never
     * moves the absolute expiry past {@code createdAt + maxLifetime}. Default 24 hours.
     *
     * @return the maximum lifetime
     */
    public Duration maxLifetime() {
        return maxLifetime;
    }

    /**
     * Most live sessions one user may have. Default 10.
     *
     * @return the limit, at least 1
     */
    public int maxSessionsPerUser() {
        return maxSessionsPerUser;
    }

    /**
     * What happens at the limit. Default {@link LimitPolicy#EVICT_LEAST_RECENTLY_USED}.
     *
     * @return the policy
     */
    public LimitPolicy limitPolicy() {
        return limitPolicy;
    }

    /**
     * Last activity is written to the store at most once per this interval per session, so a busy
     * session costs one small UPDATE a minute rather than one per request. Default 60 seconds.
     *
     * @return the touch interval, shorter than the idle timeout
     */
    public Duration touchInterval() {
        return touchInterval;
    }

    /**
     * Rows deleted per statement by cleanup. Default 500.
     *
     * @return the batch size
     */
    public int cleanupBatchSize() {
        return cleanupBatchSize;
    }

    /**
     * Whether live sessions are cached in memory (default {@code true}). How long a cached copy may be
     * served depends on the deployment: see {@link #maxCacheStaleness()}, {@link #singleNode()} and
     * {@link io.platformsessions.spi.SessionChangeBus}.
     *
     * @return whether the cache is on
     */
    public boolean cacheEnabled() {
        return cacheEnabled;
    }

    /**
     * The most the cached sessions may weigh, in bytes: each counts a fixed 512 bytes plus twice the
     * length of its encoded attributes (the JSON and the values decoded from it), so sessions holding
     * large attributes take their share and user-controlled attribute data cannot pin unbounded heap.
     * Least valuable entries are evicted first. Default 64 MiB (67,108,864): about 130,000 sessions
     * without attributes, or 500 with 64 KiB each.
     *
     * @return the bound in bytes
     */
    public long cacheMaximumBytes() {
        return cacheMaximumBytes;
    }

    /**
     * Without a change bus, the longest a cached copy is served after the store last confirmed it
     * (read it, or acknowledged a write of it); the next request after that reads the store once (one
     * round trip) and caches the answer again. A change made by another node (logout, rotation,
     * "log out everywhere", a switch) is therefore seen within this bound. Default 2 seconds; zero
     * re-reads on every request. Does not apply with {@link #singleNode()} or with a
     * {@link io.platformsessions.spi.SessionChangeBus}, which keeps copies fresh instead.
     *
     * @return the bound
     */
    public Duration maxCacheStaleness() {
        return maxCacheStaleness;
    }

    /**
     * Whether the application declares that this engine is the only one using its store (default
     * {@code false}). Then, without a change bus, cached copies are served without the
     * {@link #maxCacheStaleness()} bound: only changes made through this engine are seen at once, and
     * a session deleted behind its back (another node, a direct database edit) is noticed at its next
     * due touch. Ignored when a change bus is configured.
     *
     * @return whether single-node caching is declared
     */
    public boolean singleNode() {
        return singleNode;
    }

    /**
     * How a change of client (IP network, browser family, language) is treated. Default LOG.
     *
     * @return the policy
     */
    public ClientChangePolicy clientChangePolicy() {
        return clientChangePolicy;
    }

    /**
     * More platform switches than this within a minute on one session raise a suspicious-activity
     * event. Default 10.
     *
     * @return switches per minute
     */
    public int maxPlatformSwitchesPerMinute() {
        return maxPlatformSwitchesPerMinute;
    }

    /**
     * More unknown (well-formed but unmatched) tokens than this from one IP within a minute start a
     * cool-down ({@link #unknownTokenCooldown()}) during which that IP's lookups of tokens this engine
     * does not hold are refused without store I/O; sessions it holds keep working. "One IP" is an IPv4
     * address or an IPv6 /64; an IPv6 /56 is allowed 4 times this and a /48 16 times, so that a
     * holder of many /64s cannot buy a fresh budget with each. Default 20.
     *
     * @return unknown tokens per minute per IP
     */
    public int maxUnknownTokensPerMinute() {
        return maxUnknownTokensPerMinute;
    }

    /**
     * More unknown tokens than this within a minute from all clients together make this engine refuse,
     * for one minute, every lookup of a token it does not hold: a cap on the store reads that
     * distributed guessing can cause. Sessions the engine holds keep working. Default 10,000.
     *
     * @return unknown tokens per minute from all clients
     */
    public int maxUnknownTokensPerMinuteTotal() {
        return maxUnknownTokensPerMinuteTotal;
    }

    /**
     * How long an IP stays refused after exceeding {@link #maxUnknownTokensPerMinute()}. Default 5 minutes.
     *
     * @return the cool-down
     */
    public Duration unknownTokenCooldown() {
        return unknownTokenCooldown;
    }

    /**
     * Longest elevation {@link SessionManager#elevate} grants. Default 15 minutes.
     *
     * @return the cap
     */
    public Duration maxElevation() {
        return maxElevation;
    }

    /**
     * Largest encoded size of a session's attributes, in bytes of UTF-8 JSON. Larger writes are
     * refused with {@link IllegalArgumentException} before the store is called. Default 65,536; at
     * most {@link Limits#MAX_ATTRIBUTES_BYTES}, the ceiling every store holds.
     *
     * @return the limit in bytes
     */
    public int maxAttributesBytes() {
        return maxAttributesBytes;
    }

    /**
     * The AES-256 keys for secret attributes, as an opaque ring that names key ids only and never
     * hands out key bytes. Empty by default: then setting a secret attribute fails with a clear error.
     *
     * @return the key ring, never {@code null}
     */
    public AttributeKeyRing attributeKeys() {
        return attributeKeys;
    }

    /**
     * The id of the key new secret values are sealed with, or {@code null} if none is configured
     * (the same as {@code attributeKeys().activeKeyId()}).
     *
     * @return the active key id
     */
    public String activeEncryptionKeyId() {
        return attributeKeys.activeKeyIdOrNull();
    }

    /**
     * Attribute names that are always secret: {@link SessionManager#setAttribute(SessionKey, String, Object)}
     * seals them with the active key whatever options are passed, and reading one that holds an
     * unsealed value fails with {@link SealedAttributeException}. Empty by default. Declaring any
     * without an encryption key fails {@link Builder#build()}.
     *
     * @return an unmodifiable set of names
     */
    public Set<String> secretAttributes() {
        return secretAttributes;
    }

    /**
     * Whether {@code name} is declared secret in {@link #secretAttributes()}.
     *
     * @param name an attribute name, may be null
     * @return {@code true} if declared secret
     */
    public boolean isSecretAttribute(String name) {
        return name != null && secretAttributes.contains(name);
    }

    /**
     * How reads are retried on transient store failures. Default {@link RetryPolicy#defaults()}.
     *
     * @return the retry policy
     */
    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /**
     * Source of time for every expiry decision. Default {@link Clock#systemUTC()}.
     *
     * @return the clock
     */
    public Clock clock() {
        return clock;
    }

    /**
     * Source of randomness for tokens and secrets. Default a new {@link SecureRandom}.
     *
     * @return the random source
     */
    public SecureRandom secureRandom() {
        return secureRandom;
    }

    /**
     * Builds a {@link SessionConfig}. Not thread-safe; every setter returns {@code this}. Each setter
     * rejects a {@code null} or out-of-range value at once ({@link IllegalArgumentException} naming the
     * option; {@link NullPointerException} for a {@code null} policy, clock or random source);
     * {@link #build()} checks the rules between options and leaves the builder as it was, so it can
     * build again.
     */
    public static final class Builder {
        private Duration idleTimeout = Duration.ofMinutes(30);
        private Duration absoluteTimeout = Duration.ofHours(12);
        private Duration maxLifetime = Duration.ofHours(24);
        private int maxSessionsPerUser = 10;
        private LimitPolicy limitPolicy = LimitPolicy.EVICT_LEAST_RECENTLY_USED;
        private Duration touchInterval = Duration.ofSeconds(60);
        private int cleanupBatchSize = 500;
        private boolean cacheEnabled = true;
        private long cacheMaximumBytes = 64L * 1024 * 1024;
        private Duration maxCacheStaleness = Duration.ofSeconds(2);
        private boolean singleNode;
        private ClientChangePolicy clientChangePolicy = ClientChangePolicy.LOG;
        private int maxPlatformSwitchesPerMinute = 10;
        private int maxUnknownTokensPerMinute = 20;
        private int maxUnknownTokensPerMinuteTotal = 10_000;
        private Duration unknownTokenCooldown = Duration.ofMinutes(5);
        private Duration maxElevation = Duration.ofMinutes(15);
        private int maxAttributesBytes = 65_536;
        private final Map<String, byte[]> encryptionKeys = new LinkedHashMap<>();
        private String activeEncryptionKeyId;
        private final Set<String> secretAttributes = new LinkedHashSet<>();
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private Clock clock = Clock.systemUTC();
        private SecureRandom secureRandom;

        private Builder() {
        }

        /**
         * Sets the idle timeout.
         *
         * @param value positive duration
         * @return this builder
         * @throws IllegalArgumentException if {@code value} is null, zero or negative
         */
        public Builder idleTimeout(Duration value) {
            this.idleTimeout = positive("idleTimeout", value);
            return this;
        }

        /**
         * Sets the absolute timeout.
         *
         * @param value positive duration, at most the maximum lifetime
         * @return this builder
         * @throws IllegalArgumentException if {@code value} is null, zero or negative
         */
        public Builder absoluteTimeout(Duration value) {
            this.absoluteTimeout = positive("absoluteTimeout", value);
            return this;
        }

        /**
         * Sets the hard maximum lifetime that {@code extend} never passes.
         *
         * @param value positive duration, at least the absolute timeout
         * @return this builder
         * @throws IllegalArgumentException if {@code value} is null, zero or negative
         */
        public Builder maxLifetime(Duration value) {
            this.maxLifetime = positive("maxLifetime", value);
            return this;
        }

        /**
         * Sets the per-user session limit.
         *
         * @param value at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code value} is below 1
         */
        public Builder maxSessionsPerUser(int value) {
            this.maxSessionsPerUser = (int) atLeast("maxSessionsPerUser", value, 1);
            return this;
        }

        /**
         * Sets what happens at the per-user limit.
         *
         * @param value the policy
         * @return this builder
         * @throws NullPointerException if {@code value} is null
         */
        public Builder limitPolicy(LimitPolicy value) {
            this.limitPolicy = Objects.requireNonNull(value, "limitPolicy");
            return this;
        }

        /**
         * Sets how often last activity is written.
         *
         * @param value zero (every request) or positive, shorter than the idle timeout
         * @return this builder
         * @throws IllegalArgumentException if {@code value} is null or negative
         */
        public Builder touchInterval(Duration value) {
            if (value == null || value.isNegative()) {
                throw new IllegalArgumentException("touchInterval must be zero or positive, was " + value);
            }
            this.touchInterval = value;
            return this;
        }

        /**
         * Sets the cleanup batch size.
         *
         * @param value 1 to 10,000
         * @return this builder
         * @throws IllegalArgumentException if {@code value} is out of range
         */
        public Builder cleanupBatchSize(int value) {
            atLeast("cleanupBatchSize", value, 1);
            if (value > 10_000) {
                throw new IllegalArgumentException("cleanupBatchSize must be at most 10000, was " + value);
            }
            this.cleanupBatchSize = value;
            return this;
        }

        /**
         * Turns the in-memory cache on or off.
         *
         * @param value {@code false}: every request reads the store
         * @return this builder
         */
        public Builder cacheEnabled(boolean value) {
            this.cacheEnabled = value;
            return this;
        }

        /**
         * Sets how much the cached sessions may weigh ({@link SessionConfig#cacheMaximumBytes()}).
         *
         * @param value bytes, at least 65,536
         * @return this builder
         * @throws IllegalArgumentException if {@code value} is below 65,536
         */
        public Builder cacheMaximumBytes(long value) {
            this.cacheMaximumBytes = atLeast("cacheMaximumBytes", value, 65_536);
            return this;
        }

        /**
         * Sets how long, without a change bus, a cached copy is served after the store last confirmed it.
         *
         * @param value zero (re-read on every request) or positive
         * @return this builder
         * @throws IllegalArgumentException if {@code value} is null or negative
         */
        public Builder maxCacheStaleness(Duration value) {
            if (value == null || value.isNegative()) {
                throw new IllegalArgumentException("maxCacheStaleness must be zero or positive, was " + value);
            }
            this.maxCacheStaleness = value;
            return this;
        }

        /**
         * Declares that this engine is the only one using its store, so that cached copies are served
         * without the {@link SessionConfig#maxCacheStaleness()} bound. Only for a single application
         * node: with several, a node would keep serving a session another node ended.
         *
         * @param value {@code true} for exactly one engine per store
         * @return this builder
         */
        public Builder singleNode(boolean value) {
            this.singleNode = value;
            return this;
        }

        /**
         * Sets the client-change policy.
         *
         * @param value the policy
         * @return this builder
         * @throws NullPointerException if {@code value} is null
         */
        public Builder clientChangePolicy(ClientChangePolicy value) {
            this.clientChangePolicy = Objects.requireNonNull(value, "clientChangePolicy");
            return this;
        }

        /**
         * Sets the platform-switch rate above which an event fires.
         *
         * @param value at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code value} is below 1
         */
        public Builder maxPlatformSwitchesPerMinute(int value) {
            this.maxPlatformSwitchesPerMinute = (int) atLeast("maxPlatformSwitchesPerMinute", value, 1);
            return this;
        }

        /**
         * Sets the unknown-token rate per IP above which the IP is cooled down.
         *
         * @param value at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code value} is below 1
         */
        public Builder maxUnknownTokensPerMinute(int value) {
            this.maxUnknownTokensPerMinute = (int) atLeast("maxUnknownTokensPerMinute", value, 1);
            return this;
        }

        /**
         * Sets the unknown-token rate from all clients together above which lookups of tokens this
         * engine does not hold are refused for a minute.
         *
         * @param value at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code value} is below 1
         */
        public Builder maxUnknownTokensPerMinuteTotal(int value) {
            this.maxUnknownTokensPerMinuteTotal = (int) atLeast("maxUnknownTokensPerMinuteTotal", value, 1);
            return this;
        }

        /**
         * Sets the cool-down for IPs that guessed too many tokens.
         *
         * @param value positive duration
         * @return this builder
         * @throws IllegalArgumentException if {@code value} is null, zero or negative
         */
        public Builder unknownTokenCooldown(Duration value) {
            this.unknownTokenCooldown = positive("unknownTokenCooldown", value);
            return this;
        }

        /**
         * Sets the longest elevation.
         *
         * @param value positive duration
         * @return this builder
         * @throws IllegalArgumentException if {@code value} is null, zero or negative
         */
        public Builder maxElevation(Duration value) {
            this.maxElevation = positive("maxElevation", value);
            return this;
        }

        /**
         * Sets the largest encoded attributes size per session.
         *
         * @param value bytes, 1,024 to {@link Limits#MAX_ATTRIBUTES_BYTES}
         * @return this builder
         * @throws IllegalArgumentException if {@code value} is out of range
         */
        public Builder maxAttributesBytes(int value) {
            atLeast("maxAttributesBytes", value, 1024);
            if (value > Limits.MAX_ATTRIBUTES_BYTES) {
                throw new IllegalArgumentException("maxAttributesBytes must be at most " + Limits.MAX_ATTRIBUTES_BYTES
                        + " (Limits.MAX_ATTRIBUTES_BYTES, what every store holds), was " + value);
            }
            this.maxAttributesBytes = value;
            return this;
        }

        /**
         * Adds an AES-256 key for secret attributes. The first key added becomes the active one
         * unless {@link #activeEncryptionKey(String)} says otherwise; older keys stay to open values
         * sealed before a rotation.
         *
         * @param keyId short id stored with each sealed value (1 to 32 characters of [A-Za-z0-9_-])
         * @param key 32 bytes; copied
         * @return this builder
         * @throws IllegalArgumentException if the id is not 1 to 32 characters of {@code [A-Za-z0-9_-]} or the key is not 32 bytes
         * @throws NullPointerException if an argument is null
         */
        public Builder encryptionKey(String keyId, byte[] key) {
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(key, "key");
            if (!keyId.matches("[A-Za-z0-9_-]{1,32}")) {
                throw new IllegalArgumentException("encryption key id must be 1-32 characters of [A-Za-z0-9_-]");
            }
            if (key.length != 32) {
                throw new IllegalArgumentException("encryption key '" + keyId + "' must be 32 bytes (AES-256), was "
                        + key.length);
            }
            encryptionKeys.put(keyId, key.clone());
            if (activeEncryptionKeyId == null) {
                activeEncryptionKeyId = keyId;
            }
            return this;
        }

        /**
         * Chooses which configured key seals new secret values.
         *
         * @param keyId a key id added with {@link #encryptionKey(String, byte[])}
         * @return this builder
         * @throws NullPointerException if {@code keyId} is null (whether it is configured is checked by {@link #build()})
         */
        public Builder activeEncryptionKey(String keyId) {
            this.activeEncryptionKeyId = Objects.requireNonNull(keyId, "keyId");
            return this;
        }

        /**
         * Declares attribute names whose values are always sealed (AES-256-GCM), for example OAuth
         * access tokens of the user's platform connections. Adds to earlier declarations. Needs an
         * {@link #encryptionKey(String, byte[])}, or {@link #build()} fails.
         *
         * @param names attribute names, each 1 to {@link Limits#MAX_ATTRIBUTE_NAME_LENGTH} characters
         * @return this builder
         * @throws IllegalArgumentException if a name is null, empty or too long
         */
        public Builder secretAttributes(String... names) {
            if (names == null) {
                throw new IllegalArgumentException("secretAttributes: names must not be null");
            }
            for (String name : names) {
                if (name == null || name.isEmpty() || name.length() > Limits.MAX_ATTRIBUTE_NAME_LENGTH) {
                    throw new IllegalArgumentException("secretAttributes: each name must be 1 to "
                            + Limits.MAX_ATTRIBUTE_NAME_LENGTH + " characters");
                }
                secretAttributes.add(name);
            }
            return this;
        }

        /**
         * Sets the read retry policy.
         *
         * @param value the policy
         * @return this builder
         * @throws NullPointerException if {@code value} is null
         */
        public Builder retryPolicy(RetryPolicy value) {
            this.retryPolicy = Objects.requireNonNull(value, "retryPolicy");
            return this;
        }

        /**
         * Sets the clock (tests use a mutable one; production the default).
         *
         * @param value the clock
         * @return this builder
         * @throws NullPointerException if {@code value} is null
         */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * Sets the random source.
         *
         * @param value a {@link SecureRandom}
         * @return this builder
         * @throws NullPointerException if {@code value} is null
         */
        public Builder secureRandom(SecureRandom value) {
            this.secureRandom = Objects.requireNonNull(value, "secureRandom");
            return this;
        }

        /**
         * Checks the rules between options and builds: the absolute timeout at most the maximum
         * lifetime, the touch interval shorter than the idle timeout, the active key configured, secret
         * attributes only with a key. Without {@link #secureRandom(SecureRandom)} the configuration gets
         * a new {@link SecureRandom}.
         *
         * @return the configuration
         * @throws IllegalArgumentException naming the options that do not fit together
         */
        public SessionConfig build() {
            if (absoluteTimeout.compareTo(maxLifetime) > 0) {
                throw new IllegalArgumentException("absoluteTimeout (" + absoluteTimeout
                        + ") must not exceed maxLifetime (" + maxLifetime + ")");
            }
            if (touchInterval.compareTo(idleTimeout) >= 0) {
                throw new IllegalArgumentException("touchInterval must be shorter than idleTimeout (" + idleTimeout
                        + "), was " + touchInterval);
            }
            if (activeEncryptionKeyId != null && !encryptionKeys.containsKey(activeEncryptionKeyId)) {
                throw new IllegalArgumentException("active encryption key '" + activeEncryptionKeyId + "' is not configured");
            }
            if (!secretAttributes.isEmpty() && activeEncryptionKeyId == null) {
                throw new IllegalArgumentException("secret attributes " + secretAttributes + " are declared but no "
                        + "encryption key is configured: add SessionConfig.builder().encryptionKey(keyId, 32 random bytes)");
            }
            return new SessionConfig(this, secureRandom == null ? new SecureRandom() : secureRandom);
        }

        private static Duration positive(String name, Duration value) {
            if (value == null || value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException(name + " must be a positive duration, was " + value);
            }
            return value;
        }

        private static long atLeast(String name, long value, long min) {
            if (value < min) {
                throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
            }
            return value;
        }
    }
}
