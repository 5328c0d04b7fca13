package io.platformsessions.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.platformsessions.SessionStoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's one shared Lettuce connection (thread-safe, multiplexed; no pool), with bounded waits, the
 * {@code EVALSHA}/{@code NOSCRIPT} protocol and round-trip counting.
 *
 * <p>Connecting is lazy: the store builds even while Redis is down, and the first calls fail fast with a
 * transient {@link SessionStoreException} (at most one connect attempt a second; the others fail at once).
 * Once connected, Lettuce reconnects by itself after an outage; commands sent while it is disconnected are
 * refused at once (owned clients), and every wait is bounded by the command timeout.
 */
final class RedisConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisConnection.class);
    private static final long CONNECT_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** A connection and the commands on it, typed for both a single node and a cluster. */
    record Connected(StatefulConnection<String, String> connection, RedisClusterAsyncCommands<String, String> commands) {
    }

    /** One script call: its keys (the first picks the cluster node) and arguments. */
    record Call(Script script, String[] keys, String[] args) {
    }

    private final Supplier<Connected> connector;
    /** Opens a new pub/sub connection on the same client (for the change bus); {@code null} without a client. */
    private final Supplier<StatefulRedisPubSubConnection<String, String>> pubSubOpener;
    private final boolean ownsConnection;
    private final Runnable shutdown;
    private final long timeoutNanos;
    private final String target;
    private final ReentrantLock connectLock = new ReentrantLock();
    private final LongAdder roundTrips = new LongAdder();
    private final LongAdder scriptLoads = new LongAdder();
    private volatile Connected connected;
    private volatile long nextConnectNanos;
    private volatile SessionStoreException lastConnectFailure;
    private volatile boolean closed;

    /**
     * @param connector opens the connection (called lazily, again after a failed attempt)
     * @param ownsConnection whether {@link #close()} closes the connection
     * @param shutdown releases what else the store owns (its client), run by {@link #close()}
     * @param timeoutMillis the longest any wait for Redis lasts
     * @param target where Redis is, for messages (no credentials)
     * @param pubSubOpener opens a pub/sub connection on the same client, or {@code null} when there is no client
     */
    RedisConnection(Supplier<Connected> connector, boolean ownsConnection, Runnable shutdown, long timeoutMillis,
                    String target, Supplier<StatefulRedisPubSubConnection<String, String>> pubSubOpener) {
        this.connector = connector;
        this.pubSubOpener = pubSubOpener;
        this.ownsConnection = ownsConnection;
        this.shutdown = shutdown;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        this.target = target;
    }

    /** Tries to connect now; a failure is only logged (calls will report it). */
    void connectEagerly() {
        try {
            commands();
        } catch (SessionStoreException e) {
            LOG.warn("Redis session store could not connect to {} yet; operations fail until it can: {}", target,
                    e.getMessage());
        }
    }

    /** The commands of the connected connection, connecting first if needed. */
    RedisClusterAsyncCommands<String, String> commands() {
        Connected c = connected;
        if (c != null) {
            return c.commands();
        }
        if (closed) {
            throw RedisFailures.permanentFailure("the Redis session store is closed", null);
        }
        return connect().commands();
    }

    private Connected connect() {
        try {
            if (!connectLock.tryLock(timeoutNanos, TimeUnit.NANOSECONDS)) {
                throw RedisFailures.transientFailure("Redis unavailable: connecting to " + target + " is taking long", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RedisFailures.transientFailure("interrupted while connecting to Redis", e);
        }
        try {
            Connected c = connected;
            if (c != null) {
                return c;
            }
            SessionStoreException last = lastConnectFailure;
            if (last != null && System.nanoTime() - nextConnectNanos < 0) {
                String message = last.getMessage() + " (next attempt within 1 s)";
                throw last.isTransient() ? RedisFailures.transientFailure(message, last.getCause())
                        : RedisFailures.permanentFailure(message, last.getCause());
            }
            try {
                c = connector.get();
            } catch (RuntimeException e) {
                lastConnectFailure = RedisFailures.map("connecting to " + target, e);
                nextConnectNanos = System.nanoTime() + CONNECT_BACKOFF_NANOS;
                throw lastConnectFailure;
            }
            lastConnectFailure = null;
            connected = c;
            LOG.info("Redis session store connected to {}", target);
            return c;
        } finally {
            connectLock.unlock();
        }
    }

    /** Runs one script: one round trip (two the first time a server sees it). */
    List<Object> run(Call call, String what) {
        return runAll(List.of(call), what).get(0);
    }

    /**
     * Runs scripts pipelined: all are sent before any answer is awaited, so this is one round trip (two when a
     * server had to be sent a script's source), whatever their number and however many cluster nodes they reach.
     *
     * @throws SessionStoreException if any fails
     */
    List<List<Object>> runAll(List<Call> calls, String what) {
        List<Object> settled = runAllSettled(calls, what);
        List<List<Object>> out = new ArrayList<>(settled.size());
        for (Object o : settled) {
            if (o instanceof SessionStoreException e) {
                throw e;
            }
            out.add(asList(o));
        }
        return out;
    }

    /**
     * {@link #runAll} that reports each call's outcome instead of throwing: a {@code List<Object>} result, or
     * the {@link SessionStoreException} the call failed with.
     */
    List<Object> runAllSettled(List<Call> calls, String what) {
        RedisClusterAsyncCommands<String, String> commands = commands();
        List<RedisFuture<List<Object>>> futures = new ArrayList<>(calls.size());
        for (Call c : calls) {
            futures.add(commands.evalsha(c.script().sha, ScriptOutputType.MULTI, c.keys(), c.args()));
        }
        List<Object> results = settle(futures, what);
        List<Integer> unknown = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i) instanceof SessionStoreException e && e.getCause() instanceof RedisNoScriptException) {
                unknown.add(i);
            }
        }
        if (!unknown.isEmpty()) {
            // first use on this server, or it lost its script cache (restart, failover, SCRIPT FLUSH)
            List<RedisFuture<List<Object>>> retries = new ArrayList<>(unknown.size());
            for (int i : unknown) {
                Call c = calls.get(i);
                retries.add(commands.eval(c.script().source, ScriptOutputType.MULTI, c.keys(), c.args()));
            }
            scriptLoads.add(unknown.size());
            List<Object> retried = settle(retries, what);
            for (int j = 0; j < unknown.size(); j++) {
                results.set(unknown.get(j), retried.get(j));
            }
        }
        return results;
    }

    /** Sends one plain command and waits for its answer: one round trip. */
    <T> T call(Function<RedisClusterAsyncCommands<String, String>, RedisFuture<T>> command, String what) {
        Object o = settle(List.of(command.apply(commands())), what).get(0);
        if (o instanceof SessionStoreException e) {
            throw e;
        }
        @SuppressWarnings("unchecked") // settle returns what the future produced
        T value = (T) o;
        return value;
    }

    /**
     * Sends plain commands pipelined and waits for all: one round trip. Each element of the answer is the
     * command's result or the {@link SessionStoreException} it failed with.
     */
    <T> List<Object> callAllSettled(List<Function<RedisClusterAsyncCommands<String, String>, RedisFuture<T>>> list,
                                    String what) {
        RedisClusterAsyncCommands<String, String> commands = commands();
        List<RedisFuture<T>> futures = new ArrayList<>(list.size());
        for (Function<RedisClusterAsyncCommands<String, String>, RedisFuture<T>> c : list) {
            futures.add(c.apply(commands));
        }
        return settle(futures, what);
    }

    /** Waits for every future under one deadline (one round trip); a failure becomes its mapped exception. */
    private List<Object> settle(List<? extends RedisFuture<?>> futures, String what) {
        roundTrips.increment();
        long deadline = System.nanoTime() + timeoutNanos;
        List<Object> out = new ArrayList<>(futures.size());
        for (RedisFuture<?> f : futures) {
            try {
                out.add(f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (ExecutionException e) {
                out.add(RedisFailures.map(what, e));
            } catch (TimeoutException e) {
                f.cancel(false);
                out.add(RedisFailures.map(what, e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                out.add(RedisFailures.map(what, e));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked") // script results (ScriptOutputType.MULTI) are lists
    static List<Object> asList(Object o) {
        return (List<Object>) o;
    }

    /**
     * Sends a best-effort command without waiting (index repairs that the next reader would redo anyway);
     * failures are logged at debug level.
     */
    void sendAndForget(Function<RedisClusterAsyncCommands<String, String>, RedisFuture<?>> command, String what) {
        try {
            command.apply(commands()).whenComplete((r, e) -> {
                if (e != null) {
                    LOG.debug("best-effort Redis command failed ({}): {}", what, e.toString());
                }
            });
        } catch (RuntimeException e) {
            LOG.debug("best-effort Redis command not sent ({}): {}", what, e.toString());
        }
    }

    /** Runs a best-effort script without waiting (see {@link #sendAndForget}); a {@code NOSCRIPT} is handled. */
    void runAndForget(Call c, String what) {
        try {
            RedisClusterAsyncCommands<String, String> commands = commands();
            commands.<List<Object>>evalsha(c.script().sha, ScriptOutputType.MULTI, c.keys(), c.args())
                    .whenComplete((r, e) -> {
                        if (e != null && RedisFailures.unwrap(e) instanceof RedisNoScriptException) {
                            scriptLoads.increment();
                            commands.<List<Object>>eval(c.script().source, ScriptOutputType.MULTI, c.keys(), c.args())
                                    .whenComplete((r2, e2) -> logForgotten(what, e2));
                        } else {
                            logForgotten(what, e);
                        }
                    });
        } catch (RuntimeException e) {
            logForgotten(what, e);
        }
    }

    private static void logForgotten(String what, Throwable e) {
        if (e != null) {
            LOG.debug("best-effort Redis command failed ({}): {}", what, e.toString());
        }
    }

    /** Waits (each counted once) the store has spent on Redis so far: its round trips. */
    long roundTrips() {
        return roundTrips.sum();
    }

    /** How many times a server had to be sent a script's source ({@code NOSCRIPT}). */
    long scriptLoads() {
        return scriptLoads.sum();
    }

    /** Opens a pub/sub connection on the store's client, or {@code null} if the store was given a connection. */
    Supplier<StatefulRedisPubSubConnection<String, String>> pubSubOpener() {
        return pubSubOpener;
    }

    /** The longest any wait for Redis lasts, in nanoseconds. */
    long timeoutNanos() {
        return timeoutNanos;
    }

    /** Where Redis is, without credentials. */
    String target() {
        return target;
    }

    @Override
    public void close() {
        closed = true;
        Connected c = connected;
        connected = null;
        try {
            if (c != null && ownsConnection) {
                c.connection().close();
            }
        } finally {
            shutdown.run();
        }
    }
}
