package io.platformsessions;

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
import io.platformsessions.spi.UserDirectory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The default engine: each operation checks its arguments and orchestrates collaborators that own the
 * rules. {@link StoreCalls}: retries and store failures. {@link SessionCache}: cache coherence and the
 * change bus. {@link SessionVersions}: reading the live version and compare-and-set writes.
 * {@link Activity}: when activity is written. {@link Termination}: how a session ends.
 * {@link SessionLimit}: the per-user limit. {@link ClientGuard}: client bindings and rate limits.
 * {@link AttributeCodec}: attribute values. {@link Accounts}: users and platform connections.
 * {@link PlatformWithdrawal}: moving sessions off a withdrawn platform connection.
 * {@link EngineCounters}: metrics. {@link SessionTimes}: expiry arithmetic. Thread-safe: state lives in
 * the store, in those collaborators, and in immutable records.
 */
final class DefaultSessionManager implements SessionManager {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final SessionConfig config;
    private final Accounts accounts;
    private final Listeners listeners;
    private final EngineCounters counters = new EngineCounters();
    private final StoreCalls store;
    private final SessionCache cache;
    private final Termination termination;
    private final SessionVersions versions;
    private final Activity activity;
    private final SessionLimit limit;
    private final AttributeCodec attributeCodec;
    private final ClientGuard guard;
    private final PlatformWithdrawal withdrawal;
    private final PlatformDirectory.Registration directoryRegistration;

    DefaultSessionManager(SessionConfig config, SessionStore store, PlatformDirectory platforms, UserDirectory users,
                          List<SessionListener> listeners, SessionChangeBus bus) {
        this.config = config;
        this.accounts = new Accounts(users, platforms);
        this.listeners = new Listeners(listeners);
        this.store = new StoreCalls(store, config.retryPolicy(), counters);
        this.cache = new SessionCache(config, bus, counters);
        this.termination = new Termination(this.store, cache, counters, this.listeners);
        this.versions = new SessionVersions(config.clock(), this.store, cache, termination);
        this.activity = new Activity(config, this.store, cache);
        this.limit = new SessionLimit(config, this.store, cache, termination);
        this.attributeCodec = new AttributeCodec(config);
        this.guard = new ClientGuard(config);
        this.withdrawal = new PlatformWithdrawal(config.clock(), accounts, this.store, versions, this.listeners,
                counters);
        this.directoryRegistration = accounts.onWithdrawal(this::platformWithdrawn);
    }

    // ---------------------------------------------------------------- create

    @Override
    public CreatedSession create(String userId, ClientInfo client) {
        UserAccount user = accounts.requireActiveUser(userId);
        return createSession(user, accounts.defaultPlatform(user.id()), client);
    }

    @Override
    public CreatedSession create(String userId, long platformId, ClientInfo client) {
        UserAccount user = accounts.requireActiveUser(userId);
        return createSession(user, accounts.requireOwnedActivePlatform(user.id(), platformId), client);
    }

    private CreatedSession createSession(UserAccount user, PlatformConnection platform, ClientInfo client) {
        ClientInfo c = client == null ? ClientInfo.unknown() : client;
        Instant now = now();
        SessionToken token = SessionToken.generate(config.secureRandom());
        byte[] sessionId = new byte[16];
        config.secureRandom().nextBytes(sessionId);
        SessionRecord record = SessionRecord.builder()
                .key(token.key())
                .sessionId(B64.encodeToString(sessionId))
                .owner(new SessionOwner(user.id(), user.username()))
                .platform(platform == null ? null : ActivePlatform.of(platform))
                .times(SessionTimes.startingAt(now, config.idleTimeout(), config.absoluteTimeout()))
                .csrfSecret(CsrfSecrets.newSecret(config.secureRandom()))
                .client(guard.binding(c))
                .build();
        long ticket = cache.ticket();
        limit.insert(record, now);
        cache.created(record, ticket, now);
        counters.created();
        listeners.emit(new SessionEvent.Created(now, record.key(), record.sessionId(), record.userId(),
                record.platform(), c.ipAddress()));
        return new CreatedSession(token, context(withdrawal.recheck(record)));
    }

    // ---------------------------------------------------------------- read verbs

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

    @Override
    public SessionLookup lookupWithoutActivity(String presentedToken, ClientInfo client) {
        return lookup(presentedToken, client, false);
    }

    /** The read primitive; {@code touch} false for the verbs that record no activity. */
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
        SessionKey key = SessionToken.keyOfWellFormed(presentedToken); // shape checked above
        SessionRecord record = cache.get(key, now);
        // a cooling-down address is refused only lookups that would reach the store for a token this
        // node does not know: sessions it holds keep working (and logout, by key, is never refused)
        if (record == null && guard.isThrottled(ip, now) && !cache.holds(key)) {
            return SessionLookup.of(SessionLookup.Status.THROTTLED);
        }
        boolean fromStore = record == null || record.expiredAt(now);
        long ticket = fromStore ? cache.ticket() : 0;
        if (record == null) {
            record = store.find(key).orElse(null);
            if (record == null) {
                cache.absent(key); // a copy held past its staleness bound, or while the bus was down
                unknownToken(ip, now);
                return SessionLookup.of(SessionLookup.Status.NOT_FOUND);
            }
        } else if (fromStore) {
            // looks expired: another node may have recorded activity the cached copy has not seen
            record = store.find(key).orElse(null);
            if (record == null) {
                cache.absent(key);
                return SessionLookup.of(SessionLookup.Status.NOT_FOUND);
            }
        }
        if (fromStore && record.expiredAt(now)) { // a cached copy served here was checked just above
            termination.expire(record, now);
            return SessionLookup.of(SessionLookup.Status.EXPIRED);
        }
        if (config.clientChangePolicy() != SessionConfig.ClientChangePolicy.OFF && !record.client().isUnknown()
                && !clientAccepted(record, guard.binding(c), now, ip)) {
            return SessionLookup.of(SessionLookup.Status.INVALIDATED);
        }
        if (fromStore) {
            cache.loaded(record, ticket, now);
        }
        if (touch) {
            record = activity.onRead(record, now);
            if (record == null) {
                return SessionLookup.of(SessionLookup.Status.NOT_FOUND);
            }
        }
        return SessionLookup.active(context(record));
    }

    private void unknownToken(String ip, Instant now) {
        String overLimit = guard.unknownToken(ip, now);
        if (overLimit != null) {
            listeners.emit(new SessionEvent.Suspicious(now, null, null, null, SuspicionKind.TOKEN_GUESSING, overLimit, ip));
        }
    }

    /** Judges a changed client: reported once per new client (LOG), or the session ends (STRICT: returns false). */
    private boolean clientAccepted(SessionRecord record, ClientBinding current, Instant now, String ip) {
        String difference = ClientGuard.difference(record.client(), current);
        if (difference == null) {
            return true;
        }
        boolean strict = config.clientChangePolicy() == SessionConfig.ClientChangePolicy.STRICT;
        if (strict || guard.firstReport(record.key(), current)) {
            listeners.emit(new SessionEvent.Suspicious(now, record.key(), record.sessionId(), record.userId(),
                    SuspicionKind.CLIENT_CHANGE, difference, ip));
        }
        if (strict) {
            termination.end(record, InvalidationReason.SUSPICIOUS_CLIENT_CHANGE, now);
        }
        return !strict;
    }

    @Override
    public Optional<PlatformContext> peek(SessionKey key) {
        requireKey(key);
        SessionRecord r = versions.loadLive(key, now());
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
        SessionRecord current = versions.loadLive(key, now());
        if (current == null) {
            throw new SessionNotFoundException(key.prefix());
        }
        ActivePlatform to = ActivePlatform.of(accounts.requireOwnedActivePlatform(current.userId(), platformId));
        ActivePlatform[] from = new ActivePlatform[1];
        Instant now = now();
        SessionRecord next = versions.update(key, current, r -> { // starts from current: no second read
            from[0] = r.platform();
            return activity.inWrite(r.withPlatform(to), now);
        });
        counters.switched();
        listeners.emit(new SessionEvent.PlatformSwitched(now, next.key(), next.sessionId(), next.userId(), from[0], to));
        if (guard.platformSwitch(next.sessionId(), now)) {
            listeners.emit(new SessionEvent.Suspicious(now, next.key(), next.sessionId(), next.userId(),
                    SuspicionKind.RAPID_PLATFORM_SWITCHING,
                    "more than " + config.maxPlatformSwitchesPerMinute() + " platform switches a minute", null));
        }
        return context(withdrawal.recheck(next));
    }

    @Override
    public int platformWithdrawn(String userId, long platformId) {
        Accounts.requireUserId(userId);
        return withdrawal.moveOff(userId, platformId);
    }

    @Override
    public List<PlatformConnection> platformConnections(String userId) {
        Accounts.requireUserId(userId);
        return accounts.connections(userId);
    }

    @Override
    public CreatedSession rotate(SessionKey key) {
        requireKey(key);
        Instant now = now();
        SessionToken[] token = new SessionToken[1];
        SessionRecord next = versions.rekey(key, current -> {
            token[0] = SessionToken.generate(config.secureRandom());
            return activity.inWrite(current, now).toBuilder().key(token[0].key())
                    .csrfSecret(CsrfSecrets.newSecret(config.secureRandom())).elevation(null).build();
        });
        listeners.emit(new SessionEvent.Rotated(now, next.key(), next.sessionId(), next.userId(), key));
        return new CreatedSession(token[0], context(next));
    }

    @Override
    public PlatformContext extend(SessionKey key, Duration by) {
        requireKey(key);
        if (by == null || by.isZero() || by.isNegative()) {
            throw new IllegalArgumentException("extend needs a positive duration, was " + by);
        }
        Instant now = now();
        SessionRecord next = versions.update(key, null, r -> r.withTimes(r.times().extendedBy(now, by,
                config.maxLifetime(), config.idleTimeout())));
        listeners.emit(new SessionEvent.Extended(now, next.key(), next.sessionId(), next.userId(),
                next.absoluteExpiresAt()));
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
        SessionRecord next = versions.update(key, null, r -> activity.inWrite(r, now).withElevation(elevation));
        listeners.emit(new SessionEvent.Elevated(now, next.key(), next.sessionId(), next.userId(), elevation));
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

    // ---------------------------------------------------------------- attributes and CSRF

    @Override
    public <T> Optional<T> getAttribute(PlatformContext context, String name, Class<T> type) {
        if (context == null || name == null || type == null) {
            throw new IllegalArgumentException("context, attribute name and type are required");
        }
        return attributeCodec.read(context.record(), name, type, config.clock());
    }

    @Override
    public PlatformContext setAttribute(SessionKey key, String name, Object value) {
        return setAttribute(key, name, value, AttributeOptions.plain());
    }

    @Override
    public PlatformContext setAttribute(SessionKey key, String name, Object value, AttributeOptions options) {
        requireKey(key);
        AttributeCodec.requireName(name);
        if (value == null) {
            return removeAttribute(key, name);
        }
        Instant now = now();
        Function<SessionRecord, SessionAttributes> set = attributeCodec.setter(name, value,
                options == null ? AttributeOptions.plain() : options, now);
        return context(versions.update(key, null, r -> activity.inWrite(r.withAttributes(set.apply(r)), now)));
    }

    @Override
    public PlatformContext removeAttribute(SessionKey key, String name) {
        requireKey(key);
        AttributeCodec.requireName(name);
        Instant now = now();
        return context(versions.update(key, null,
                r -> activity.inWrite(r.withAttributes(AttributeCodec.without(r, name, now)), now)));
    }

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
        SessionRecord r = cache.get(key, now);
        if (r == null) {
            r = store.find(key).orElse(null);
        }
        if (r == null) {
            cache.absent(key);
            return false;
        }
        return termination.end(r, reason, now);
    }

    @Override
    public int invalidateAll(String userId, InvalidationReason reason) {
        Accounts.requireUserId(userId);
        if (reason == null) {
            throw new IllegalArgumentException("invalidateAll needs a reason");
        }
        return termination.endAllOf(userId, null, reason, now());
    }

    @Override
    public int invalidateOthers(SessionKey current) {
        requireKey(current);
        Instant now = now();
        SessionRecord keep = versions.loadLive(current, now);
        if (keep == null) {
            throw new SessionNotFoundException(current.prefix());
        }
        return termination.endAllOf(keep.userId(), current, InvalidationReason.LOGOUT_OTHERS, now);
    }

    @Override
    public List<SessionSummary> activeSessions(String userId) {
        Accounts.requireUserId(userId);
        Instant now = now();
        List<SessionSummary> out = new ArrayList<>();
        for (SessionRecord r : store.findByUser(userId)) {
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
        return termination.deleteExpired(now(), config.cleanupBatchSize());
    }

    // ---------------------------------------------------------------- metrics and lifecycle

    @Override
    public SessionMetrics metrics() {
        return counters.snapshot(store.countActiveByPlatformType(now()), cache.state());
    }

    @Override
    public SessionConfig config() {
        return config;
    }

    @Override
    public void close() {
        directoryRegistration.close();
        cache.close();
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
}
