package io.platformsessions.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.platformsessions.AccessLevel;
import io.platformsessions.AttributeOptions;
import io.platformsessions.ClientInfo;
import io.platformsessions.CreatedSession;
import io.platformsessions.InvalidationReason;
import io.platformsessions.PlatformContext;
import io.platformsessions.SessionConfig;
import io.platformsessions.SessionKey;
import io.platformsessions.SessionLookup;
import io.platformsessions.SessionManager;
import io.platformsessions.SessionMetrics;
import io.platformsessions.SessionSummary;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A {@link SessionManager} that times {@link #lookup(String, ClientInfo)} (what the servlet filter calls on
 * every request) by outcome and otherwise does exactly what the manager it wraps does.
 *
 * <p>Meter: {@code platform.sessions.lookups} (timer), tag {@code outcome}: {@code cache_hit} (a live session
 * answered without reading the store), {@code store_hit} (a live session read from the store),
 * {@code not_found}, {@code expired}, {@code invalidated}, {@code throttled}, {@code malformed},
 * {@code absent}, or {@code error} (the store failed). Telling cache from store hits needs the manager to
 * be built on the given {@link MeteredSessionStore}.
 *
 * <p>Thread-safe (as the wrapped manager is).
 */
public final class MeteredSessionManager implements SessionManager {
    private static final String CACHE_HIT = "cache_hit";
    private static final String STORE_HIT = "store_hit";

    private final SessionManager delegate;
    private final Map<SessionLookup.Status, Timer> byStatus = new EnumMap<>(SessionLookup.Status.class);
    private final Timer cacheHits;
    private final Timer errors;

    /**
     * Wraps a manager and registers the lookup timer.
     *
     * @param delegate the manager, built on {@code store}
     * @param store the metered store the manager was built on (proves lookups that read the store are seen)
     * @param registry where the meter goes
     * @throws NullPointerException if an argument is null
     */
    public MeteredSessionManager(SessionManager delegate, MeteredSessionStore store, MeterRegistry registry) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(registry, "registry");
        for (SessionLookup.Status s : SessionLookup.Status.values()) {
            byStatus.put(s, timer(registry, s == SessionLookup.Status.ACTIVE ? STORE_HIT : s.name().toLowerCase(Locale.ROOT)));
        }
        cacheHits = timer(registry, CACHE_HIT);
        errors = timer(registry, "error");
    }

    private static Timer timer(MeterRegistry registry, String outcome) {
        return Timer.builder("platform.sessions.lookups")
                .description("Session lookups of presented tokens, by outcome")
                .tag("outcome", outcome)
                .register(registry);
    }

    /**
     * The manager this one wraps.
     *
     * @return the wrapped manager
     */
    public SessionManager delegate() {
        return delegate;
    }

    @Override
    public SessionLookup lookup(String presentedToken, ClientInfo client) {
        return timed(() -> delegate.lookup(presentedToken, client));
    }

    @Override
    public SessionLookup lookupWithoutActivity(String presentedToken, ClientInfo client) {
        return timed(() -> delegate.lookupWithoutActivity(presentedToken, client));
    }

    /** Times a lookup by outcome; an active session found without a store read counts as a cache hit. */
    private SessionLookup timed(java.util.function.Supplier<SessionLookup> lookup) {
        long finds = MeteredSessionStore.findsOnThisThread();
        long start = System.nanoTime();
        SessionLookup result;
        try {
            result = lookup.get();
        } catch (RuntimeException | Error e) {
            errors.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            throw e;
        }
        long nanos = System.nanoTime() - start;
        Timer timer = result.status() == SessionLookup.Status.ACTIVE && MeteredSessionStore.findsOnThisThread() == finds
                ? cacheHits : byStatus.get(result.status());
        timer.record(nanos, TimeUnit.NANOSECONDS);
        return result;
    }

    @Override
    public CreatedSession create(String userId, ClientInfo client) {
        return delegate.create(userId, client);
    }

    @Override
    public CreatedSession create(String userId, long platformId, ClientInfo client) {
        return delegate.create(userId, platformId, client);
    }

    @Override
    public Optional<PlatformContext> resolve(String presentedToken, ClientInfo client) {
        return delegate.resolve(presentedToken, client);
    }

    @Override
    public Optional<PlatformContext> peek(SessionKey key) {
        return delegate.peek(key);
    }

    @Override
    public boolean validate(String presentedToken, String userId, ClientInfo client) {
        return delegate.validate(presentedToken, userId, client);
    }

    @Override
    public PlatformContext switchPlatform(SessionKey key, long platformId) {
        return delegate.switchPlatform(key, platformId);
    }

    @Override
    public CreatedSession rotate(SessionKey key) {
        return delegate.rotate(key);
    }

    @Override
    public PlatformContext extend(SessionKey key, Duration by) {
        return delegate.extend(key, by);
    }

    @Override
    public boolean invalidate(SessionKey key, InvalidationReason reason) {
        return delegate.invalidate(key, reason);
    }

    @Override
    public int invalidateAll(String userId, InvalidationReason reason) {
        return delegate.invalidateAll(userId, reason);
    }

    @Override
    public int invalidateOthers(SessionKey current) {
        return delegate.invalidateOthers(current);
    }

    @Override
    public List<SessionSummary> activeSessions(String userId) {
        return delegate.activeSessions(userId);
    }

    @Override
    public int platformWithdrawn(String userId, long platformId) {
        return delegate.platformWithdrawn(userId, platformId);
    }

    @Override
    public List<io.platformsessions.PlatformConnection> platformConnections(String userId) {
        return delegate.platformConnections(userId);
    }

    @Override
    public int cleanupExpired() {
        return delegate.cleanupExpired();
    }

    @Override
    public <T> Optional<T> getAttribute(PlatformContext context, String name, Class<T> type) {
        return delegate.getAttribute(context, name, type);
    }

    @Override
    public PlatformContext setAttribute(SessionKey key, String name, Object value) {
        return delegate.setAttribute(key, name, value);
    }

    @Override
    public PlatformContext setAttribute(SessionKey key, String name, Object value, AttributeOptions options) {
        return delegate.setAttribute(key, name, value, options);
    }

    @Override
    public PlatformContext removeAttribute(SessionKey key, String name) {
        return delegate.removeAttribute(key, name);
    }

    @Override
    public String csrfToken(PlatformContext context) {
        return delegate.csrfToken(context);
    }

    @Override
    public boolean verifyCsrfToken(PlatformContext context, String presented) {
        return delegate.verifyCsrfToken(context, presented);
    }

    @Override
    public void requireCsrfToken(PlatformContext context, String presented) {
        delegate.requireCsrfToken(context, presented);
    }

    @Override
    public PlatformContext elevate(SessionKey key, AccessLevel level, Duration duration) {
        return delegate.elevate(key, level, duration);
    }

    @Override
    public boolean isElevated(PlatformContext context, AccessLevel level) {
        return delegate.isElevated(context, level);
    }

    @Override
    public void requireElevated(PlatformContext context, AccessLevel level) {
        delegate.requireElevated(context, level);
    }

    @Override
    public SessionMetrics metrics() {
        return delegate.metrics();
    }

    @Override
    public SessionConfig config() {
        return delegate.config();
    }

    /** Closes the wrapped manager. */
    @Override
    public void close() {
        delegate.close();
    }

    /** Names the wrapped manager. */
    @Override
    public String toString() {
        return "MeteredSessionManager[" + delegate + "]";
    }
}
