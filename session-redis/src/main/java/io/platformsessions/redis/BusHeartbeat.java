package io.platformsessions.redis;

import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The change bus's heartbeat: a {@code PING} on each watched pub/sub connection (the one connection on a single
 * node, each primary's on a cluster) every {@link RedisChangeBus#HEARTBEAT}. A connection whose oldest unanswered
 * (or failed) ping is older than two intervals is overdue: the bus is then not live. It catches what a disconnect
 * event cannot: a connection that is open but silently dead, or a server that stops answering. Thread-safe.
 */
final class BusHeartbeat {
    private static final Logger LOG = LoggerFactory.getLogger(RedisChangeBus.class);
    private static final long OVERDUE_NANOS = 2 * RedisChangeBus.HEARTBEAT.toNanos();

    /** One watched connection's state. */
    private static final class Beat {
        /** When the oldest unanswered ping was sent ({@code System.nanoTime()}), 0 when the last was answered. */
        volatile long unansweredSince;
        volatile boolean inFlight;
    }

    private final Map<StatefulRedisPubSubConnection<String, String>, Beat> beats = new ConcurrentHashMap<>();
    private volatile boolean overdue;

    /** Starts watching a connection; {@code false} if it already was. */
    boolean watch(StatefulRedisPubSubConnection<String, String> c) {
        return beats.putIfAbsent(c, new Beat()) == null;
    }

    /** Whether {@code c} is watched. */
    boolean watches(Object c) {
        return beats.containsKey(c);
    }

    /** Forgets a ping in flight on a connection that broke (it is never answered); it is sent again. */
    void disconnected(StatefulRedisPubSubConnection<String, String> c) {
        beats.replace(c, new Beat());
    }

    /** Stops watching every connection and returns them. */
    Set<StatefulRedisPubSubConnection<String, String>> clear() {
        Set<StatefulRedisPubSubConnection<String, String>> all = Set.copyOf(beats.keySet());
        beats.clear();
        overdue = false;
        return all;
    }

    /** Whether a connection was overdue at the last {@link #beat}. */
    boolean overdue() {
        return overdue;
    }

    /** How long the oldest unanswered ping has waited, in nanoseconds (0 when none is unanswered). */
    long longestWaitNanos() {
        long now = System.nanoTime();
        return beats.values().stream().mapToLong(b -> b.unansweredSince).filter(t -> t != 0)
                .map(t -> now - t).max().orElse(0);
    }

    /**
     * Checks the watched connections and sends a ping on each that has none in flight.
     *
     * @param answeredWhileOverdue run (on Lettuce's thread) when a ping is answered while overdue, to recompute at
     *        once rather than at the next interval
     * @return whether a connection is overdue
     */
    boolean beat(Runnable answeredWhileOverdue) {
        long now = System.nanoTime();
        boolean late = anyOverdue(now);
        for (var e : beats.entrySet()) {
            StatefulRedisPubSubConnection<String, String> c = e.getKey();
            Beat beat = e.getValue();
            if (beat.inFlight) {
                continue;
            }
            beat.inFlight = true;
            if (beat.unansweredSince == 0) {
                beat.unansweredSince = now;
            }
            try {
                c.async().ping().whenComplete((pong, failure) -> {
                    beat.inFlight = false;
                    if (failure == null) {
                        beat.unansweredSince = 0;
                        if (overdue) {
                            overdue = anyOverdue(System.nanoTime());
                            answeredWhileOverdue.run();
                        }
                    }
                    // a failed ping stays unanswered: the connection becomes (or stays) overdue
                });
            } catch (RuntimeException failure) {
                beat.inFlight = false;
                LOG.debug("Redis change bus heartbeat not sent: {}", failure.toString());
            }
        }
        overdue = late;
        return late;
    }

    private boolean anyOverdue(long now) {
        for (Beat b : beats.values()) {
            long since = b.unansweredSince;
            if (since != 0 && now - since > OVERDUE_NANOS) {
                return true;
            }
        }
        return false;
    }
}
