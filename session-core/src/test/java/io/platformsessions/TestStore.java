package io.platformsessions;

import io.platformsessions.spi.SessionRecord;
import io.platformsessions.spi.SessionStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The test decorator of a real store: counts calls per method (to prove what does and does not do
 * I/O), runs one-shot hooks before or after a call (to run "the other request" at an exact point
 * inside an operation, so races are reproduced without sleeps), and fails {@code touch} on demand.
 * Thread-safe.
 */
public final class TestStore implements SessionStore {
    /** Where a hook runs relative to the delegated call. */
    public enum Phase {
        /** Before the store call. */
        BEFORE,
        /** After the store call returned; the caller gets the result read before the hook ran. */
        AFTER
    }

    /** The wrapped store. */
    public final SessionStore delegate;
    /** When set, {@code touch} throws it (without reaching the delegate's data). */
    public volatile RuntimeException touchFailure;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, Queue<Runnable>> hooks = new ConcurrentHashMap<>();

    /**
     * Wraps a store.
     *
     * @param delegate the real store
     */
    public TestStore(SessionStore delegate) {
        this.delegate = delegate;
    }

    /**
     * Runs {@code action} once, at the next call of {@code method} from any thread.
     *
     * @param method a {@link SessionStore} method name
     * @param phase before or after the call
     * @param action what "the other request" does
     */
    public void hook(String method, Phase phase, Runnable action) {
        hooks.computeIfAbsent(key(null, method, phase), k -> new ConcurrentLinkedQueue<>()).add(action);
    }

    /**
     * Runs {@code action} once, at the next call of {@code method} made by {@code thread}.
     *
     * @param thread the calling thread
     * @param method a {@link SessionStore} method name
     * @param phase before or after the call
     * @param action what to do there (typically: signal a latch and wait for another)
     */
    public void hook(Thread thread, String method, Phase phase, Runnable action) {
        hooks.computeIfAbsent(key(thread, method, phase), k -> new ConcurrentLinkedQueue<>()).add(action);
    }

    /**
     * Calls of one method so far.
     *
     * @param method the method name
     * @return the count
     */
    public int calls(String method) {
        AtomicInteger n = calls.get(method);
        return n == null ? 0 : n.get();
    }

    /**
     * All calls so far.
     *
     * @return the total
     */
    public int totalCalls() {
        return calls.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** Forgets the counts. */
    public void reset() {
        calls.clear();
    }

    private static String key(Thread thread, String method, Phase phase) {
        return (thread == null ? "*" : Long.toString(thread.getId())) + "/" + method + "/" + phase;
    }

    private void fire(String method, Phase phase) {
        for (Thread t : new Thread[] {Thread.currentThread(), null}) {
            Queue<Runnable> q = hooks.get(key(t, method, phase));
            Runnable action = q == null ? null : q.poll();
            if (action != null) {
                action.run();
                return;
            }
        }
    }

    private <T> T call(String method, Supplier<T> op) {
        calls.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
        fire(method, Phase.BEFORE);
        T result = op.get();
        fire(method, Phase.AFTER);
        return result;
    }

    @Override
    public void insert(SessionRecord record) {
        call("insert", () -> {
            delegate.insert(record);
            return null;
        });
    }

    @Override
    public Optional<SessionRecord> find(SessionKey key) {
        return call("find", () -> delegate.find(key));
    }

    @Override
    public boolean update(SessionRecord next, long expectedVersion) {
        return call("update", () -> delegate.update(next, expectedVersion));
    }

    @Override
    public boolean rekey(SessionKey oldKey, SessionRecord next, long expectedVersion) {
        return call("rekey", () -> delegate.rekey(oldKey, next, expectedVersion));
    }

    @Override
    public boolean touch(SessionKey key, Instant lastActivityAt, Instant idleExpiresAt) {
        return call("touch", () -> {
            RuntimeException failure = touchFailure;
            if (failure != null) {
                throw failure;
            }
            return delegate.touch(key, lastActivityAt, idleExpiresAt);
        });
    }

    @Override
    public boolean delete(SessionKey key, InvalidationReason reason, Instant endedAt) {
        return call("delete", () -> delegate.delete(key, reason, endedAt));
    }

    @Override
    public List<SessionRecord> findByUser(String userId) {
        return call("findByUser", () -> delegate.findByUser(userId));
    }

    @Override
    public int deleteExpired(Instant now, int batchSize) {
        return call("deleteExpired", () -> delegate.deleteExpired(now, batchSize));
    }

    @Override
    public Map<String, Long> countActiveByPlatformType(Instant now) {
        return call("countActiveByPlatformType", () -> delegate.countActiveByPlatformType(now));
    }
}
