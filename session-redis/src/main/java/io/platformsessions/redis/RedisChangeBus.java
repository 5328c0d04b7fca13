package io.platformsessions.redis;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.platformsessions.spi.SessionChangeBus;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link SessionChangeBus} of a {@link RedisSessionStore}, returned by its {@link RedisSessionStore#changeBus()}
 * when built with {@link RedisSessionStore.Builder#changeBus(boolean) changeBus(true)}: keeps the session caches of
 * several application nodes on one Redis coherent.
 *
 * <p>The announcements are made by the store's own write scripts, atomically with the write: {@code PUBLISH} on
 * the channel {@code <prefix>bus} on a single node, {@code SPUBLISH} on the session's bucket channel
 * {@code <prefix>bus:{<bucket>}} (sharded pub/sub, in the session's own hash slot) on a Redis Cluster. A message is
 * {@code 1 <node id> <session key hex> <version>} ({@code -1}: the session ended); it carries no token or secret.
 * The bus holds one pub/sub connection on the store's client, opened when the first engine connects:
 * <ul>
 * <li>messages from this store ({@linkplain #nodeId() its node id}) are skipped; changes of another engine on
 *     the same store in this JVM are delivered in process ({@link Connection#publish});</li>
 * <li>live only while every channel is subscribed and the connection answers its heartbeat (a {@code PING}
 *     every {@link #HEARTBEAT}); every time it becomes live (first subscription, after Lettuce reconnected,
 *     after a missed heartbeat or a shard channel moved) every engine is {@linkplain Listener#onReset reset};</li>
 * <li>Redis unreachable when connecting: the bus is not live (engines read the store) and retries in the
 *     background, backing off up to {@link #MAX_RETRY_DELAY};</li>
 * <li>a message that is not an announcement (foreign publisher, wrong format) is ignored and counted in
 *     {@link #malformedMessages()}; a listener that throws is logged, the bus carries on.</li>
 * </ul>
 * Details and what a failover can lose: {@code docs/redis.md}, "Change bus". Thread-safe.
 */
public final class RedisChangeBus implements SessionChangeBus, AutoCloseable {
    /** Heartbeat interval: a subscription that does not answer a {@code PING} for twice this is not live. */
    public static final Duration HEARTBEAT = Duration.ofSeconds(1);
    /** Longest wait between two attempts to open the pub/sub connection while Redis is unreachable. */
    public static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(10);
    /** After this many heartbeat intervals without an answer the pub/sub connection is closed and opened again. */
    private static final int REOPEN_AFTER_MISSED = 5;
    private static final Logger LOG = LoggerFactory.getLogger(RedisChangeBus.class);

    private final String nodeId;
    private final List<String> channels;
    private final Set<String> channelSet;
    private final boolean sharded;
    private final Supplier<StatefulRedisPubSubConnection<String, String>> opener;
    private final String target;
    private final CopyOnWriteArrayList<Local> connections = new CopyOnWriteArrayList<>();
    private final Set<String> subscribed = ConcurrentHashMap.newKeySet();
    private final LongAdder received = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    private final LongAdder resets = new LongAdder();
    private final PubSubListener pubSubListener = new PubSubListener();
    private final StateListener stateListener = new StateListener();

    /** Guards whether the bus is live and the resets that go with becoming live; never held while waiting on Redis. */
    private final Object state = new Object();

    // written under this (the lifecycle lock: opening, closing, the timer)
    private volatile StatefulRedisPubSubConnection<String, String> pubSub;
    private ScheduledExecutorService timer;
    private int failedOpens;
    private long nextOpenNanos;
    private volatile boolean closed;

    private volatile boolean live;
    /** The connections whose heartbeat is checked: the bus is not live while one is overdue. */
    private final BusHeartbeat heartbeats = new BusHeartbeat();

    /**
     * @param nodeId this store's node id, which its scripts put in their announcements
     * @param channels the channels to subscribe to (one on a single node, one per bucket on a cluster)
     * @param sharded whether they are shard channels ({@code SSUBSCRIBE})
     * @param opener opens a pub/sub connection on the store's client
     * @param target where Redis is, for log messages (no credentials)
     */
    RedisChangeBus(String nodeId, List<String> channels, boolean sharded,
                   Supplier<StatefulRedisPubSubConnection<String, String>> opener, String target) {
        this.nodeId = nodeId;
        this.channels = List.copyOf(channels);
        this.channelSet = Set.copyOf(channels);
        this.sharded = sharded;
        this.opener = opener;
        this.target = target;
    }

    /**
     * Connects one engine. The first connection opens the bus's pub/sub connection (waiting at most for the
     * connect timeout and a subscription); if Redis cannot be reached it is retried in the background and the
     * connection stays not live meanwhile. Never throws for a Redis failure.
     *
     * @param listener receives other nodes' changes and resets
     * @return the connection
     * @throws NullPointerException if {@code listener} is null
     * @throws IllegalStateException if the bus (its store) is closed
     */
    @Override
    public Connection connect(Listener listener) {
        Objects.requireNonNull(listener, "listener");
        Local c = new Local(listener);
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the Redis change bus is closed (its store was closed)");
            }
            connections.add(c);
            if (timer == null) {
                timer = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "redis-change-bus-" + nodeId);
                    t.setDaemon(true);
                    return t;
                });
                long period = HEARTBEAT.toMillis();
                timer.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
                open();
            }
        }
        return c;
    }

    /**
     * This store's node id: random per store instance, in every announcement its scripts make.
     *
     * @return 16 hex digits
     */
    public String nodeId() {
        return nodeId;
    }

    /**
     * Whether announcements reach this node now (every channel subscribed, heartbeat answered).
     *
     * @return {@code true} if live
     */
    public boolean isLive() {
        return live;
    }

    /**
     * Announcements from other nodes received and applied since the bus started.
     *
     * @return the count
     */
    public long receivedMessages() {
        return received.sum();
    }

    /**
     * Messages on the bus channels that were not announcements this version can read (another publisher, a wrong
     * format), ignored since the bus started. The first few are logged at WARN.
     *
     * @return the count
     */
    public long malformedMessages() {
        return malformed.sum();
    }

    /**
     * How many times the bus became live and reset every connected engine (first subscription, reconnects,
     * recovered heartbeats, moved shard channels).
     *
     * @return the count
     */
    public long resets() {
        return resets.sum();
    }

    /**
     * Closes the pub/sub connection and every engine's connection (they are then never live). Called by
     * {@link RedisSessionStore#close()}. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            connections.clear();
            stop();
        }
    }

    /** The pub/sub connection's client name ({@code CLIENT LIST}), for operators and tests. */
    String clientName() {
        return "ps-bus-" + nodeId;
    }

    // ------------------------------------------------------------------------------------------ connection

    /** Opens the pub/sub connection and subscribes; a failure schedules the next attempt. Holds the lock. */
    private void open() {
        StatefulRedisPubSubConnection<String, String> c;
        try {
            c = opener.get();
        } catch (RuntimeException e) {
            failedOpens++;
            long delay = Math.min(MAX_RETRY_DELAY.toMillis(), HEARTBEAT.toMillis() << Math.min(failedOpens - 1, 10));
            nextOpenNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
            LOG.warn("Redis change bus could not connect to {} (attempt {}; next in {} ms); until it can, the session "
                    + "cache is bypassed: {}", target, failedOpens, delay, e.toString());
            return;
        }
        failedOpens = 0;
        pubSub = c;
        c.addListener(pubSubListener);
        c.addListener(stateListener);
        try {
            c.sync().clientSetname(clientName()); // so operators (and tests) find it in CLIENT LIST
        } catch (RuntimeException e) {
            LOG.debug("Redis change bus could not name its connection: {}", e.toString());
        }
        try {
            subscribe(c, channels);
            watchNodes(c);
        } catch (RuntimeException e) {
            LOG.warn("Redis change bus could not subscribe on {}: {}", target, e.toString());
        }
        LOG.info("Redis change bus connected to {} (node {}, {} channel(s){})", target, nodeId, channels.size(),
                sharded ? ", sharded" : "");
    }

    private void subscribe(StatefulRedisPubSubConnection<String, String> c, List<String> which) {
        if (sharded) {
            for (String ch : which) {
                c.async().ssubscribe(ch); // one per command: each is routed to its slot's node
            }
        } else {
            c.async().subscribe(which.toArray(String[]::new));
        }
    }

    /**
     * The connections whose loss loses announcements, which the heartbeat checks: the pub/sub connection on a
     * single node; on a cluster, its connections to the primaries (where the shard channels live), each watched
     * for disconnects and named. Not holding the lock.
     */
    private void watchNodes(StatefulRedisPubSubConnection<String, String> c) {
        if (!(c instanceof StatefulRedisClusterPubSubConnection<String, String> cluster)) {
            heartbeats.watch(c);
            return;
        }
        for (RedisClusterNode node : cluster.getPartitions()) {
            if (!node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
                continue;
            }
            StatefulRedisPubSubConnection<String, String> nc = cluster.getConnection(node.getNodeId());
            if (heartbeats.watch(nc)) {
                nc.addListener(stateListener);
                nc.async().clientSetname(clientName());
            }
        }
    }

    /** Closes the pub/sub connection and the timer. Holds the lock. */
    private void stop() {
        dropConnection();
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    /** Closes the pub/sub connection (not live until a new one is subscribed), without a log line. Holds the lock. */
    private void dropConnection() {
        StatefulRedisPubSubConnection<String, String> c = pubSub;
        pubSub = null;
        subscribed.clear();
        for (StatefulRedisPubSubConnection<String, String> nc : heartbeats.clear()) {
            nc.removeListener(stateListener);
        }
        synchronized (state) {
            live = false; // closing or reopening: both are logged by the caller
        }
        if (c != null) {
            c.removeListener(stateListener);
            c.removeListener(pubSubListener);
            c.closeAsync();
        }
    }

    /** Timer: retries opening, sends heartbeats, resubscribes channels the server moved away. */
    private void tick() {
        StatefulRedisPubSubConnection<String, String> c;
        synchronized (this) {
            if (closed || timer == null) {
                return;
            }
            if (pubSub == null) {
                if (System.nanoTime() - nextOpenNanos >= 0) {
                    open();
                }
                return;
            }
            c = pubSub;
            if (heartbeats.longestWaitNanos() > REOPEN_AFTER_MISSED * HEARTBEAT.toNanos()) {
                LOG.warn("Redis change bus: heartbeat unanswered on {} for {} heartbeats; opening a new pub/sub "
                        + "connection", target, REOPEN_AFTER_MISSED);
                dropConnection();
                open();
                return;
            }
        }
        try {
            watchNodes(c);
            if (subscribed.size() < channels.size() && sharded) {
                // a shard channel the server moved away (resharding, failover), or one whose node reconnected
                subscribe(c, channels.stream().filter(ch -> !subscribed.contains(ch)).toList());
            }
        } catch (RuntimeException e) {
            LOG.debug("Redis change bus could not resubscribe yet: {}", e.toString());
        }
        heartbeat();
    }

    private void heartbeat() {
        boolean wasOverdue = heartbeats.overdue();
        boolean overdue = heartbeats.beat(() -> refresh("heartbeat answered again"));
        if (overdue && !wasOverdue && live) {
            LOG.warn("Redis change bus: no heartbeat answer from {} within {} ms; bypassing the session cache", target,
                    2 * HEARTBEAT.toMillis());
        }
        refresh(overdue ? "heartbeat overdue" : "heartbeat answered");
    }

    /**
     * Recomputes whether the bus is live; when it becomes live, resets every engine (announcements may have been
     * missed before).
     */
    private void refresh(String why) {
        synchronized (state) {
            boolean now = !closed && pubSub != null && subscribed.size() == channels.size() && !heartbeats.overdue();
            if (now && !live) {
                live = true;
                LOG.info("Redis change bus live on {} ({}); resetting the session cache", target, why);
                for (Local c : connections) {
                    c.reset("Redis change bus live (" + why + ")");
                }
                resets.increment();
            } else if (!now && live) {
                live = false;
                LOG.warn("Redis change bus not live on {} ({}); the session cache is bypassed until it is", target,
                        why);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ messages

    private void onMessage(String payload) {
        Change change = RedisBusMessage.parse(payload, nodeId);
        if (change == RedisBusMessage.OWN) {
            return;
        }
        if (change == null) {
            long n = malformed.sum();
            malformed.increment();
            if (n < 10 || n % 1000 == 0) {
                LOG.warn("Redis change bus: ignored a message that is not an announcement ({} so far, {} chars)",
                        n + 1, payload == null ? 0 : payload.length());
            }
            return;
        }
        for (Local c : connections) {
            c.deliver(change);
        }
        received.increment();
    }

    private final class PubSubListener extends RedisPubSubAdapter<String, String> {
        @Override
        public void message(String channel, String message) {
            onMessage(message);
        }

        @Override
        public void smessage(String channel, String message) {
            onMessage(message);
        }

        @Override
        public void subscribed(String channel, long count) {
            confirmed(channel);
        }

        @Override
        public void ssubscribed(String channel, long count) {
            confirmed(channel);
        }

        @Override
        public void unsubscribed(String channel, long count) {
            lost(channel);
        }

        @Override
        public void sunsubscribed(String channel, long count) {
            lost(channel); // the server moved the channel's slot away; the timer subscribes it again
        }

        private void confirmed(String channel) {
            if (channelSet.contains(channel) && subscribed.add(channel) && subscribed.size() == channels.size()) {
                refresh("subscribed");
            }
        }

        private void lost(String channel) {
            if (subscribed.remove(channel)) {
                refresh("channel " + channel + " unsubscribed by the server");
            }
        }
    }

    private final class StateListener implements RedisConnectionStateListener {
        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
            // Lettuce resubscribes after a reconnect: the bus is live again when the subscriptions are confirmed.
            // It does not restore the client name: set it again (without waiting, on Lettuce's thread)
            if (connection instanceof StatefulRedisPubSubConnection<?, ?> c) {
                @SuppressWarnings("unchecked") // ours: the bus's connection or one of its node connections
                StatefulRedisPubSubConnection<String, String> mine = (StatefulRedisPubSubConnection<String, String>) c;
                mine.async().clientSetname(clientName());
            }
        }

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            subscribed.clear(); // on a cluster the timer subscribes the other nodes' channels again (confirmations)
            if (connection instanceof StatefulRedisPubSubConnection<?, ?> c && heartbeats.watches(c)) {
                @SuppressWarnings("unchecked") // a watched connection: the bus's own
                StatefulRedisPubSubConnection<String, String> mine = (StatefulRedisPubSubConnection<String, String>) c;
                heartbeats.disconnected(mine);
            }
            refresh("disconnected");
        }
    }

    /** One engine's connection. */
    private final class Local implements Connection {
        private final Listener listener;
        private volatile boolean open = true;

        Local(Listener listener) {
            this.listener = listener;
        }

        void deliver(Change change) {
            if (!open) {
                return;
            }
            try {
                listener.onChange(change);
            } catch (RuntimeException e) {
                LOG.warn("a session change listener failed: {}", e.toString());
            }
        }

        void reset(String why) {
            if (!open) {
                return;
            }
            try {
                listener.onReset(why);
            } catch (RuntimeException e) {
                LOG.warn("a session change listener failed on reset: {}", e.toString());
            }
        }

        /**
         * The store's scripts announce this engine's writes to the other nodes; here only other engines on the
         * same store in this JVM (which skip the store's own announcements) are told.
         */
        @Override
        public void publish(Change change) {
            for (Local c : connections) {
                if (c != this) {
                    c.deliver(change);
                }
            }
        }

        @Override
        public boolean isLive() {
            return open && live;
        }

        @Override
        public void close() {
            open = false;
            synchronized (RedisChangeBus.this) {
                if (connections.remove(this) && connections.isEmpty()) {
                    stop();
                }
            }
        }
    }
}
