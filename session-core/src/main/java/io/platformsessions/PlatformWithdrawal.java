package io.platformsessions;

import io.platformsessions.spi.SessionRecord;
import java.time.Clock;
import java.time.Instant;

/**
 * Moves sessions off a platform connection the directory no longer offers (deactivated, deleted, or
 * given to another user): to the user's active default connection, else to no platform. The session is
 * not ended: its user is still signed in, only the connection went away. The default is where a new
 * session of the user would start, so the session looks like a fresh login's; when there is no active
 * default the engine does not pick another connection on the user's behalf.
 *
 * <p>Sessions are found through their user (one store query by user, cheap and indexed in every store):
 * a connection belongs to one user. Each is moved with compare-and-set, so a concurrent write by the
 * user is kept and a concurrent switch to another connection is left alone; each move emits
 * {@link SessionEvent.PlatformSwitched} with the reason. Other nodes see the move like any other write
 * (the change bus, or within {@link SessionConfig#maxCacheStaleness()}).
 *
 * <p>A switch or a creation that checked the connection just before it was withdrawn, and wrote just
 * after the move scanned the user's sessions, would otherwise keep it: {@link #recheck} closes that
 * window by asking the directory again after such a write. Thread-safe.
 */
final class PlatformWithdrawal {
    private final Clock clock;
    private final Accounts accounts;
    private final StoreCalls store;
    private final SessionVersions versions;
    private final Listeners listeners;
    private final EngineCounters counters;

    PlatformWithdrawal(Clock clock, Accounts accounts, StoreCalls store, SessionVersions versions, Listeners listeners,
                       EngineCounters counters) {
        this.clock = clock;
        this.accounts = accounts;
        this.store = store;
        this.versions = versions;
        this.listeners = listeners;
        this.counters = counters;
    }

    /**
     * Moves the user's live sessions off a connection, if the directory says it is no longer usable.
     *
     * @param userId the user who owned the connection, already checked
     * @param platformId the connection
     * @return how many sessions were moved (0 while the user still owns it and it is active)
     * @throws SessionStoreException if the store fails (sessions moved before the failure stay moved)
     * @throws ConcurrentSessionUpdateException if a session kept changing concurrently
     */
    int moveOff(String userId, long platformId) {
        SessionEvent.SwitchReason reason = accounts.withdrawal(userId, platformId);
        if (reason == null) {
            return 0;
        }
        ActivePlatform to = fallback(userId, platformId);
        int moved = 0;
        Instant now = clock.instant();
        for (SessionRecord r : store.findByUser(userId)) {
            if (isOn(r, platformId) && !r.expiredAt(now) && move(r, platformId, to, reason) != null) {
                moved++;
            }
        }
        return moved;
    }

    /**
     * After a write that put a session on a connection: if the directory withdrew the connection
     * meanwhile, moves the session off it.
     *
     * @param written the version just written
     * @return {@code written}, or the version that moved it off the connection
     * @throws SessionStoreException if the store fails
     */
    SessionRecord recheck(SessionRecord written) {
        ActivePlatform p = written.platform();
        if (p == null) {
            return written;
        }
        SessionEvent.SwitchReason reason = accounts.withdrawal(written.userId(), p.id());
        if (reason == null) {
            return written;
        }
        SessionRecord moved = move(written, p.id(), fallback(written.userId(), p.id()), reason);
        return moved == null ? written : moved;
    }

    /** The user's active default connection, unless it is the withdrawn one; else none. */
    private ActivePlatform fallback(String userId, long withdrawn) {
        PlatformConnection d = accounts.defaultPlatform(userId);
        return d == null || d.id() == withdrawn ? null : ActivePlatform.of(d);
    }

    /** Moves one session with compare-and-set; null if it left the connection (or ended) meanwhile. */
    private SessionRecord move(SessionRecord seen, long platformId, ActivePlatform to,
                               SessionEvent.SwitchReason reason) {
        ActivePlatform[] from = new ActivePlatform[1];
        SessionRecord next;
        try {
            next = versions.update(seen.key(), seen, r -> {
                if (!isOn(r, platformId)) {
                    return null;
                }
                from[0] = r.platform();
                return r.withPlatform(to); // not activity: the user did nothing
            });
        } catch (SessionNotFoundException ended) {
            return null;
        }
        if (next != null) {
            counters.switched();
            listeners.emit(new SessionEvent.PlatformSwitched(clock.instant(), next.key(), next.sessionId(),
                    next.userId(), from[0], to, reason));
        }
        return next;
    }

    private static boolean isOn(SessionRecord r, long platformId) {
        return r.platform() != null && r.platform().id() == platformId;
    }
}
