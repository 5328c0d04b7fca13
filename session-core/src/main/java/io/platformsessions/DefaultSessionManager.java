package io.platformsessions;

import com.fasterxml.jackson.jr.ob.JSON;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.platformsessions.SessionEvent.SuspicionKind;
import io.platformsessions.spi.ClientBinding;
import io.platformsessions.spi.PlatformDirectory;
import io.platformsessions.spi.SessionAttributes;
import io.platformsessions.spi.SessionChangeBus;
import io.platformsessions.spi.SessionListener;
import io.platformsessions.spi.SessionOwner;
import io.platformsessions.spi.SessionRecord;
import io.platformsessions.spi.SessionStore;
import io.platformsessions.spi.SessionTimes;
import io.platformsessions.spi.StoredAttribute;
import io.platformsessions.spi.UserDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default engine. Thread-safe: all state is in the store, in a Caffeine cache of immutable
 * records, and in concurrent counters. Every write is compare-and-set on the record version.
 */
final class DefaultSessionManager implements SessionManager {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultSessionManager.class);
    private static final int MAX_CAS_ATTEMPTS = 64;
    private static final int MAX_INVALIDATION_PASSES = 5;
    private static final long TOUCH_PAUSE_AFTER_FAILURE_MILLIS = 5_000;
    /** Longer than any read or write can take to finish, however slow the store. */
    private static final Duration ENDED_KEY_MEMORY = Duration.ofMinutes(10);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final JSON JSON_CODEC = JSON.std;

    private final SessionConfig config;
    private final SessionStore store;
    private final PlatformDirectory platforms;
    private final UserDirectory users;
    private final List<SessionListener> listeners;
    private final SessionChangeBus bus;
    private final SessionChangeBus.Subscription subscription;
    private final String origin;
    private final Cache<SessionKey, SessionRecord> cache;
    /** Keys this engine saw end (or retire on rotation), so an in-flight read cannot re-cache them. */
    private final Cache<SessionKey, Boolean> ended;
    /** After a failed touch, touches pause until then, so an outage does not slow every cached request. */
    private volatile long touchesPausedUntilMillis = Long.MIN_VALUE;
    private final AttributeCipher cipher;
    private final RateLimiter<String> unknownTokens;
    private final RateLimiter<String> platformSwitchRate;
    private final Cache<SessionKey, ClientBinding> reportedClientChanges;
    private final Cache<ClientInfo, ClientBinding> bindings;

    private final long touchIntervalMillis;
    private final LongAdder created = new LongAdder();
    private final LongAdder expired = new LongAdder();
    private final LongAdder switches = new LongAdder();
    private final LongAdder cacheHits = new LongAdder();
    private final LongAdder cacheLookups = new LongAdder();
    private final LongAdder storeErrors = new LongAdder();
    private final LongAdder endedCount = new LongAdder();
    private final LongAdder endedMillis = new LongAdder();
    private final Map<InvalidationReason, LongAdder> invalidated = new EnumMap<>(InvalidationReason.class);

    DefaultSessionManager(SessionConfig config, SessionStore store, PlatformDirectory platforms, UserDirectory users,
                          List<SessionListener> listeners, SessionChangeBus bus) {
        this.config = config;
        this.store = store;
        this.platforms = platforms;
        this.users = users;
        this.listeners = listeners;
        this.bus = bus;
        this.origin = B64.encodeToString(randomBytes(config, 12));
        this.cache = config.cacheEnabled()
                ? Caffeine.newBuilder().maximumSize(config.cacheMaximumSize()).expireAfterAccess(config.idleTimeout()).build()
                : null;
        this.touchIntervalMillis = config.touchInterval().toMillis();
        this.ended = Caffeine.newBuilder().maximumSize(Math.max(10_000, Math.min(config.cacheMaximumSize(), 1_000_000)))
                .expireAfterWrite(ENDED_KEY_MEMORY).build();
        this.cipher = new AttributeCipher(config.attributeKeys(), config.secureRandom());
        this.unknownTokens = new RateLimiter<>(config.maxUnknownTokensPerMinute(), config.unknownTokenCooldown(), 100_000);
        this.platformSwitchRate = new RateLimiter<>(config.maxPlatformSwitchesPerMinute(), Duration.ZERO, 100_000);
        this.reportedClientChanges = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofHours(1)).build();
        // Parsing User-Agent and addresses on every request would dominate a cached resolve.
        this.bindings = Caffeine.newBuilder().maximumSize(10_000).build();
        for (InvalidationReason r : InvalidationReason.values()) {
            invalidated.put(r, new LongAdder());
        }
        this.subscription = bus == null ? null : bus.subscribe(this::onRemoteChange);
    }

    private static byte[] randomBytes(SessionConfig config, int n) {
        byte[] b = new byte[n];
        config.secureRandom().nextBytes(b);
        return b;
    }

    // ---------------------------------------------------------------- create

    @Override
    public CreatedSession create(String userId, ClientInfo client) {
        UserAccount user = requireUser(userId);
        PlatformConnection platform = platforms.findDefault(user.id()).orElse(null);
        return createSession(user, platform, client);
    }

    @Override
    public CreatedSession create(String userId, long platformId, ClientInfo client) {
        UserAccount user = requireUser(userId);
        PlatformConnection platform = requireOwnedActivePlatform(user.id(), platformId);
        return createSession(user, platform, client);
    }

    private CreatedSession createSession(UserAccount user, PlatformConnection platform, ClientInfo client) {
        ClientInfo c = client == null ? ClientInfo.unknown() : client;
        Instant now = now();
        SessionToken token = SessionToken.generate(config.secureRandom());
        SessionRecord record = SessionRecord.builder()
                .key(token.key())
                .sessionId(B64.encodeToString(randomBytes(config, 16)))
                .owner(new SessionOwner(user.id(), user.username()))
                .platform(platform == null ? null : ActivePlatform.of(platform))
                .times(SessionTimes.startingAt(now, config.idleTimeout(), config.absoluteTimeout()))
                .csrfSecret(CsrfSecrets.newSecret(config.secureRandom()))
                .client(binding(c))
                .build();
        // Insert first, then settle the per-user limit from the store's count, which is exact
        // (SessionStore.insertAndCountLive): a later login's session is never counted against this one.
        int live = write(() -> store.insertAndCountLive(record, now));
        if (live > config.maxSessionsPerUser()) {
            settleLimit(user.id(), record, live - config.maxSessionsPerUser(), now);
        }
        cachePut(record);
        created.increment();
        emit(new SessionEvent.Created(now, record.key(), record.sessionId(), record.userId(), record.platform(),
                c.ipAddress()));
        return new CreatedSession(token, context(record));
    }

    /**
     * Our insert made the user {@code excess} over the limit: undo our own session (REFUSE) or end the least
     * recently used others (EVICT); sessions other logins ended since our count no longer need ending.
     */
    private void settleLimit(String userId, SessionRecord mine, int excess, Instant now) {
        if (config.limitPolicy() == SessionConfig.LimitPolicy.REFUSE) {
            write(() -> store.delete(mine.key(), InvalidationReason.SESSION_LIMIT, now));
            forget(mine.key());
            throw new SessionLimitException(config.maxSessionsPerUser());
        }
        List<SessionRecord> live = liveSessions(userId, now);
        int evict = Math.min(excess, live.size() - config.maxSessionsPerUser());
        live.removeIf(r -> r.key().equals(mine.key()));
        live.sort(Comparator.comparing(SessionRecord::lastActivityAt));
        for (int i = 0; i < evict && i < live.size(); i++) {
            end(live.get(i), InvalidationReason.SESSION_LIMIT, now);
        }
    }

    private List<SessionRecord> liveSessions(String userId, Instant now) {
        List<SessionRecord> live = new ArrayList<>();
        for (SessionRecord r : read(() -> store.findByUser(userId))) {
            if (!r.expiredAt(now)) {
                live.add(r);
            }
        }
        return live;
    }

    // ---------------------------------------------------------------- resolve

    @Override
    public Optional<PlatformContext> resolve(String presentedToken, ClientInfo client) {
        if (!SessionToken.isWellFormed(presentedToken)) {
            SessionToken.parse(presentedToken); // throws the specific InvalidTokenException
        }
        return lookup(presentedToken, client).asOptional();
    }

    @Override
    public SessionLookup lookup(String presentedToken, ClientInfo client) {
        return lookup(presentedToken, client, true);
    }

    /** The read primitive; {@code touch} false for {@link #validate}, which records no activity. */
    private SessionLookup lookup(String presentedToken, ClientInfo client, boolean touch) {
        if (presentedToken == null || presentedToken.isEmpty()) {
            return SessionLookup.of(SessionLookup.Status.ABSENT);
        }
        if (!SessionToken.isWellFormed(presentedToken)) {
            return SessionLookup.of(SessionLookup.Status.MALFORMED);
        }
        ClientInfo c = client == null ? ClientInfo.unknown() : client;
        Instant now = now();
        String ip = c.ipAddress();
        if (ip != null && unknownTokens.isAnyBlocked(now)) {
            String guesser = ClientFingerprints.rateLimitSubject(ip);
            if (guesser != null && unknownTokens.isBlocked(guesser, now)) {
                return SessionLookup.of(SessionLookup.Status.THROTTLED);
            }
        }
        SessionKey key = SessionToken.parse(presentedToken).key();
        SessionRecord record = cacheGet(key);
        boolean fromCache = record != null;
        if (record == null) {
            record = read(() -> store.find(key)).orElse(null);
            if (record == null) {
                String guesser = ClientFingerprints.rateLimitSubject(ip);
                if (guesser != null && unknownTokens.record(guesser, now)) {
                    emit(new SessionEvent.Suspicious(now, null, null, null, SuspicionKind.TOKEN_GUESSING,
                            "more than " + config.maxUnknownTokensPerMinute() + " unknown session tokens a minute; "
                                    + "refusing lookups for " + config.unknownTokenCooldown(), ip));
                }
                return SessionLookup.of(SessionLookup.Status.NOT_FOUND);
            }
        }
        if (record.expiredAt(now) && fromCache) {
            // another node may have recorded activity the cached copy has not seen
            SessionRecord stored = read(() -> store.find(key)).orElse(null);
            if (stored == null) {
                forget(key);
                return SessionLookup.of(SessionLookup.Status.NOT_FOUND);
            }
            record = stored;
            fromCache = false; // so the fresh copy is cached below
        }
        if (record.expiredAt(now)) {
            expire(record, now);
            return SessionLookup.of(SessionLookup.Status.EXPIRED);
        }
        if (config.clientChangePolicy() != SessionConfig.ClientChangePolicy.OFF
                && !record.client().isUnknown()
                && !checkClient(record, binding(c), now, ip)) {
            return SessionLookup.of(SessionLookup.Status.INVALIDATED);
        }
        if (touch) {
            record = touchIfDue(record, now, fromCache);
            if (record == null) {
                return SessionLookup.of(SessionLookup.Status.NOT_FOUND);
            }
        } else if (!fromCache) {
            cachePut(record);
        }
        return SessionLookup.active(context(record));
    }

    /**
     * The client's binding, cached for ordinary clients. Clients with a header over
     * {@link Limits#MAX_CLIENT_HEADER_LENGTH} are bound without caching, so that a flood of 8 KB
     * User-Agents cannot pin megabytes in the cache.
     */
    private ClientBinding binding(ClientInfo c) {
        if (tooLong(c.ipAddress()) || tooLong(c.userAgent()) || tooLong(c.acceptLanguage())) {
            return ClientFingerprints.bind(c);
        }
        return bindings.get(c, ClientFingerprints::bind);
    }

    private static boolean tooLong(String header) {
        return header != null && header.length() > Limits.MAX_CLIENT_HEADER_LENGTH;
    }

    /** Returns false if the STRICT policy ended the session. */
    private boolean checkClient(SessionRecord record, ClientBinding current, Instant now, String ip) {
        String difference = ClientFingerprints.difference(record.client(), current);
        if (difference == null) {
            return true;
        }
        if (config.clientChangePolicy() == SessionConfig.ClientChangePolicy.STRICT) {
            emit(new SessionEvent.Suspicious(now, record.key(), record.sessionId(), record.userId(),
                    SuspicionKind.CLIENT_CHANGE, difference, ip));
            end(record, InvalidationReason.SUSPICIOUS_CLIENT_CHANGE, now);
            return false;
        }
        // LOG: report each distinct new client once per session, not on every request
        if (!current.equals(reportedClientChanges.getIfPresent(record.key()))) {
            reportedClientChanges.put(record.key(), current);
            emit(new SessionEvent.Suspicious(now, record.key(), record.sessionId(), record.userId(),
                    SuspicionKind.CLIENT_CHANGE, difference, ip));
        }
        return true;
    }

    /**
     * Records activity when the touch interval has passed. Returns the record to use, or {@code null} if the
     * store no longer has the session.
     */
    private SessionRecord touchIfDue(SessionRecord record, Instant now, boolean fromCache) {
        long nowMillis = now.toEpochMilli();
        if (nowMillis - record.lastActivityAt().toEpochMilli() < touchIntervalMillis
                || nowMillis < touchesPausedUntilMillis) {
            if (!fromCache) {
                cachePut(record);
            }
            return record;
        }
        Instant idleExpiry = now.plus(config.idleTimeout());
        SessionRecord touched = record.withTimes(record.times().touchedAt(now, config.idleTimeout()));
        boolean moved;
        try {
            moved = store.touch(record.key(), now, idleExpiry);
        } catch (RuntimeException e) {
            // A failed touch only delays the idle deadline's update; the session itself is fine. Pause
            // touches for a few seconds so a down database does not cost every cached request a timeout.
            storeErrors.increment();
            touchesPausedUntilMillis = nowMillis + TOUCH_PAUSE_AFTER_FAILURE_MILLIS;
            LOG.warn("could not record activity of session {}…; pausing activity writes for {} ms: {}",
                    record.key().prefix(), TOUCH_PAUSE_AFTER_FAILURE_MILLIS, e.toString());
            if (!fromCache) {
                cachePut(record);
            }
            return record;
        }
        if (!moved) {
            return afterTouchThatMovedNothing(record, now);
        }
        cachePut(touched);
        return touched;
    }

    /**
     * The store changed nothing: either another node recorded later activity, or the session is gone from
     * the store behind this node's cache (deleted directly in the database, or lost in a database crash
     * after an asynchronous create commit). One read tells which, so such a session stops working within
     * one touch interval and cannot outlive "log out everywhere" in a cache.
     */
    private SessionRecord afterTouchThatMovedNothing(SessionRecord record, Instant now) {
        SessionRecord stored;
        try {
            stored = read(() -> store.find(record.key())).orElse(null);
        } catch (RuntimeException e) {
            storeErrors.increment();
            return record; // as after a failed touch: the next due touch asks again
        }
        if (stored == null || stored.expiredAt(now)) {
            LOG.debug("session {}… is no longer in the store; dropping the cached copy", record.key().prefix());
            forget(record.key());
            return null;
        }
        cachePut(stored);
        return stored;
    }

    @Override
    public Optional<PlatformContext> peek(SessionKey key) {
        requireKey(key);
        SessionRecord r = loadLive(key, now());
        return r == null ? Optional.empty() : Optional.of(context(r));
    }

    @Override
    public boolean validate(String presentedToken, String userId, ClientInfo client) {
        if (userId == null) {
            return false;
        }
        SessionLookup found = lookup(presentedToken, client, false);
        return found.status() == SessionLookup.Status.ACTIVE
                && MessageDigest.isEqual(found.context().userId().getBytes(StandardCharsets.UTF_8),
                userId.getBytes(StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------- updates

    @Override
    public PlatformContext switchPlatform(SessionKey key, long platformId) {
        requireKey(key);
        SessionRecord current = loadLive(key, now());
        if (current == null) {
            throw new SessionNotFoundException(key.prefix());
        }
        PlatformConnection target = requireOwnedActivePlatform(current.userId(), platformId);
        ActivePlatform to = ActivePlatform.of(target);
        ActivePlatform[] from = new ActivePlatform[1];
        Instant now = now();
        SessionRecord next = mutate(key, current, r -> { // no second read: with the cache off it would be a round trip
            from[0] = r.platform();
            return activity(r.withPlatform(to), now);
        });
        switches.increment();
        emit(new SessionEvent.PlatformSwitched(now, next.key(), next.sessionId(), next.userId(), from[0], to));
        if (platformSwitchRate.record(next.sessionId(), now)) {
            emit(new SessionEvent.Suspicious(now, next.key(), next.sessionId(), next.userId(),
                    SuspicionKind.RAPID_PLATFORM_SWITCHING,
                    "more than " + config.maxPlatformSwitchesPerMinute() + " platform switches a minute", null));
        }
        return context(next);
    }

    @Override
    public CreatedSession rotate(SessionKey key) {
        requireKey(key);
        for (int attempt = 1; attempt <= MAX_CAS_ATTEMPTS; attempt++) {
            Instant now = now();
            SessionRecord current = attempt == 1 ? loadLive(key, now) : loadLiveFromStore(key, now);
            if (current == null) {
                throw new SessionNotFoundException(key.prefix());
            }
            SessionToken token = SessionToken.generate(config.secureRandom());
            SessionRecord next = activity(current, now).toBuilder().key(token.key())
                    .csrfSecret(CsrfSecrets.newSecret(config.secureRandom())).elevation(null)
                    .version(current.version() + 1).build();
            boolean moved = write(() -> store.rekey(key, next, current.version()));
            if (moved) {
                forget(key);
                publish(key, SessionChangeBus.DELETED);
                cachePut(next);
                publish(next.key(), next.version());
                emit(new SessionEvent.Rotated(now, next.key(), next.sessionId(), next.userId(), key));
                return new CreatedSession(token, context(next));
            }
            cacheInvalidate(key);
            backOffAfterConflict(attempt);
        }
        throw new ConcurrentSessionUpdateException("session " + key.prefix() + "… kept changing; rotation gave up after "
                + MAX_CAS_ATTEMPTS + " attempts");
    }

    @Override
    public PlatformContext extend(SessionKey key, Duration by) {
        requireKey(key);
        if (by == null || by.isZero() || by.isNegative()) {
            throw new IllegalArgumentException("extend needs a positive duration, was " + by);
        }
        Instant now = now();
        SessionRecord next = mutate(key, r -> r.withTimes(r.times().extendedBy(now, by, config.maxLifetime(),
                config.idleTimeout())));
        emit(new SessionEvent.Extended(now, next.key(), next.sessionId(), next.userId(), next.absoluteExpiresAt()));
        return context(next);
    }

    @Override
    public PlatformContext elevate(SessionKey key, AccessLevel level, Duration duration) {
        requireKey(key);
        if (level == null) {
            throw new IllegalArgumentException("elevate needs an access level");
        }
        if (duration == null || duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("elevate needs a positive duration, was " + duration);
        }
        Instant now = now();
        Duration granted = duration.compareTo(config.maxElevation()) > 0 ? config.maxElevation() : duration;
        Elevation elevation = new Elevation(level, now.plus(granted));
        SessionRecord next = mutate(key, r -> activity(r, now).withElevation(elevation));
        emit(new SessionEvent.Elevated(now, next.key(), next.sessionId(), next.userId(), elevation));
        return context(next);
    }

    @Override
    public boolean isElevated(PlatformContext context, AccessLevel level) {
        if (context == null) {
            return false;
        }
        Elevation e = context.record().elevation();
        return e != null && level != null && e.grants(level, now());
    }

    @Override
    public void requireElevated(PlatformContext context, AccessLevel level) {
        if (context == null || level == null) {
            throw new IllegalArgumentException("requireElevated needs a session context and an access level");
        }
        if (!isElevated(context, level)) {
            throw new ElevationRequiredException("this operation needs the session elevated to " + level
                    + "; re-authenticate first");
        }
    }

    // ---------------------------------------------------------------- attributes

    @Override
    public <T> Optional<T> getAttribute(PlatformContext context, String name, Class<T> type) {
        if (context == null || name == null || type == null) {
            throw new IllegalArgumentException("context, attribute name and type are required");
        }
        SessionRecord r = context.record();
        StoredAttribute a = r.attributes().get(name);
        if (a == null || a.expiredAt(now())) {
            return Optional.empty();
        }
        if (!a.sealed() && config.isSecretAttribute(name)) {
            throw new SealedAttributeException("attribute '" + name + "' is declared secret but holds an unsealed value");
        }
        String json = a.sealed() ? cipher.open(a.value(), a.keyId(), r.sessionId(), name) : a.value();
        try {
            Object value = readJson(json, type);
            if (value == null && !"null".equals(json)) {
                throw new IllegalArgumentException("stored value does not fit the type");
            }
            if (value != null && !type.isInstance(value)) {
                throw new IllegalArgumentException("stored value is a " + value.getClass().getSimpleName());
            }
            return Optional.ofNullable(type.cast(value));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("attribute '" + name + "' cannot be read as " + type.getSimpleName(), e);
        }
    }

    /** Decodes strictly: jackson-jr alone would read an object as 0 when asked for an Integer. */
    private static Object readJson(String json, Class<?> type) throws IOException {
        if (type == Map.class) {
            return JSON_CODEC.mapFrom(json);
        }
        if (type == List.class) {
            return JSON_CODEC.listFrom(json);
        }
        if (type == String.class || type == Boolean.class || Number.class.isAssignableFrom(type) || type == Object.class) {
            Object any = JSON_CODEC.anyFrom(json);
            if (any == null || type.isInstance(any)) {
                return any;
            }
            if (any instanceof Number n) {
                if (type == Integer.class && n.longValue() == n.intValue() && !(n instanceof Double)) {
                    return n.intValue();
                }
                if (type == Long.class && !(n instanceof Double)) {
                    return n.longValue();
                }
                if (type == Double.class) {
                    return n.doubleValue();
                }
            }
            throw new IllegalArgumentException("stored value is a " + any.getClass().getSimpleName());
        }
        return JSON_CODEC.beanFrom(type, json);
    }

    @Override
    public PlatformContext setAttribute(SessionKey key, String name, Object value) {
        return setAttribute(key, name, value, AttributeOptions.plain());
    }

    @Override
    public PlatformContext setAttribute(SessionKey key, String name, Object value, AttributeOptions options) {
        requireKey(key);
        requireAttributeName(name);
        if (value == null) {
            return removeAttribute(key, name);
        }
        AttributeOptions opts = options == null ? AttributeOptions.plain() : options;
        String json;
        try {
            json = JSON_CODEC.asString(value);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("attribute '" + name + "' cannot be written as JSON: "
                    + value.getClass().getName(), e);
        }
        boolean secret = opts.secret() || config.isSecretAttribute(name);
        if (secret && !cipher.canSeal()) {
            throw new IllegalStateException("attribute '" + name + "' is secret but no encryption key is configured: "
                    + "use SessionConfig.builder().encryptionKey(id, 32 bytes)");
        }
        Instant now = now();
        Instant expiresAt = opts.ttl() == null ? null : now.plus(opts.ttl());
        SessionRecord next = mutate(key, r -> {
            StoredAttribute stored = secret
                    ? new StoredAttribute(cipher.seal(json, r.sessionId(), name), expiresAt, cipher.activeKeyId())
                    : new StoredAttribute(json, expiresAt, null);
            SessionAttributes attributes = r.attributes().withoutExpired(now).with(name, stored);
            int size = attributes.encode().getBytes(StandardCharsets.UTF_8).length;
            if (size > config.maxAttributesBytes()) {
                throw new IllegalArgumentException("session attributes would be " + size + " bytes, over the limit of "
                        + config.maxAttributesBytes() + " (SessionConfig.maxAttributesBytes)");
            }
            return activity(r.withAttributes(attributes), now);
        });
        return context(next);
    }

    @Override
    public PlatformContext removeAttribute(SessionKey key, String name) {
        requireKey(key);
        requireAttributeName(name);
        Instant now = now();
        return context(mutate(key, r -> activity(r.withAttributes(r.attributes().withoutExpired(now)
                .without(name)), now)));
    }

    // ---------------------------------------------------------------- CSRF

    @Override
    public String csrfToken(PlatformContext context) {
        if (context == null) {
            throw new IllegalArgumentException("csrfToken needs a session context");
        }
        return CsrfSecrets.mask(context.record().csrfSecret(), config.secureRandom());
    }

    @Override
    public boolean verifyCsrfToken(PlatformContext context, String presented) {
        return context != null && CsrfSecrets.verify(context.record().csrfSecret(), presented);
    }

    @Override
    public void requireCsrfToken(PlatformContext context, String presented) {
        if (context == null) {
            throw new IllegalArgumentException("requireCsrfToken needs a session context");
        }
        if (!verifyCsrfToken(context, presented)) {
            throw new CsrfException("missing or invalid CSRF token");
        }
    }

    // ---------------------------------------------------------------- ending sessions

    @Override
    public boolean invalidate(SessionKey key, InvalidationReason reason) {
        requireKey(key);
        if (reason == null) {
            throw new IllegalArgumentException("invalidate needs a reason");
        }
        Instant now = now();
        SessionRecord r = cacheGet(key);
        if (r == null) {
            r = read(() -> store.find(key)).orElse(null);
        }
        if (r == null) {
            forget(key);
            return false;
        }
        return end(r, reason, now);
    }

    @Override
    public int invalidateAll(String userId, InvalidationReason reason) {
        requireUserId(userId);
        if (reason == null) {
            throw new IllegalArgumentException("invalidateAll needs a reason");
        }
        return endSessionsOf(userId, null, reason, now());
    }

    @Override
    public int invalidateOthers(SessionKey current) {
        requireKey(current);
        Instant now = now();
        SessionRecord keep = loadLive(current, now);
        if (keep == null) {
            throw new SessionNotFoundException(current.prefix());
        }
        return endSessionsOf(keep.userId(), current, InvalidationReason.LOGOUT_OTHERS, now);
    }

    /**
     * Ends every session of a user but {@code keep}, reading the user's sessions again until none is
     * left: a session rotated (re-keyed) or created while the first pass ran would otherwise survive
     * "log out everywhere". Bounded passes.
     */
    private int endSessionsOf(String userId, SessionKey keep, InvalidationReason reason, Instant now) {
        int n = 0;
        for (int pass = 0; pass < MAX_INVALIDATION_PASSES; pass++) {
            boolean sawOthers = false;
            for (SessionRecord r : read(() -> store.findByUser(userId))) {
                if (keep != null && r.key().equals(keep)) {
                    continue;
                }
                sawOthers = true;
                if (end(r, reason, now)) {
                    n++;
                }
            }
            if (!sawOthers) {
                return n;
            }
        }
        LOG.warn("sessions of a user kept appearing while ending them ({} passes); ended {}", MAX_INVALIDATION_PASSES, n);
        return n;
    }

    @Override
    public List<SessionSummary> activeSessions(String userId) {
        requireUserId(userId);
        Instant now = now();
        List<SessionSummary> out = new ArrayList<>();
        for (SessionRecord r : read(() -> store.findByUser(userId))) {
            if (!r.expiredAt(now)) {
                out.add(new SessionSummary(r.key(), r.sessionId(), r.platform(), r.createdAt(), r.lastActivityAt(),
                        r.expiresAt(), r.client().deviceLabel(), r.client().ipNetwork()));
            }
        }
        out.sort(Comparator.comparing(SessionSummary::lastActivityAt).reversed());
        return out;
    }

    @Override
    public int cleanupExpired() {
        Instant now = now();
        int total = 0;
        while (true) {
            int n = write(() -> store.deleteExpired(now, config.cleanupBatchSize()));
            total += n;
            if (n < config.cleanupBatchSize()) {
                break;
            }
        }
        expired.add(total);
        if (total > 0) {
            LOG.debug("cleanup removed {} expired sessions", total);
        }
        return total;
    }

    /** Deletes a session and reports it; returns whether the store had it. */
    private boolean end(SessionRecord r, InvalidationReason reason, Instant now) {
        boolean deleted = write(() -> store.delete(r.key(), reason, now));
        forget(r.key());
        publish(r.key(), SessionChangeBus.DELETED);
        if (deleted) {
            invalidated.get(reason).increment();
            recordDuration(r, now);
            emit(new SessionEvent.Invalidated(now, r.key(), r.sessionId(), r.userId(), reason));
        }
        return deleted;
    }

    private void expire(SessionRecord r, Instant now) {
        InvalidationReason reason = r.times().expiryReason(now);
        forget(r.key());
        try {
            store.delete(r.key(), reason, now);
        } catch (RuntimeException e) {
            // cleanup will remove it; the session is expired either way
            storeErrors.increment();
            LOG.warn("could not delete expired session {}…: {}", r.key().prefix(), e.toString());
        }
        publish(r.key(), SessionChangeBus.DELETED);
        expired.increment();
        recordDuration(r, now);
        emit(new SessionEvent.Expired(now, r.key(), r.sessionId(), r.userId(), reason));
    }

    private void recordDuration(SessionRecord r, Instant now) {
        endedCount.increment();
        endedMillis.add(Math.max(0, Duration.between(r.createdAt(), now).toMillis()));
    }

    // ---------------------------------------------------------------- metrics

    @Override
    public SessionMetrics metrics() {
        Map<String, Long> byType = read(() -> store.countActiveByPlatformType(now()));
        long active = byType.values().stream().mapToLong(Long::longValue).sum();
        Map<InvalidationReason, Long> byReason = new EnumMap<>(InvalidationReason.class);
        invalidated.forEach((k, v) -> byReason.put(k, v.sum()));
        long lookups = cacheLookups.sum();
        long ended = endedCount.sum();
        return new SessionMetrics(active, byType, created.sum(), expired.sum(), byReason, switches.sum(),
                lookups == 0 ? 0.0 : (double) cacheHits.sum() / lookups, storeErrors.sum(),
                ended == 0 ? Duration.ZERO : Duration.ofMillis(endedMillis.sum() / ended));
    }

    @Override
    public SessionConfig config() {
        return config;
    }

    @Override
    public void close() {
        if (subscription != null) {
            subscription.close();
        }
        if (cache != null) {
            cache.invalidateAll();
        }
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Applies {@code change} to the live session with compare-and-set, re-reading from the store
     * and re-applying when another writer won. Store failures are not retried: a write is only
     * repeated when the version check proved the previous attempt wrote nothing.
     */
    private SessionRecord mutate(SessionKey key, UnaryOperator<SessionRecord> change) {
        return mutate(key, null, change);
    }

    /** As {@link #mutate(SessionKey, UnaryOperator)}, starting from a copy the caller has just read. */
    private SessionRecord mutate(SessionKey key, SessionRecord justRead, UnaryOperator<SessionRecord> change) {
        for (int attempt = 1; attempt <= MAX_CAS_ATTEMPTS; attempt++) {
            Instant now = now();
            SessionRecord current = attempt > 1 ? loadLiveFromStore(key, now)
                    : justRead != null && !justRead.expiredAt(now) ? justRead : loadLive(key, now);
            if (current == null) {
                throw new SessionNotFoundException(key.prefix());
            }
            SessionRecord next = change.apply(current).withVersion(current.version() + 1);
            if (write(() -> store.update(next, current.version()))) {
                cachePut(next);
                publish(key, next.version());
                return next;
            }
            cacheInvalidate(key);
            backOffAfterConflict(attempt);
        }
        throw new ConcurrentSessionUpdateException("session " + key.prefix() + "… kept changing; update gave up after "
                + MAX_CAS_ATTEMPTS + " attempts");
    }

    /**
     * Records activity in a write, throttled like touches: within the touch interval the times stay
     * as they are, so the write leaves the indexed expiry column alone (on PostgreSQL that keeps the
     * UPDATE a heap-only tuple update).
     */
    private SessionRecord activity(SessionRecord r, Instant now) {
        if (now.toEpochMilli() - r.lastActivityAt().toEpochMilli() < touchIntervalMillis) {
            return r;
        }
        return r.withTimes(r.times().touchedAt(now, config.idleTimeout()));
    }

    private SessionRecord loadLive(SessionKey key, Instant now) {
        SessionRecord r = cacheGet(key);
        if (r != null && !r.expiredAt(now)) {
            return r;
        }
        return loadLiveFromStore(key, now);
    }

    private SessionRecord loadLiveFromStore(SessionKey key, Instant now) {
        SessionRecord r = read(() -> store.find(key)).orElse(null);
        if (r == null) {
            forget(key);
            return null;
        }
        if (r.expiredAt(now)) {
            expire(r, now);
            return null;
        }
        cachePut(r);
        return r;
    }

    private <T> T read(Supplier<T> op) {
        RetryPolicy policy = config.retryPolicy();
        for (int attempt = 1; ; attempt++) {
            try {
                return op.get();
            } catch (SessionStoreException e) {
                storeErrors.increment();
                if (!e.isTransient() || attempt >= policy.maxAttempts()) {
                    throw e;
                }
                LOG.debug("store read failed (attempt {} of {}), retrying: {}", attempt, policy.maxAttempts(), e.toString());
                pause(policy.backoffBefore(attempt + 1));
            } catch (IllegalArgumentException e) {
                throw e; // the store refused the input (a limit of its own): bad input, not an outage
            } catch (RuntimeException e) {
                storeErrors.increment();
                throw SessionStoreException.permanentFailure("session store failed: " + e, e);
            }
        }
    }

    private <T> T write(Supplier<T> op) {
        try {
            return op.get();
        } catch (SessionStoreException e) {
            storeErrors.increment();
            throw e;
        } catch (IllegalArgumentException e) {
            throw e; // the store refused the input (a limit of its own): bad input, not an outage
        } catch (RuntimeException e) {
            storeErrors.increment();
            throw SessionStoreException.permanentFailure("session store failed: " + e, e);
        }
    }

    /**
     * Spreads out writers that keep colliding on one session: without it, 8 threads hammering one
     * row can starve one of them past any fixed attempt limit.
     */
    private static void backOffAfterConflict(int attempt) {
        if (attempt < 3) {
            Thread.yield();
            return;
        }
        long maxMicros = 50L << Math.min(attempt - 3, 6); // 50 us doubling up to 3.2 ms
        LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(maxMicros) * 1000);
    }

    private static void pause(Duration d) {
        if (d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SessionStoreException.permanentFailure("interrupted while waiting to retry the session store", e);
        }
    }

    private SessionRecord cacheGet(SessionKey key) {
        if (cache == null) {
            return null;
        }
        cacheLookups.increment();
        SessionRecord r = cache.getIfPresent(key);
        if (r != null) {
            cacheHits.increment();
        }
        return r;
    }

    /**
     * Caches a copy unless the key has ended: atomically with respect to {@link #forget}, so a read
     * or write that finishes after a logout or rotation cannot bring the old key back. Never replaces
     * a newer version with an older one.
     */
    private void cachePut(SessionRecord r) {
        if (cache != null) {
            cache.asMap().compute(r.key(), (k, old) -> {
                if (ended.getIfPresent(k) != null) {
                    return null;
                }
                return old == null || r.version() >= old.version() ? r : old;
            });
        }
    }

    /** The key has ended (deleted, expired, rotated away): drop it and refuse to cache it again. */
    private void forget(SessionKey key) {
        if (cache != null) {
            ended.put(key, Boolean.TRUE); // before the removal: cachePut checks it under the same map lock
            cache.invalidate(key);
        }
    }

    private void cacheInvalidate(SessionKey key) {
        if (cache != null) {
            cache.invalidate(key);
        }
    }

    private void publish(SessionKey key, long version) {
        if (bus != null) {
            try {
                bus.publish(new SessionChangeBus.Change(origin, key, version));
            } catch (RuntimeException e) {
                LOG.warn("could not publish change of session {}…: {}", key.prefix(), e.toString());
            }
        }
    }

    private void onRemoteChange(SessionChangeBus.Change change) {
        if (cache == null || origin.equals(change.origin())) {
            return;
        }
        if (change.version() == SessionChangeBus.DELETED) {
            forget(change.key());
            return;
        }
        SessionRecord cached = cache.getIfPresent(change.key());
        if (cached != null && cached.version() < change.version()) {
            cache.invalidate(change.key());
        }
    }

    private void emit(SessionEvent event) {
        for (SessionListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("session listener {} failed on {}: {}", l.getClass().getName(), event.getClass().getSimpleName(),
                        e.toString());
            }
        }
    }

    private Instant now() {
        return config.clock().instant();
    }

    /** A snapshot for the application, carrying this engine's clock (for {@link PlatformContext#toClientView()}). */
    private PlatformContext context(SessionRecord record) {
        return new PlatformContext(record, config.clock());
    }

    private static void requireKey(SessionKey key) {
        if (key == null) {
            throw new IllegalArgumentException("session key is required");
        }
    }

    private static void requireAttributeName(String name) {
        if (name == null || name.isEmpty() || name.length() > Limits.MAX_ATTRIBUTE_NAME_LENGTH) {
            throw new IllegalArgumentException("attribute name must be 1 to " + Limits.MAX_ATTRIBUTE_NAME_LENGTH
                    + " characters");
        }
    }

    private static void requireUserId(String userId) {
        if (userId == null || userId.isBlank()) {
            throw new InvalidUserException("user id must not be null or blank");
        }
        if (userId.length() > Limits.MAX_USER_ID_LENGTH) {
            throw new InvalidUserException("user id is longer than " + Limits.MAX_USER_ID_LENGTH + " characters");
        }
    }

    private UserAccount requireUser(String userId) {
        requireUserId(userId);
        UserAccount user = users.find(userId)
                .orElseThrow(() -> new InvalidUserException("unknown user"));
        if (!user.active()) {
            throw new InvalidUserException("user is deactivated");
        }
        return user;
    }

    private PlatformConnection requireOwnedActivePlatform(String userId, long platformId) {
        PlatformConnection p = platformId > 0 ? platforms.find(platformId).orElse(null) : null;
        if (p == null || !p.userId().equals(userId)) {
            throw new InvalidPlatformException(InvalidPlatformException.Reason.NOT_FOUND,
                    "platform connection " + platformId + " not found");
        }
        if (!p.active()) {
            throw new InvalidPlatformException(InvalidPlatformException.Reason.INACTIVE,
                    "platform connection " + platformId + " is deactivated");
        }
        return p;
    }
}
