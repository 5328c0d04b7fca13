package io.platformsessions.spi;

import io.platformsessions.InvalidationReason;
import io.platformsessions.SessionKey;
import io.platformsessions.SessionStoreException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where sessions persist. The engine is the only caller; it validates every input first, so a store
 * may assume non-null arguments and well-formed records. Implementations must be thread-safe.
 *
 * <p>Sizes: user ids are at most {@link io.platformsessions.Limits#MAX_USER_ID_LENGTH} characters, and
 * the engine never writes attributes whose encoding ({@link SessionAttributes#encode()}) exceeds
 * {@link io.platformsessions.Limits#MAX_ATTRIBUTES_BYTES} bytes of UTF-8; a store must hold both, and may
 * refuse anything larger with {@link IllegalArgumentException}.
 *
 * <p>Every store must pass the contract suite {@code io.platformsessions.tck.SessionStoreContract}
 * from the {@code session-store-tck} artifact: add it in test scope and extend the suite with a
 * class that makes an empty store (the README shows the ten lines). The in-memory, JDBC and every
 * future store in this project run the same suite.
 *
 * <p>Every method throws {@link SessionStoreException} when the store cannot answer (never an
 * empty result that would look like "no session"), with {@link SessionStoreException#isTransient()}
 * telling whether the engine may retry a read.
 */
public interface SessionStore {

    /**
     * Stores a new session.
     *
     * @param record the session, {@code version} 1
     * @throws SessionStoreException if the store fails or a session with this key exists
     */
    void insert(SessionRecord record);

    /**
     * Stores a new session and counts the user's sessions that are live at {@code now}, including
     * the new one: the engine's per-user limit check on every login, and the only one. The engine
     * decides from this count alone (over the limit: refuse the new session, or end the excess least
     * recently used others), so it must be exact under concurrency, across every node sharing the
     * store: creates for one user are serialized, and each call counts every session of the user
     * stored before its own and none stored after it. Then N racing logins see N distinct counts, the
     * limit is never exceeded, and a login is never refused while the user is below it.
     *
     * <p>The default implementation inserts, then reads the user's sessions. It never under-counts,
     * but racing creates for one user may each count the others (so under
     * {@link io.platformsessions.SessionConfig.LimitPolicy#REFUSE} a racing login can be refused below
     * the limit): stores that serve concurrent creates should override it with a serialized insert
     * and count, in one round trip where they can.
     *
     * @param record the session, {@code version} 1
     * @param now the current time
     * @return live sessions of {@code record.userId()}, the new one included
     * @throws SessionStoreException if the store fails or a session with this key exists
     */
    default int insertAndCountLive(SessionRecord record, Instant now) {
        insert(record);
        int live = 0;
        for (SessionRecord r : findByUser(record.userId())) {
            if (!r.expiredAt(now)) {
                live++;
            }
        }
        return live;
    }

    /**
     * Reads a whole session (one round trip), expired or not.
     *
     * @param key the session key
     * @return the session, or empty if there is none under this key
     * @throws SessionStoreException if the store fails
     */
    Optional<SessionRecord> find(SessionKey key);

    /**
     * Compare-and-set: replaces the session stored under {@code next.key()} with {@code next} only if
     * its stored version is {@code expectedVersion}. {@code next.version()} is
     * {@code expectedVersion + 1}.
     *
     * @param next the new state
     * @param expectedVersion the version the caller read
     * @return {@code true} if written; {@code false} if the session is gone or its version differs
     * @throws SessionStoreException if the store fails
     */
    boolean update(SessionRecord next, long expectedVersion);

    /**
     * Compare-and-set with a key change, for token rotation: atomically moves the session stored
     * under {@code oldKey} (if its version is {@code expectedVersion}) to {@code next.key()} with
     * the state {@code next}. Afterwards nothing is stored under {@code oldKey}.
     *
     * @param oldKey the current key
     * @param next the new state, with the new key and {@code expectedVersion + 1}
     * @param expectedVersion the version the caller read
     * @return {@code true} if moved; {@code false} if the session is gone or its version differs
     * @throws SessionStoreException if the store fails
     */
    boolean rekey(SessionKey oldKey, SessionRecord next, long expectedVersion);

    /**
     * Records activity cheaply, without changing the version: sets last activity to
     * {@code lastActivityAt} and the effective expiry to the earlier of {@code idleExpiresAt} and the
     * <em>stored</em> absolute expiry, but only if {@code lastActivityAt} is later than the stored
     * last activity (touches never move time backwards). Capping by the stored absolute expiry, not
     * the caller's copy, keeps a touch that races with an extension from undoing it.
     *
     * @param key the session key
     * @param lastActivityAt the new last activity
     * @param idleExpiresAt {@code lastActivityAt} plus the idle timeout
     * @return {@code true} if the session's activity moved; {@code false} if nothing changed: the store has
     *         no such session, or its stored activity is already as late (the engine then reads the session
     *         once to tell which, so that a session that vanished behind its cache stops working)
     * @throws SessionStoreException if the store fails
     */
    boolean touch(SessionKey key, Instant lastActivityAt, Instant idleExpiresAt);

    /**
     * Deletes one session. Stores that archive ended sessions record {@code reason} and
     * {@code endedAt}; the time comes from the engine's clock, so a store needs no clock of its own.
     *
     * @param key the session key
     * @param reason why it ended
     * @param endedAt when it ended
     * @return {@code true} if a session was deleted
     * @throws SessionStoreException if the store fails
     */
    boolean delete(SessionKey key, InvalidationReason reason, Instant endedAt);

    /**
     * All sessions of a user, expired or not, in no particular order.
     *
     * @param userId the user
     * @return the sessions, possibly empty
     * @throws SessionStoreException if the store fails
     */
    List<SessionRecord> findByUser(String userId);

    /**
     * Deletes at most {@code batchSize} sessions whose effective expiry is at or before {@code now}.
     * Safe to run on several nodes at once: concurrent calls must not deadlock or block live
     * sessions for long. Stores that archive record {@link InvalidationReason#ABSOLUTE_TIMEOUT} or
     * {@link InvalidationReason#IDLE_TIMEOUT}.
     *
     * @param now the current time
     * @param batchSize the most rows to delete
     * @return how many were deleted (fewer than {@code batchSize} means none are left)
     * @throws SessionStoreException if the store fails
     */
    int deleteExpired(Instant now, int batchSize);

    /**
     * Counts sessions not expired at {@code now}, by platform type; sessions without a platform
     * count under the empty string.
     *
     * @param now the current time
     * @return platform type to count
     * @throws SessionStoreException if the store fails
     */
    Map<String, Long> countActiveByPlatformType(Instant now);

    /**
     * The change bus that comes with this store, if any: for example one whose announcements are made
     * by the store's own write statements, so it must be the one the engine connects to. An engine
     * built on this store uses it (see {@code SessionManager.Builder#changeBus} for the precedence).
     * The default has none.
     *
     * @return the store's bus, or empty
     */
    default Optional<SessionChangeBus> changeBus() {
        return Optional.empty();
    }
}
