package io.platformsessions.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.platformsessions.InvalidationReason;
import io.platformsessions.SessionKey;
import io.platformsessions.SessionStoreException;
import io.platformsessions.spi.SessionChangeBus;
import io.platformsessions.spi.SessionRecord;
import io.platformsessions.spi.SessionStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SessionStore} in Redis (a single node, Sentinel-managed, or a Redis Cluster), on one shared Lettuce
 * connection. One hash per session under {@code <prefix>s:{<bucket>}:<key hex>} with a native TTL at its
 * effective expiry (plus {@link Builder#expiredRetention(Duration)}); every write is one Lua script that checks
 * the version and updates the session and its indexes atomically. The data model, the scripts and the cluster
 * behaviour are described in {@code docs/redis.md}.
 *
 * <pre>{@code
 * RedisSessionStore store = RedisSessionStore.builder()
 *         .uri("redis://redis.internal:6379")
 *         .build();
 * SessionManager sessions = SessionManager.builder(store).build();
 * ...
 * store.close(); // closes the client the store created
 * }</pre>
 *
 * <p>Cost per operation on one node: {@link #find}, {@link #insert}, {@link #insertAndCountLive}, {@link #update},
 * {@link #rekey}, {@link #touch}, {@link #delete} and {@link #findByUser} are each one round trip;
 * {@link #deleteExpired} two; {@link #countActiveByPlatformType} one (256 pipelined scripts). On a cluster, where
 * a user's index and a session live in different hash slots, creating and rotating take two, and so does
 * {@code findByUser}.
 *
 * <p>Failures: every Redis failure becomes a {@link SessionStoreException}; it is
 * {@linkplain SessionStoreException#isTransient() transient} for connection loss, timeouts (every wait is bounded
 * by {@link Builder#commandTimeout(Duration)}), a loading, busy or failing-over server and cluster resharding.
 * Data under the prefix that is not a session this version can read (a hand-edited hash, another type, missing
 * fields) reads as no session and is counted in {@link #malformedEntries()}; it never throws. Messages name
 * sessions by {@link SessionKey#prefix()} only.
 *
 * <p>Several application nodes: {@link Builder#changeBus(boolean) changeBus(true)} gives the store a
 * {@link RedisChangeBus} ({@link #changeBus()}); its write scripts then announce every change on Redis pub/sub in the
 * same round trip, and each engine drops the cached copies other nodes changed.
 *
 * <p>Thread-safe. {@link #close()} closes the client it created (from a URI); a client or connection the
 * application passed in stays open.
 */
public final class RedisSessionStore implements SessionStore, AutoCloseable {
    /** Default key prefix. */
    public static final String DEFAULT_KEY_PREFIX = RedisKeys.DEFAULT_PREFIX;
    /** Default {@link Builder#commandTimeout(Duration)}: 1 second. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(1);
    /** Default {@link Builder#connectTimeout(Duration)}: 2 seconds. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** Default {@link Builder#archiveMaxLength(long)}: about 100,000 entries. */
    public static final long DEFAULT_ARCHIVE_MAX_LENGTH = 100_000;
    /** Default {@link Builder#maxAttributesBytes(int)}: 1 MiB. */
    public static final int DEFAULT_MAX_ATTRIBUTES_BYTES = 1 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(RedisSessionStore.class);

    private final RedisConnection redis;
    private final RedisKeys keys;
    private final StoreScripts scripts;
    /** The cross-slot steps on a cluster; {@code null} on a single node, where the scripts do everything. */
    private final ClusterSteps cluster;
    /** Inserting, reading and writing sessions. */
    private final LiveSessions live;
    /** Ending sessions (delete, expiry sweep, archive) and the live count per platform type. */
    private final EndedSessions ended;
    private final Duration expiredRetention;
    /** The change bus, when on ({@code null} off): the write scripts then announce every change on it. */
    private final RedisChangeBus bus;

    private RedisSessionStore(Builder b, RedisConnection redis, boolean cluster) {
        this.redis = redis;
        this.keys = new RedisKeys(b.keyPrefix);
        this.bus = b.changeBus ? new RedisChangeBus(newNodeId(), keys.busChannels(cluster), cluster,
                redis.pubSubOpener(), redis.target()) : null;
        this.scripts = new StoreScripts(redis, keys, b.expiredRetention.toMillis(), cluster, b.maxAttributesBytes,
                bus == null ? null : bus.nodeId());
        this.cluster = cluster ? new ClusterSteps(scripts, b.archiveMaxLength) : null;
        this.ended = new EndedSessions(scripts, this.cluster, b.archiveEndedSessions, b.archiveMaxLength);
        this.live = new LiveSessions(scripts, this.cluster, b.clock);
        this.expiredRetention = b.expiredRetention;
        redis.connectEagerly();
        LOG.info("Redis session store ready: {} ({}), key prefix '{}'{}{}{}", redis.target(),
                cluster ? "cluster" : "single node", keys.prefix,
                b.expiredRetention.isZero() ? "" : ", expired retention " + b.expiredRetention,
                ended.archives() ? ", archive stream " + keys.archive() : "",
                bus == null ? "" : ", change bus on (node " + bus.nodeId() + ")");
    }

    private static String newNodeId() {
        byte[] b = new byte[8];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /**
     * Starts building a store.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------------------------------ SessionStore

    @Override
    public void insert(SessionRecord record) {
        live.insert(record);
    }

    /**
     * Inserts and counts in one script on a single node (the count checks each of the user's sessions against
     * its hash). On a cluster the user's index lives in another slot: indexing is a second round trip, and when
     * the user has other sessions, checking them against their hashes a third.
     */
    @Override
    public int insertAndCountLive(SessionRecord record, Instant now) {
        return live.insert(record, now, true);
    }

    @Override
    public Optional<SessionRecord> find(SessionKey key) {
        return live.find(key);
    }

    @Override
    public boolean update(SessionRecord next, long expectedVersion) {
        return live.update(next, expectedVersion);
    }

    @Override
    public boolean rekey(SessionKey oldKey, SessionRecord next, long expectedVersion) {
        return live.rekey(oldKey, next, expectedVersion);
    }

    @Override
    public boolean touch(SessionKey key, Instant lastActivityAt, Instant idleExpiresAt) {
        return live.touch(key, lastActivityAt, idleExpiresAt);
    }

    /** Deletes the session; when archiving, its archive entry's end time is {@code endedAt}. */
    @Override
    public boolean delete(SessionKey key, InvalidationReason reason, Instant endedAt) {
        return ended.delete(key, reason, endedAt);
    }

    @Override
    public List<SessionRecord> findByUser(String userId) {
        return live.findByUser(userId);
    }

    /**
     * Claims expired sessions from the per-bucket expiry indexes (first counting them, then claiming up to
     * {@code batchSize} in all): each claim removes the index entry inside a script, so exactly one node counts a
     * session. Returns how many sessions ended by expiry were claimed: those Redis already dropped by TTL and those
     * still kept by {@link Builder#expiredRetention(Duration)}, which are deleted (and archived) now. When another
     * node claimed entries this call had counted, it counts again (a few times at most), so that a short batch
     * still means none are left.
     */
    @Override
    public int deleteExpired(Instant now, int batchSize) {
        return ended.deleteExpired(now, batchSize);
    }

    /**
     * Counts live sessions per platform type from the expiry indexes: 256 pipelined scripts (one per bucket),
     * each {@code O(types × log n)}. Meant for metrics, not per request.
     */
    @Override
    public Map<String, Long> countActiveByPlatformType(Instant now) {
        return ended.countActiveByPlatformType(now);
    }

    /**
     * The store's {@link RedisChangeBus} when built with {@link Builder#changeBus(boolean) changeBus(true)}: an
     * engine built on this store connects to it, and the store's write scripts announce every change on it.
     */
    @Override
    public Optional<SessionChangeBus> changeBus() {
        return Optional.ofNullable(bus);
    }

    // ------------------------------------------------------------------------------------------ monitoring

    /**
     * Entries under the key prefix that were not sessions this version can read (another Redis type, missing or
     * unparsable fields, a user index listing a foreign session) and were read as "no session" or replaced,
     * since the store started. Each is also logged at WARN with the key's first 8 hex digits.
     *
     * @return the count
     */
    public long malformedEntries() {
        return scripts.malformedEntries();
    }

    /**
     * Ended sessions that could not be appended to the archive stream (on a cluster, where the append is a second
     * command after the delete). Always 0 on a single node, where the script archives atomically.
     *
     * @return the count since the store started
     */
    public long archiveFailures() {
        return cluster == null ? 0 : cluster.archiveFailures();
    }

    /**
     * The key prefix in use.
     *
     * @return the prefix
     */
    public String keyPrefix() {
        return keys.prefix;
    }

    /**
     * The name of the archive stream ({@code <prefix>archive}), written only when archiving is on.
     *
     * @return the stream's key
     */
    public String archiveStream() {
        return keys.archive();
    }

    /**
     * Whether ended sessions are appended to {@link #archiveStream()}.
     *
     * @return {@code true} if archiving
     */
    public boolean archivesEndedSessions() {
        return ended.archives();
    }

    /**
     * How long an expired session stays stored after its effective expiry.
     *
     * @return the retention, possibly zero
     */
    public Duration expiredRetention() {
        return expiredRetention;
    }

    /**
     * Whether the store talks to a Redis Cluster.
     *
     * @return {@code true} for a cluster
     */
    public boolean isCluster() {
        return cluster != null;
    }

    /** Round trips so far (for tests). */
    long roundTrips() {
        return redis.roundTrips();
    }

    /** Script sources sent after a {@code NOSCRIPT} so far (for tests). */
    long scriptLoads() {
        return redis.scriptLoads();
    }

    /**
     * Closes the connection and the client if the store created them (built from a URI); a client or connection
     * the application passed in stays open (the store's own connection on an application's client is closed).
     * Later calls fail with a {@link SessionStoreException}. Closes the change bus too (engines still connected
     * to it are then never live). Idempotent.
     */
    @Override
    public void close() {
        try {
            if (bus != null) {
                bus.close();
            }
        } finally {
            redis.close();
        }
    }

    /**
     * Builds a {@link RedisSessionStore}. Each setter validates its argument at once; {@link #build()} checks
     * that the settings fit together. Give exactly one of {@link #uri(String)}, {@link #clusterUris(String...)},
     * a {@code client(...)} or a {@code connection(...)}. Not thread-safe.
     */
    public static final class Builder {
        /** The source, credentials and timeouts: where the store connects. */
        private final ConnectionSettings source = new ConnectionSettings();
        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private Duration expiredRetention = Duration.ZERO;
        private boolean archiveEndedSessions;
        private long archiveMaxLength = DEFAULT_ARCHIVE_MAX_LENGTH;
        private int maxAttributesBytes = DEFAULT_MAX_ATTRIBUTES_BYTES;
        private Clock clock = Clock.systemUTC();
        private boolean changeBus;

        private Builder() {
        }

        /**
         * A single Redis node or a Sentinel-managed one, as a Lettuce URI; the store creates and owns the client.
         * {@code redis://[user:password@]host[:port][/database]}, {@code rediss://...} for TLS (the JVM's trust
         * store verifies the server), {@code redis-sentinel://[password@]host[:port][,host2[:port2]][/database]#masterId}
         * for Sentinel. Credentials may also come from {@link #username(String)} and {@link #password(String)}.
         *
         * @param value the URI
         * @return this builder
         * @throws IllegalArgumentException if Lettuce cannot parse it
         */
        public Builder uri(String value) {
            source.uri = RedisURI.create(Objects.requireNonNull(value, "uri"));
            return this;
        }

        /**
         * A Redis Cluster, by one or more seed nodes ({@code redis://} or {@code rediss://} URIs); the store
         * creates and owns a cluster client that discovers the other nodes and follows failovers and resharding.
         * When a primary fails, calls for its slots fail (transiently) until Redis has promoted a replica and the
         * client has refreshed its topology, which it does at most once a second on the failed node's reconnect
         * attempts and every 30 s; writes the failed primary had not yet replicated are lost (a session created or
         * ended just before the crash can be missing or back). See {@code docs/redis.md}, "Redis Cluster".
         *
         * @param seeds at least one node of the cluster
         * @return this builder
         * @throws IllegalArgumentException if none is given or Lettuce cannot parse one
         */
        public Builder clusterUris(String... seeds) {
            if (seeds == null || seeds.length == 0) {
                throw new IllegalArgumentException("clusterUris needs at least one seed node");
            }
            List<RedisURI> parsed = new ArrayList<>(seeds.length);
            for (String seed : seeds) {
                parsed.add(RedisURI.create(Objects.requireNonNull(seed, "seed")));
            }
            source.clusterSeeds = parsed;
            return this;
        }

        /**
         * The ACL user for {@link #uri(String)} or {@link #clusterUris(String...)}, instead of one in the URI;
         * needs {@link #password(String)}. Default: the URI's, else {@code default}.
         *
         * @param value the user name
         * @return this builder
         */
        public Builder username(String value) {
            source.username = Objects.requireNonNull(value, "username");
            return this;
        }

        /**
         * The password for {@link #uri(String)} or {@link #clusterUris(String...)}, instead of one in the URI (so it
         * stays out of configuration strings that get logged). Default: the URI's, else none.
         *
         * @param value the password
         * @return this builder
         */
        public Builder password(String value) {
            source.password = Objects.requireNonNull(value, "password").toCharArray();
            return this;
        }

        /**
         * Uses the application's Lettuce client (for its TLS, credentials or other options); the store opens its
         * own connection on it and closes that connection in {@link RedisSessionStore#close()}, never the client.
         *
         * @param value the client
         * @return this builder
         */
        public Builder client(RedisClient value) {
            source.client = Objects.requireNonNull(value, "client");
            return this;
        }

        /**
         * Uses the application's Lettuce cluster client; see {@link #client(RedisClient)}.
         *
         * @param value the client
         * @return this builder
         */
        public Builder client(RedisClusterClient value) {
            source.clusterClient = Objects.requireNonNull(value, "client");
            return this;
        }

        /**
         * Uses the application's connection as it is (it must use UTF-8 string keys and values, for example
         * {@code client.connect(StringCodec.UTF8)}); never closed by the store. Its timeouts and reconnect
         * behaviour are the application's; the store still bounds each wait by {@link #commandTimeout(Duration)}.
         *
         * @param value the connection
         * @return this builder
         */
        public Builder connection(StatefulRedisConnection<String, String> value) {
            source.connection = Objects.requireNonNull(value, "connection");
            return this;
        }

        /**
         * Uses the application's cluster connection; see {@link #connection(StatefulRedisConnection)}.
         *
         * @param value the connection
         * @return this builder
         */
        public Builder connection(StatefulRedisClusterConnection<String, String> value) {
            source.clusterConnection = Objects.requireNonNull(value, "connection");
            return this;
        }

        /**
         * Prefix of every key the store writes. Default {@value RedisSessionStore#DEFAULT_KEY_PREFIX}. Several
         * applications (or test runs) share one Redis safely with different prefixes.
         *
         * @param value 1 to 64 characters of {@code A-Z a-z 0-9 _ . : -}
         * @return this builder
         * @throws IllegalArgumentException if the prefix is not allowed (braces would break cluster hash tags)
         */
        public Builder keyPrefix(String value) {
            this.keyPrefix = RedisKeys.checkPrefix(value);
            return this;
        }

        /**
         * The longest the store waits for Redis on any call; then it fails with a transient
         * {@link SessionStoreException}. Default 1 second (a healthy Redis answers in well under a millisecond).
         *
         * @param value 10 ms to 60 s
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder commandTimeout(Duration value) {
            source.commandTimeout = within(value, Duration.ofMillis(10), Duration.ofSeconds(60), "commandTimeout");
            return this;
        }

        /**
         * Owned client: the longest opening a TCP connection may take. Default 2 seconds.
         *
         * @param value 10 ms to 60 s
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder connectTimeout(Duration value) {
            source.connectTimeout = within(value, Duration.ofMillis(10), Duration.ofSeconds(60), "connectTimeout");
            return this;
        }

        /**
         * How long a session stays stored after its effective expiry before Redis drops it. Default zero: Redis
         * frees it at the expiry itself (a later lookup finds nothing). With a retention, a lookup in that window
         * reports the session as expired (and the engine emits its expired event), and {@link #deleteExpired}
         * deletes it and, when archiving, archives it. Required for archiving; keep it longer than the interval
         * at which you run {@code SessionManager.cleanupExpired()}.
         *
         * @param value zero to 30 days
         * @return this builder
         * @throws IllegalArgumentException if negative or longer
         */
        public Builder expiredRetention(Duration value) {
            this.expiredRetention = within(value, Duration.ZERO, Duration.ofDays(30), "expiredRetention");
            return this;
        }

        /**
         * Whether ended sessions (deleted with a reason, or claimed as expired by {@link #deleteExpired}) are
         * appended to the capped stream {@code <prefix>archive} with the reason and time, without the CSRF
         * secret, elevation or attributes. Needs {@link #expiredRetention(Duration)} above zero so cleanup can
         * still read an expired session. Default {@code false}.
         *
         * @param value {@code true} to archive
         * @return this builder
         */
        public Builder archiveEndedSessions(boolean value) {
            this.archiveEndedSessions = value;
            return this;
        }

        /**
         * About how many entries the archive stream keeps ({@code XADD MAXLEN ~}); older ones are trimmed.
         * Default {@value RedisSessionStore#DEFAULT_ARCHIVE_MAX_LENGTH}. Read the stream with {@code XRANGE} or a
         * consumer group and move it to long-term storage if you need more.
         *
         * @param value at least 1
         * @return this builder
         * @throws IllegalArgumentException if below 1
         */
        public Builder archiveMaxLength(long value) {
            if (value < 1) {
                throw new IllegalArgumentException("archiveMaxLength must be at least 1, was " + value);
            }
            this.archiveMaxLength = value;
            return this;
        }

        /**
         * Largest encoded attribute set per session, in UTF-8 bytes; larger writes are refused with
         * {@link IllegalArgumentException} before anything is sent. Default
         * {@value RedisSessionStore#DEFAULT_MAX_ATTRIBUTES_BYTES}; keep it at least
         * {@code SessionConfig.maxAttributesBytes()} (64 KiB by default).
         *
         * @param value bytes, at least 1,024
         * @return this builder
         * @throws IllegalArgumentException if below 1,024
         */
        public Builder maxAttributesBytes(int value) {
            if (value < 1024) {
                throw new IllegalArgumentException("maxAttributesBytes must be at least 1024, was " + value);
            }
            this.maxAttributesBytes = value;
            return this;
        }

        /**
         * The clock the native TTLs are computed from (a session's TTL is its expiry minus this clock's now). Use
         * the engine's clock ({@code SessionConfig.clock}). Default
         * {@link Clock#systemUTC()}.
         *
         * @param value the clock
         * @return this builder
         */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * Whether the store comes with a {@link RedisChangeBus} ({@link RedisSessionStore#changeBus()}), so that the
         * session caches of several application nodes on this Redis stay coherent: the write scripts then announce
         * each change ({@code PUBLISH}, or {@code SPUBLISH} on a cluster) in the same round trip, and every engine
         * built on the store listens on its own pub/sub connection. Turn it on on every node that shares the
         * sessions (a node without it announces nothing). Needs {@link #uri(String)}, {@link #clusterUris} or a
         * {@code client(...)} (the bus opens its pub/sub connection on the client). Default {@code false}.
         *
         * @param value {@code true} for the bus
         * @return this builder
         */
        public Builder changeBus(boolean value) {
            this.changeBus = value;
            return this;
        }

        private static Duration within(Duration value, Duration min, Duration max, String name) {
            Objects.requireNonNull(value, name);
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + value);
            }
            return value;
        }

        /**
         * Builds the store and tries to connect. A Redis that cannot be reached yet is not an error here: the
         * store logs a warning, its calls fail with a transient {@link SessionStoreException}, and it connects
         * as soon as Redis answers.
         *
         * @return the store
         * @throws IllegalStateException if not exactly one of URI, cluster URIs, client or connection was given,
         *         if credentials were given without a URI or a user without a password, if archiving is on
         *         without an expired retention, or if the change bus is on with an application connection
         */
        public RedisSessionStore build() {
            source.check();
            if (archiveEndedSessions && expiredRetention.isZero()) {
                throw new IllegalStateException("archiveEndedSessions(true) needs expiredRetention(...) above zero "
                        + "(for example 10 minutes), so that cleanup can still read an expired session to archive it");
            }
            if (changeBus) {
                source.checkChangeBus();
            }
            return new RedisSessionStore(this, source.open(), source.cluster());
        }
    }
}
