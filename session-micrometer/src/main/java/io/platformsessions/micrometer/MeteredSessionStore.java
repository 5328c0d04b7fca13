package io.platformsessions.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.platformsessions.InvalidationReason;
import io.platformsessions.SessionKey;
import io.platformsessions.spi.SessionChangeBus;
import io.platformsessions.spi.SessionRecord;
import io.platformsessions.spi.SessionStore;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A {@link SessionStore} that times every call of the store it wraps and counts compare-and-set conflicts,
 * then answers exactly as that store does (results and exceptions pass through unchanged).
 *
 * <p>Meters: {@code platform.sessions.store.calls} (timer; tags {@code operation} = insert, find, update,
 * rekey, touch, delete, find_by_user, delete_expired, count_active, and {@code outcome} = success or error),
 * {@code platform.sessions.store.conflicts} (counter; {@code operation} = update or rekey: the stored
 * version differed or the session was gone) and {@code platform.sessions.ended} with
 * {@code reason = cleanup} (sessions deleted in bulk by {@code deleteExpired}, which emits no per-session
 * event).
 *
 * <p>It also counts, per thread, how often {@link #find} ran, so that {@link MeteredSessionManager} can tell
 * a lookup answered from the engine's cache from one that read the store. Thread-safe.
 */
public final class MeteredSessionStore implements SessionStore {
    /** The store operations, as they appear in the {@code operation} tag. */
    enum Operation {
        INSERT, FIND, UPDATE, REKEY, TOUCH, DELETE, FIND_BY_USER, DELETE_EXPIRED, COUNT_ACTIVE;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final ThreadLocal<long[]> FINDS = ThreadLocal.withInitial(() -> new long[1]);

    private final SessionStore delegate;
    private final Map<Operation, Timer> successes = new EnumMap<>(Operation.class);
    private final Map<Operation, Timer> errors = new EnumMap<>(Operation.class);
    private final Counter updateConflicts;
    private final Counter rekeyConflicts;
    private final Counter cleanedUp;
    private final MeteredSessionChangeBus bus;

    /**
     * Wraps a store and registers its meters.
     *
     * @param delegate the store that does the work
     * @param registry where the meters go
     * @throws NullPointerException if an argument is null
     */
    public MeteredSessionStore(SessionStore delegate, MeterRegistry registry) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        Objects.requireNonNull(registry, "registry");
        for (Operation op : Operation.values()) {
            successes.put(op, timer(registry, op, "success"));
            errors.put(op, timer(registry, op, "error"));
        }
        updateConflicts = conflicts(registry, Operation.UPDATE);
        rekeyConflicts = conflicts(registry, Operation.REKEY);
        cleanedUp = SessionMeters.ended(registry, "cleanup");
        bus = delegate.changeBus().map(b -> new MeteredSessionChangeBus(b, registry)).orElse(null);
    }

    private static Timer timer(MeterRegistry registry, Operation op, String outcome) {
        return Timer.builder("platform.sessions.store.calls")
                .description("Calls to the session store")
                .tag("operation", op.tag()).tag("outcome", outcome)
                .register(registry);
    }

    private static Counter conflicts(MeterRegistry registry, Operation op) {
        return Counter.builder("platform.sessions.store.conflicts")
                .description("Compare-and-set writes refused because the session changed or ended meanwhile")
                .tag("operation", op.tag())
                .register(registry);
    }

    /**
     * The store this one wraps (for example to reach a JDBC store's pool status).
     *
     * @return the wrapped store
     */
    public SessionStore delegate() {
        return delegate;
    }

    /** How many {@link #find} calls this thread has made through any metered store so far. */
    static long findsOnThisThread() {
        return FINDS.get()[0];
    }

    private <T> T timed(Operation op, Supplier<T> call) {
        long start = System.nanoTime();
        try {
            T result = call.get();
            successes.get(op).record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            return result;
        } catch (RuntimeException | Error e) {
            errors.get(op).record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            throw e;
        }
    }

    @Override
    public void insert(SessionRecord record) {
        timed(Operation.INSERT, () -> {
            delegate.insert(record);
            return null;
        });
    }

    @Override
    public int insertAndCountLive(SessionRecord record, Instant now) {
        return timed(Operation.INSERT, () -> delegate.insertAndCountLive(record, now));
    }

    @Override
    public Optional<SessionRecord> find(SessionKey key) {
        FINDS.get()[0]++;
        return timed(Operation.FIND, () -> delegate.find(key));
    }

    @Override
    public boolean update(SessionRecord next, long expectedVersion) {
        boolean written = timed(Operation.UPDATE, () -> delegate.update(next, expectedVersion));
        if (!written) {
            updateConflicts.increment();
        }
        return written;
    }

    @Override
    public boolean rekey(SessionKey oldKey, SessionRecord next, long expectedVersion) {
        boolean moved = timed(Operation.REKEY, () -> delegate.rekey(oldKey, next, expectedVersion));
        if (!moved) {
            rekeyConflicts.increment();
        }
        return moved;
    }

    @Override
    public boolean touch(SessionKey key, Instant lastActivityAt, Instant idleExpiresAt) {
        return timed(Operation.TOUCH, () -> delegate.touch(key, lastActivityAt, idleExpiresAt));
    }

    @Override
    public boolean delete(SessionKey key, InvalidationReason reason, Instant endedAt) {
        return timed(Operation.DELETE, () -> delegate.delete(key, reason, endedAt));
    }

    @Override
    public List<SessionRecord> findByUser(String userId) {
        return timed(Operation.FIND_BY_USER, () -> delegate.findByUser(userId));
    }

    @Override
    public int deleteExpired(Instant now, int batchSize) {
        int deleted = timed(Operation.DELETE_EXPIRED, () -> delegate.deleteExpired(now, batchSize));
        cleanedUp.increment(deleted);
        return deleted;
    }

    @Override
    public Map<String, Long> countActiveByPlatformType(Instant now) {
        return timed(Operation.COUNT_ACTIVE, () -> delegate.countActiveByPlatformType(now));
    }

    /**
     * The wrapped store's own bus, metered ({@link MeteredSessionChangeBus}, one wrapper made when this store was):
     * an engine built on this store uses it, and its connections, announcements and resets are counted.
     */
    @Override
    public Optional<SessionChangeBus> changeBus() {
        return Optional.ofNullable(bus);
    }

    /**
     * The metered wrapper of the wrapped store's own bus, for health and gauges.
     *
     * @return the wrapper, or empty if the wrapped store has no bus
     */
    public Optional<MeteredSessionChangeBus> meteredChangeBus() {
        return Optional.ofNullable(bus);
    }

    @Override
    public String toString() {
        return "MeteredSessionStore[" + delegate + "]";
    }
}
