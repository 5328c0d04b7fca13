package io.platformsessions;

import io.platformsessions.memory.InMemoryPlatformDirectory;
import io.platformsessions.spi.PlatformDirectory;
import io.platformsessions.spi.SessionChangeBus;
import io.platformsessions.spi.SessionListener;
import io.platformsessions.spi.SessionStore;
import io.platformsessions.spi.UserDirectory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The application's entry point to sessions. Build one with {@link #builder(SessionStore)} and share it:
 * implementations are thread-safe.
 *
 * <p><b>Reads take a {@link PlatformContext} snapshot, writes take a {@link SessionKey}.</b> The read
 * verbs below turn a presented token (or a key) into a snapshot; the methods that read session state
 * ({@link #getAttribute}, {@link #isElevated}, {@link #requireElevated}, {@link #csrfToken},
 * {@link #verifyCsrfToken}, {@link #requireCsrfToken}) read that snapshot and do no I/O; the methods
 * that change a session ({@link #switchPlatform}, {@link #rotate}, {@link #extend}, {@link #elevate},
 * {@link #setAttribute}, {@link #removeAttribute}, {@link #invalidate}, ...) take its key (from
 * {@link PlatformContext#key()}, never the raw token), read the current state themselves and write with
 * compare-and-set, returning a fresh snapshot.
 *
 * <p>The read verbs, side by side ("client" means the {@link ClientInfo} argument; {@code null} is
 * taken as {@link ClientInfo#unknown()}, which has no IP address, so the limiter does not apply, and no
 * headers, so the client binding is not judged):
 *
 * <table class="striped">
 * <caption>What each read verb checks</caption>
 * <thead>
 * <tr><th scope="col">verb</th><th scope="col">token shape</th><th scope="col">unknown-token limiter</th>
 *     <th scope="col">client binding</th><th scope="col">expiry</th><th scope="col">touch</th>
 *     <th scope="col">answer</th></tr>
 * </thead>
 * <tbody>
 * <tr><th scope="row">{@link #lookup(String, ClientInfo) lookup(token, client)}</th>
 *     <td>checked: {@code ABSENT}, {@code MALFORMED}</td><td>applied: {@code THROTTLED} for a token this engine does not
 *     hold while the client's address cools down (a session it holds keeps working); unknown tokens count</td>
 *     <td>judged per {@link SessionConfig#clientChangePolicy()}: {@code INVALIDATED} under STRICT</td>
 *     <td>{@code EXPIRED}, and removed</td><td>yes, at most once per touch interval</td>
 *     <td>a {@link SessionLookup} status, with the snapshot when {@code ACTIVE}; the primitive the others
 *     build on</td></tr>
 * <tr><th scope="row">{@link #resolve(String, ClientInfo) resolve(token, client)}</th>
 *     <td>checked: null or malformed throws {@link InvalidTokenException}</td><td>applied</td>
 *     <td>judged</td><td>checked, and removed</td><td>yes</td>
 *     <td>the snapshot, or empty for every other outcome</td></tr>
 * <tr><th scope="row">{@link #lookupWithoutActivity(String, ClientInfo) lookupWithoutActivity(token, client)}</th>
 *     <td>checked</td><td>applied</td><td>judged</td><td>checked, and removed</td><td><b>no</b></td>
 *     <td>as {@code lookup}: for background state checks that must not keep a session alive</td></tr>
 * <tr><th scope="row">{@link #validate(String, String, ClientInfo) validate(token, userId, client)}</th>
 *     <td>checked: {@code false}</td><td>applied: {@code false} while throttled</td><td>judged</td>
 *     <td>checked, and removed</td><td><b>no</b></td>
 *     <td>{@code true} only for a live session of {@code userId} (compared in constant time)</td></tr>
 * <tr><th scope="row">{@link #peek(SessionKey) peek(key)}</th>
 *     <td>none: takes a key, not a token</td><td><b>no</b></td><td><b>no</b></td>
 *     <td>checked, and removed</td><td><b>no</b></td><td>the snapshot, or empty</td></tr>
 * </tbody>
 * </table>
 *
 * <p>Which cached copy a read may use (and so how soon it sees a change made on another node) depends on
 * the change bus and {@link SessionConfig#maxCacheStaleness()}: see {@link io.platformsessions.spi.SessionChangeBus}.
 * A caller always sees its own acknowledged writes.
 *
 * <p>Every operation throws {@link SessionStoreException} when the store cannot answer (never a
 * result that looks like "no session"), and rejects bad arguments (null or blank ids, negative
 * durations, malformed tokens) with a specific exception before the store is called.
 */
public interface SessionManager extends AutoCloseable {

    /**
     * Starts building a manager around a store.
     *
     * @param store where sessions persist
     * @return a builder
     * @throws NullPointerException if {@code store} is null
     */
    static Builder builder(SessionStore store) {
        return new Builder(store);
    }

    /**
     * Creates a session for a user on the user's default platform (none if the user has no active
     * default). Enforces the per-user session limit.
     *
     * @param userId the user, known and active in the user directory
     * @param client the client creating the session ({@link ClientInfo#unknown()} if none)
     * @return the raw token (for the cookie) and the context
     * @throws InvalidUserException if the user id is null, blank, too long, unknown or inactive
     * @throws SessionLimitException if the user is at the limit and the policy is REFUSE
     * @throws SessionStoreException if the store fails
     */
    CreatedSession create(String userId, ClientInfo client);

    /**
     * Creates a session for a user on a given platform.
     *
     * @param userId the user
     * @param platformId a platform connection the user owns and that is active
     * @param client the client creating the session
     * @return the raw token and the context
     * @throws InvalidUserException if the user is invalid
     * @throws InvalidPlatformException if the platform is unknown, someone else's, or inactive
     * @throws SessionLimitException if the user is at the limit and the policy is REFUSE
     * @throws SessionStoreException if the store fails
     */
    CreatedSession create(String userId, long platformId, ClientInfo client);

    /**
     * Resolves a presented token to its live session, checking idle and absolute expiry and the
     * client binding, and recording activity (written at most once per touch interval). A cached
     * live session costs no I/O. {@link #lookup(String, ClientInfo)} with an exception for a malformed
     * token and an empty result for every other outcome (see the table in the class comment).
     *
     * @param presentedToken the raw cookie value
     * @param client the presenting client; {@code null} means {@link ClientInfo#unknown()}
     * @return the context, or empty if no live session matches (unknown, expired, ended by the client
     *     binding, or this client is throttled)
     * @throws InvalidTokenException if the token is null or malformed (checked before any lookup)
     * @throws SessionStoreException if the store fails
     */
    Optional<PlatformContext> resolve(String presentedToken, ClientInfo client);

    /**
     * The read primitive: resolves a presented token like {@link #resolve(String, ClientInfo)} but
     * reports why there is no session instead of throwing for malformed tokens. For adapters (the
     * servlet filter).
     *
     * @param presentedToken the raw cookie value, may be {@code null}
     * @param client the presenting client; {@code null} means {@link ClientInfo#unknown()}
     * @return the outcome, never {@code null}
     * @throws SessionStoreException if the store fails
     */
    SessionLookup lookup(String presentedToken, ClientInfo client);

    /**
     * Resolves a presented token exactly like {@link #lookup(String, ClientInfo)} (token shape,
     * unknown-token limiter, client binding, expiry, and the same statuses) but records no activity:
     * for a page or script that checks the session's state in the background (is it still there, on
     * which platform, when does it expire), so that such checks do not defeat the idle timeout.
     *
     * @param presentedToken the raw cookie value, may be {@code null}
     * @param client the presenting client; {@code null} means {@link ClientInfo#unknown()}
     * @return the outcome, never {@code null}
     * @throws SessionStoreException if the store fails
     */
    SessionLookup lookupWithoutActivity(String presentedToken, ClientInfo client);

    /**
     * Reads a session by key: neither touches it (no activity is recorded) nor judges a client nor
     * counts toward the unknown-token limiter. For code that already holds a key (from an earlier
     * snapshot, a device list, an event) and wants the current state. An expired session is removed
     * and reads as empty.
     *
     * @param key the session key
     * @return the context if the session is live
     * @throws IllegalArgumentException if {@code key} is null
     * @throws SessionStoreException if the store fails
     */
    Optional<PlatformContext> peek(SessionKey key);

    /**
     * Whether a presented token belongs to a live session of {@code userId}, checked like
     * {@link #lookup(String, ClientInfo)} (token shape, unknown-token limiter, client binding, expiry)
     * but without recording activity: for a second channel (a WebSocket handshake, an API call on
     * behalf of a page) that must not keep the session alive by itself. Compares the user in constant
     * time.
     *
     * @param presentedToken the raw token, may be null or malformed (then {@code false})
     * @param userId the expected user; {@code null} gives {@code false}
     * @param client the presenting client; {@code null} means {@link ClientInfo#unknown()}
     * @return {@code true} only for a live session of that user
     * @throws SessionStoreException if the store fails
     */
    boolean validate(String presentedToken, String userId, ClientInfo client);

    /**
     * Makes another of the user's platform connections the active one. Compare-and-set: concurrent
     * switches on one session end with one winner and lose no attribute.
     *
     * @param key the session
     * @param platformId a platform connection the user owns and that is active
     * @return the updated context
     * @throws InvalidPlatformException NOT_FOUND for unknown or another user's platform, INACTIVE
     *     for the user's own inactive one
     * @throws SessionNotFoundException if the session is not live
     * @throws SessionStoreException if the store fails
     */
    PlatformContext switchPlatform(SessionKey key, long platformId);

    /**
     * Moves a user's sessions off a platform connection that can no longer be used, when the platform
     * directory says so: the connection is the user's own but inactive (reason
     * {@link SessionEvent.SwitchReason#PLATFORM_DEACTIVATED}), or unknown or another user's now
     * ({@link SessionEvent.SwitchReason#PLATFORM_REMOVED}). While the user owns it and it is active this
     * does nothing. Each live session of the user on that connection moves to the user's active default
     * connection, or to no platform when there is none (the engine does not pick another connection on
     * the user's behalf); the session is not ended. Each move is compare-and-set and emits
     * {@link SessionEvent.PlatformSwitched} with the reason; other nodes see it like any other change.
     *
     * <p>The platform directories that change their own connections ({@code JdbcPlatformDirectory},
     * {@link io.platformsessions.memory.InMemoryPlatformDirectory}) call this for you on deactivation and
     * deletion, through the listener this manager registers with its directory at build time. With a
     * directory over your own tables, call it after you deactivate or delete a connection. Idempotent:
     * call it again after a failure. A switch or creation racing the withdrawal re-checks the connection
     * after its write, so no session is left on it.
     *
     * @param userId the user who owned the connection (a deleted connection can no longer say whose it was)
     * @param platformId the connection
     * @return how many sessions were moved
     * @throws InvalidUserException if the user id is null, blank or too long
     * @throws SessionStoreException if the store fails (sessions moved before the failure stay moved)
     */
    int platformWithdrawn(String userId, long platformId);

    /**
     * The user's platform connections, active or not, as the platform directory lists them (the JDBC and
     * in-memory directories: by id): for a platform switcher. Asks the directory (one query).
     *
     * @param userId the user
     * @return the connections, possibly empty
     * @throws InvalidUserException if the user id is null, blank or too long
     * @throws RuntimeException what the directory throws (the JDBC directories: {@link SessionStoreException})
     */
    List<PlatformConnection> platformConnections(String userId);

    /**
     * Gives the session a new token (session-fixation defence: call after login or any privilege
     * change). The old token stops working at once; the session id, platform and attributes stay;
     * the CSRF secret is replaced and any elevation ends.
     *
     * @param key the session's current key
     * @return the new raw token and context
     * @throws SessionNotFoundException if the session is not live
     * @throws SessionStoreException if the store fails
     */
    CreatedSession rotate(SessionKey key);

    /**
     * Moves the absolute expiry {@code by} later, counted from now, and records activity. The new
     * absolute expiry is {@code min(now + by, createdAt + maxLifetime)} and never earlier than the
     * current one: extending can only lengthen a session, and never past the configured maximum
     * lifetime.
     *
     * @param key the session
     * @param by a positive duration
     * @return the updated context
     * @throws IllegalArgumentException if {@code by} is null, zero or negative
     * @throws SessionNotFoundException if the session is not live
     * @throws SessionStoreException if the store fails
     */
    PlatformContext extend(SessionKey key, Duration by);

    /**
     * Ends one session.
     *
     * @param key the session
     * @param reason why
     * @return {@code true} if a session was ended, {@code false} if there was none
     * @throws SessionStoreException if the store fails
     */
    boolean invalidate(SessionKey key, InvalidationReason reason);

    /**
     * Ends every session of a user ("log out everywhere").
     *
     * @param userId the user
     * @param reason why
     * @return how many sessions were ended
     * @throws InvalidUserException if the user id is null or blank
     * @throws SessionStoreException if the store fails
     */
    int invalidateAll(String userId, InvalidationReason reason);

    /**
     * Ends every session of the current session's user except the current one ("log out other
     * devices").
     *
     * @param current the session to keep
     * @return how many sessions were ended
     * @throws SessionNotFoundException if the current session is not live
     * @throws SessionStoreException if the store fails
     */
    int invalidateOthers(SessionKey current);

    /**
     * The user's live sessions, most recently active first.
     *
     * @param userId the user
     * @return summaries with device, times and platform
     * @throws InvalidUserException if the user id is null or blank
     * @throws SessionStoreException if the store fails
     */
    List<SessionSummary> activeSessions(String userId);

    /**
     * Deletes expired sessions in batches of the configured size until none are left. Safe to run
     * on several nodes at once. The store deletes in bulk, so no per-session
     * {@link SessionEvent.Expired} event is emitted for these (sessions found expired when presented
     * do get one); {@link SessionMetrics#expired()} counts both.
     *
     * @return how many were deleted
     * @throws SessionStoreException if the store fails
     */
    int cleanupExpired();

    /**
     * Reads an attribute from a context, decoding its JSON (and opening it, if secret). No I/O.
     *
     * @param <T> the value type
     * @param context the session
     * @param name the attribute name
     * @param type the class to decode into (String, Number types, Boolean, Map, List, or a bean)
     * @return the value, or empty if absent or expired
     * @throws IllegalArgumentException if an argument is null or the stored value cannot be read as {@code type}
     * @throws SealedAttributeException if a secret value fails authentication (altered, copied from another
     *     session or name), was sealed with a key no longer configured, or a name declared secret holds an
     *     unsealed value
     */
    <T> Optional<T> getAttribute(PlatformContext context, String name, Class<T> type);

    /**
     * Sets a plain attribute with no TTL.
     *
     * @param key the session
     * @param name 1 to 128 characters
     * @param value any value jackson-jr can write as JSON; {@code null} removes the attribute
     * @return the updated context
     * @throws IllegalArgumentException for a bad name, an unencodable value, or attributes over the size limit
     * @throws SessionNotFoundException if the session is not live
     * @throws SessionStoreException if the store fails
     */
    PlatformContext setAttribute(SessionKey key, String name, Object value);

    /**
     * Sets an attribute with options (TTL, secret).
     *
     * @param key the session
     * @param name 1 to 128 characters
     * @param value any value jackson-jr can write as JSON; {@code null} removes the attribute
     * @param options TTL and secrecy
     * @return the updated context
     * @throws IllegalArgumentException for a bad name, an unencodable value, or attributes over the size limit
     * @throws IllegalStateException for a secret attribute when no encryption key is configured (names declared
     *     with {@link SessionConfig.Builder#secretAttributes(String...)} are always secret, whatever the options)
     * @throws SessionNotFoundException if the session is not live
     * @throws SessionStoreException if the store fails
     */
    PlatformContext setAttribute(SessionKey key, String name, Object value, AttributeOptions options);

    /**
     * Removes an attribute.
     *
     * @param key the session
     * @param name the attribute name
     * @return the updated context
     * @throws SessionNotFoundException if the session is not live
     * @throws SessionStoreException if the store fails
     */
    PlatformContext removeAttribute(SessionKey key, String name);

    /**
     * A CSRF token for pages of this session: the session's secret masked with a fresh random pad,
     * so it differs on every call (BREACH defence) while every issued token stays valid until the
     * secret is replaced (rotation, logout).
     *
     * @param context the session
     * @return a token of base64url characters
     * @throws IllegalArgumentException if {@code context} is null
     */
    String csrfToken(PlatformContext context);

    /**
     * Verifies a presented CSRF token against the session's secret in constant time.
     *
     * @param context the session
     * @param presented the token from the header or form, may be null or garbage
     * @return {@code true} only if it unmasks to the session's secret
     */
    boolean verifyCsrfToken(PlatformContext context, String presented);

    /**
     * Throws unless a presented CSRF token verifies ({@link #verifyCsrfToken(PlatformContext, String)}):
     * for application code that checks tokens itself. Behind the servlet filter a {@link CsrfException}
     * that reaches the filter is answered with 403 {@code CSRF_INVALID}.
     *
     * @param context the session
     * @param presented the token from the header or form, may be null or garbage
     * @throws CsrfException if the token is missing or does not unmask to the session's secret
     * @throws IllegalArgumentException if {@code context} is null
     */
    void requireCsrfToken(PlatformContext context, String presented);

    /**
     * Marks the session elevated (after the application re-authenticated the user) for at most the
     * configured maximum elevation.
     *
     * @param key the session
     * @param level the access level granted
     * @param duration how long, positive; capped at the configured maximum
     * @return the updated context
     * @throws IllegalArgumentException if duration is not positive
     * @throws SessionNotFoundException if the session is not live
     * @throws SessionStoreException if the store fails
     */
    PlatformContext elevate(SessionKey key, AccessLevel level, Duration duration);

    /**
     * Whether the session is elevated to at least {@code level} now.
     *
     * @param context the session
     * @param level the level needed
     * @return {@code true} if elevated and not yet ended
     */
    boolean isElevated(PlatformContext context, AccessLevel level);

    /**
     * Throws unless the session is elevated to at least {@code level} now.
     *
     * @param context the session
     * @param level the level needed
     * @throws ElevationRequiredException if not elevated enough
     * @throws IllegalArgumentException if {@code context} or {@code level} is null
     */
    void requireElevated(PlatformContext context, AccessLevel level);

    /**
     * A snapshot of the counters. Asks the store for live counts (one query).
     *
     * @return the metrics
     * @throws SessionStoreException if the store fails
     */
    SessionMetrics metrics();

    /**
     * The configuration in force.
     *
     * @return the config
     */
    SessionConfig config();

    /**
     * Closes the connection to the change bus, stops listening to the platform directory and empties
     * the cache. Does not close the store, the bus or the directory. Safe to call more than once.
     */
    @Override
    void close();

    /**
     * Builds a {@link SessionManager}. Obtain one from {@link SessionManager#builder(SessionStore)}.
     * Not thread-safe; every setter returns {@code this} and rejects {@code null} at once with a
     * {@link NullPointerException} naming the argument; {@link #build()} leaves the builder as it was.
     *
     * <p>Defaults: {@link SessionConfig#defaults()}; a user directory that accepts any non-blank user
     * id with the id as its username (replace it to refuse unknown or deactivated users); an empty
     * platform directory (sessions without platforms); no listeners; the store's change bus, if it has one.
     */
    final class Builder {
        private final SessionStore store;
        private SessionConfig config = SessionConfig.defaults();
        private PlatformDirectory platforms = new InMemoryPlatformDirectory();
        private UserDirectory users = userId -> Optional.of(new UserAccount(userId, userId, true));
        private final List<SessionListener> listeners = new ArrayList<>();
        private SessionChangeBus changeBus;

        private Builder(SessionStore store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /**
         * Sets the configuration.
         *
         * @param value the configuration
         * @return this builder
         * @throws NullPointerException if {@code value} is null
         */
        public Builder config(SessionConfig value) {
            this.config = Objects.requireNonNull(value, "config");
            return this;
        }

        /**
         * Sets where platform connections are looked up. The built manager registers a withdrawal
         * listener with it ({@link PlatformDirectory#addWithdrawalListener}), so a directory that
         * deactivates or deletes its own connections moves the sessions on them
         * ({@link SessionManager#platformWithdrawn(String, long)}); {@link SessionManager#close()} ends
         * the registration.
         *
         * @param value the directory
         * @return this builder
         * @throws NullPointerException if {@code value} is null
         */
        public Builder platformDirectory(PlatformDirectory value) {
            this.platforms = Objects.requireNonNull(value, "platformDirectory");
            return this;
        }

        /**
         * Sets where users are looked up.
         *
         * @param value the directory
         * @return this builder
         * @throws NullPointerException if {@code value} is null
         */
        public Builder userDirectory(UserDirectory value) {
            this.users = Objects.requireNonNull(value, "userDirectory");
            return this;
        }

        /**
         * Adds a listener for session events (audit, metrics, notifications).
         *
         * @param value the listener
         * @return this builder
         * @throws NullPointerException if {@code value} is null
         */
        public Builder listener(SessionListener value) {
            listeners.add(Objects.requireNonNull(value, "listener"));
            return this;
        }

        /**
         * Connects the engine to the other engines (nodes) sharing the store, for a store that does not
         * come with a bus of its own ({@link SessionStore#changeBus()}). Precedence: the store's bus is
         * used when it has one; setting the same bus here as well is allowed, a different one makes
         * {@link #build()} fail. Without any bus, cached copies are served for at most
         * {@link SessionConfig#maxCacheStaleness()} (or without bound under {@link SessionConfig#singleNode()}).
         *
         * @param value the bus
         * @return this builder
         * @throws NullPointerException if {@code value} is null
         */
        public Builder changeBus(SessionChangeBus value) {
            this.changeBus = Objects.requireNonNull(value, "changeBus");
            return this;
        }

        /**
         * Builds the manager, which connects to its change bus (the store's, or the one set here).
         *
         * @return a thread-safe manager
         * @throws IllegalStateException if the store comes with a change bus and a different one was set here
         */
        public SessionManager build() {
            SessionChangeBus storeBus = store.changeBus().orElse(null);
            if (storeBus != null && changeBus != null && storeBus != changeBus) {
                throw new IllegalStateException("the store comes with its own change bus (" + storeBus.getClass().getName()
                        + "); do not set another one on SessionManager.Builder.changeBus");
            }
            return new DefaultSessionManager(config, store, platforms, users, List.copyOf(listeners),
                    storeBus != null ? storeBus : changeBus);
        }
    }
}
