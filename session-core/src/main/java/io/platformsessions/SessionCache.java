package io.platformsessions;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.platformsessions.spi.SessionChangeBus;
import io.platformsessions.spi.SessionRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of cache coherence: the local cache of session records, the memory of versions a
 * copy must not fall below (including keys that ended), and the connection to the change bus. Engine
 * operations tell it what happened ({@link #loaded}, {@link #created}, {@link #written},
 * {@link #touched}, {@link #ended}, {@link #rekeyed}, {@link #conflict}, {@link #absent}); where to
 * put, drop or announce follows here.
 *
 * <p>When a copy may be served ({@link #get}), by {@link SessionMetrics.CacheState}:
 * <ul>
 * <li>a change bus, live: always (its announcements drop copies that another engine made stale);</li>
 * <li>a change bus, not live: never (every read goes to the store, nothing is installed); when it is
 *     live again everything cached before is dropped, as after a {@linkplain #onReset reset};</li>
 * <li>no bus: while the store confirmed the copy within {@link SessionConfig#maxCacheStaleness()};</li>
 * <li>no bus, {@link SessionConfig#singleNode()}: always.</li>
 * </ul>
 *
 * <p>The rule, written once: <b>a copy is installed only if nothing newer is known.</b> Newer means a
 * cached copy with a higher version (or the same version with later activity), a <em>floor</em> (the
 * lowest version a copy of that key may have: raised by a lost compare-and-set, a change announced by
 * another engine, or the key's end, which forbids any copy), or a newer <em>generation</em>: every
 * install carries the ticket ({@link #ticket()}) taken before its store call, and a reset bumps the
 * generation, so a read that started before it cannot install afterwards. The check runs atomically
 * with the map entry and once more after it, so a drop that races with an install wins. Hence a caller
 * always sees its own acknowledged writes, and a read that started before a write never installs its
 * older record after the write's, even when the write's copy was dropped meanwhile.
 *
 * <p>Floors are remembered for {@link #FLOOR_MEMORY} (longer than any store call takes) and for at most
 * {@link #FLOORS_REMEMBERED} keys; when that memory is nearly full every new floor also bumps the
 * generation, so forgetting an old floor can never let an older copy in (installs in flight are refused
 * instead). Thread-safe.
 */
final class SessionCache {
    /** How long a floor (and so an ended key) is remembered: longer than any store call takes. */
    static final Duration FLOOR_MEMORY = Duration.ofMinutes(10);
    /** Most keys with a remembered floor. */
    static final int FLOORS_REMEMBERED = 100_000;
    /** What a cached session weighs besides its attributes (record, key, strings, cache entry). */
    static final int ENTRY_OVERHEAD_BYTES = 512;
    /** The floor of a key that ended: no copy may be installed. */
    private static final long ENDED = Long.MAX_VALUE;
    private static final Logger LOG = LoggerFactory.getLogger(DefaultSessionManager.class);

    /** A cached copy and when the store last confirmed its content (engine clock, epoch ms). */
    private record Entry(SessionRecord record, long confirmedAtMillis) {
    }

    private final Cache<SessionKey, Entry> entries; // null when the cache is off
    private final Cache<SessionKey, Long> floors;
    private final AtomicLong generation = new AtomicLong();
    private final EngineCounters counters;
    private final SessionChangeBus.Connection connection; // null without a bus
    /** Without a bus and not single-node: how long a confirmed copy is served; else -1 (no bound). */
    private final long maxStalenessMillis;
    /** Whether the bus was live when last looked at: a change to live drops everything. */
    private volatile boolean sawLive;

    SessionCache(SessionConfig config, SessionChangeBus bus, EngineCounters counters) {
        this.counters = counters;
        // Time-based expiry only frees memory: whether a copy may be served is decided by the record's own
        // expiry (the lookup reads the store when a copy looks expired) and by get() here. expireAfterWrite,
        // not expireAfterAccess: with access expiry Caffeine records every read in a buffer and hands its
        // draining to an executor, which cost a cached HTTP request about 1 µs of CPU and a thread wake-up
        // (issue 16, docs/benchmarks.md). With write expiry and the cache below half its weight bound, reads
        // record nothing. An active session's copy is rewritten by each due touch (touchInterval <
        // idleTimeout), so it stays; an idle one goes idleTimeout after its last install or touch.
        // Maintenance (read buffer once the cache is large, evictions, expiry) runs on the calling thread:
        // a share of a microsecond per request instead of a hand-off to ForkJoinPool.commonPool().
        this.entries = config.cacheEnabled()
                ? Caffeine.newBuilder().maximumWeight(config.cacheMaximumBytes()).weigher(SessionCache::weigh)
                        .expireAfterWrite(config.idleTimeout()).executor(Runnable::run).<SessionKey, Entry>build()
                : null;
        this.floors = Caffeine.newBuilder().maximumSize(FLOORS_REMEMBERED).expireAfterWrite(FLOOR_MEMORY).build();
        this.maxStalenessMillis = bus != null || config.singleNode() ? -1 : config.maxCacheStaleness().toMillis();
        this.connection = bus == null ? null : bus.connect(new SessionChangeBus.Listener() {
            @Override
            public void onChange(SessionChangeBus.Change change) {
                onRemoteChange(change);
            }

            @Override
            public void onReset(String why) {
                SessionChangeBus.Connection c = connection; // null while connect() has not returned
                synchronized (SessionCache.this) {
                    if (c != null && c.isLive()) {
                        sawLive = true; // this reset covers the bus coming back
                    }
                    SessionCache.this.onReset(why);
                }
            }
        });
        this.sawLive = connection != null && connection.isLive();
    }

    /**
     * What an entry weighs for {@link SessionConfig#cacheMaximumBytes()}: the fixed overhead plus twice the
     * encoded attributes (the JSON text, which the record keeps, and the values decoded from it).
     */
    private static int weigh(SessionKey key, Entry e) {
        return ENTRY_OVERHEAD_BYTES + 2 * e.record.attributes().encode().length();
    }

    /**
     * What the held copies weigh now, after pending evictions ran (for tests of the bound).
     *
     * @return the weight in bytes, 0 with the cache off
     */
    long weightedSize() {
        if (entries == null) {
            return 0;
        }
        entries.cleanUp();
        return entries.policy().eviction().orElseThrow().weightedSize().orElseThrow();
    }

    /**
     * The cached copy, if one may be served.
     *
     * @param key the session
     * @param now the engine's time
     * @return the copy, or {@code null} (then read the store)
     */
    SessionRecord get(SessionKey key, Instant now) {
        if (entries == null) {
            return null;
        }
        if (connection != null && !live()) {
            counters.cacheLookup(false);
            counters.cacheBypass();
            return null;
        }
        Entry e = entries.getIfPresent(key);
        if (e != null && maxStalenessMillis >= 0 && now.toEpochMilli() - e.confirmedAtMillis > maxStalenessMillis) {
            counters.cacheRevalidation();
            e = null;
        }
        counters.cacheLookup(e != null);
        return e == null ? null : e.record;
    }

    /**
     * Whether this engine holds a copy of the key, servable or not: the key belonged to a live
     * session a moment ago (for the brute-force limiter, which refuses only unknown tokens).
     *
     * @param key the session
     * @return {@code true} if a copy is held
     */
    boolean holds(SessionKey key) {
        return entries != null && entries.asMap().containsKey(key);
    }

    /**
     * The state for {@link SessionMetrics#cacheState()}.
     *
     * @return the state now
     */
    SessionMetrics.CacheState state() {
        if (entries == null) {
            return SessionMetrics.CacheState.OFF;
        }
        if (connection != null) {
            return live() ? SessionMetrics.CacheState.BUS_LIVE : SessionMetrics.CacheState.BUS_DOWN;
        }
        return maxStalenessMillis < 0 ? SessionMetrics.CacheState.SINGLE_NODE : SessionMetrics.CacheState.BOUNDED_STALENESS;
    }

    /**
     * The ticket to pass to the install that follows a store call: take it before the call.
     *
     * @return the current generation
     */
    long ticket() {
        return generation.get();
    }

    /**
     * A record was read from the store (and is live); installs it if nothing newer is known.
     *
     * @param r the record
     * @param ticket from {@link #ticket()} before the read
     * @param readAt the engine's time before the read
     */
    void loaded(SessionRecord r, long ticket, Instant readAt) {
        install(r, ticket, readAt);
    }

    /**
     * A session was created; no other engine can hold a copy, so nothing is announced.
     *
     * @param r the new record
     * @param ticket from {@link #ticket()} before the insert
     * @param now the engine's time before the insert
     */
    void created(SessionRecord r, long ticket, Instant now) {
        install(r, ticket, now);
    }

    /**
     * This engine's compare-and-set write was acknowledged: installs the new version and announces it.
     *
     * @param r the record written
     * @param ticket from {@link #ticket()} before the write
     * @param now the engine's time before the write
     */
    void written(SessionRecord r, long ticket, Instant now) {
        install(r, ticket, now);
        publish(r.key(), r.version());
    }

    /**
     * Activity was recorded (same version, later times): refreshes the cached copy of that version, if
     * there is one. The store's confirmation time stays (a touch proves the session exists, not that
     * the copy is current).
     *
     * @param r the touched record
     */
    void touched(SessionRecord r) {
        if (entries == null) {
            return;
        }
        entries.asMap().computeIfPresent(r.key(), (k, e) -> e.record.version() == r.version()
                && r.lastActivityAt().isAfter(e.record.lastActivityAt()) ? new Entry(r, e.confirmedAtMillis) : e);
    }

    /**
     * The session ended under this key (deleted, expired, or rotated away): drops any copy, refuses
     * every later install of the key, and announces the end.
     *
     * @param key the ended key
     */
    void ended(SessionKey key) {
        forbid(key);
        publish(key, SessionChangeBus.DELETED);
    }

    /**
     * A rotation moved the session from {@code oldKey} to {@code next.key()}.
     *
     * @param oldKey the retired key
     * @param next the record under its new key
     * @param ticket from {@link #ticket()} before the rekey
     * @param now the engine's time before the rekey
     */
    void rekeyed(SessionKey oldKey, SessionRecord next, long ticket, Instant now) {
        ended(oldKey);
        written(next, ticket, now);
    }

    /**
     * A compare-and-set expecting {@code versionSeen} found another version: the store holds a newer
     * one (or none). Drops a copy at or below that version and refuses any later install of one, but
     * keeps a newer copy (another writer's acknowledged write).
     *
     * @param key the session
     * @param versionSeen the version the failed write started from
     */
    void conflict(SessionKey key, long versionSeen) {
        raiseFloor(key, versionSeen + 1);
    }

    /**
     * The store has no live session under this key: drops a copy this engine holds. Keys it does not
     * hold are not remembered, so unknown tokens cost no memory.
     *
     * @param key the session
     */
    void absent(SessionKey key) {
        if (entries != null && entries.asMap().containsKey(key)) {
            forbid(key);
        }
    }

    /** Closes the bus connection (the cache is then bypassed) and empties the cache. */
    void close() {
        if (connection != null) {
            connection.close();
        }
        dropAll();
    }

    /** Whether the bus is live; on a change to live, drops what was cached before (it may have missed changes). */
    private boolean live() {
        boolean live = connection.isLive();
        if (live != sawLive) {
            synchronized (this) {
                if (live != sawLive) {
                    sawLive = live;
                    if (live) {
                        onReset("change bus is live again");
                    }
                }
            }
        }
        return live;
    }

    private void onReset(String why) {
        counters.busReset();
        if (entries != null) {
            LOG.info("dropping the session cache: {}", why);
            dropAll();
        }
    }

    private void dropAll() {
        if (entries != null) {
            generation.incrementAndGet(); // before the removal: an install in flight then sees it
            entries.invalidateAll();
        }
    }

    private void install(SessionRecord r, long ticket, Instant confirmedAt) {
        if (entries == null || generation.get() != ticket || (connection != null && !live())) {
            return;
        }
        long confirmedAtMillis = confirmedAt.toEpochMilli();
        boolean[] installed = {false};
        entries.asMap().compute(r.key(), (k, old) -> {
            Long floor = floors.getIfPresent(k);
            if (floor != null && floor == ENDED) {
                return null;
            }
            if ((floor != null && r.version() < floor) || generation.get() != ticket) {
                return old;
            }
            if (old != null && r.version() < old.record.version()) {
                return old;
            }
            installed[0] = true;
            if (old == null || r.version() > old.record.version()) {
                return new Entry(r, confirmedAtMillis);
            }
            // same version: keep the later activity, and the later confirmation of that version
            SessionRecord later = r.lastActivityAt().isBefore(old.record.lastActivityAt()) ? old.record : r;
            return new Entry(later, Math.max(old.confirmedAtMillis, confirmedAtMillis));
        });
        if (installed[0] && generation.get() != ticket) {
            entries.invalidate(r.key()); // a reset raced with this install: the reset wins
        }
    }

    /** Refuses every later copy of the key and drops the current one. */
    private void forbid(SessionKey key) {
        raiseFloor(key, ENDED);
    }

    /**
     * Raises the lowest version a copy of {@code key} may have, then drops a cached copy below it.
     * The floor goes in first: an install racing with this either sees it, or installed before the
     * removal below, which then drops it.
     */
    private void raiseFloor(SessionKey key, long floor) {
        if (entries == null) {
            return;
        }
        if (floors.estimatedSize() >= FLOORS_REMEMBERED * 9L / 10) {
            generation.incrementAndGet(); // an older floor may be evicted next: refuse installs in flight
        }
        floors.asMap().merge(key, floor, Math::max);
        entries.asMap().computeIfPresent(key, (k, e) -> e.record.version() < floor ? null : e);
    }

    private void publish(SessionKey key, long version) {
        if (connection == null) {
            return;
        }
        try {
            connection.publish(new SessionChangeBus.Change(key, version));
        } catch (RuntimeException e) {
            LOG.warn("could not publish change of session {}…: {}", key.prefix(), e.toString());
        }
    }

    private void onRemoteChange(SessionChangeBus.Change change) {
        raiseFloor(change.key(), change.version() == SessionChangeBus.DELETED ? ENDED : change.version());
    }
}
