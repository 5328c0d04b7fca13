package io.platformsessions;

import java.time.Instant;

/**
 * Something that happened to a session, delivered to every
 * {@link io.platformsessions.spi.SessionListener}. Events carry the {@link SessionKey} (a hash),
 * never the raw token, and never attribute values. All implementations are immutable records.
 */
public sealed interface SessionEvent {

    /**
     * When it happened, by the engine's clock.
     *
     * @return the time
     */
    Instant at();

    /**
     * The session's key at the time of the event, or {@code null} for events about no session
     * (token guessing).
     *
     * @return the key or {@code null}
     */
    SessionKey key();

    /**
     * The session's stable id, or {@code null} for events about no session.
     *
     * @return the id or {@code null}
     */
    String sessionId();

    /**
     * The session's user, or {@code null} for events about no session.
     *
     * @return the user id or {@code null}
     */
    String userId();

    /**
     * A session was created.
     *
     * @param at when
     * @param key its key
     * @param sessionId its stable id
     * @param userId its user
     * @param platform its initial platform, or {@code null}
     * @param clientIp the creating client's IP, or {@code null}
     */
    record Created(Instant at, SessionKey key, String sessionId, String userId, ActivePlatform platform, String clientIp)
            implements SessionEvent {
    }

    /**
     * A session's active platform changed: the user switched ({@link SwitchReason#REQUESTED}), or the
     * engine moved the session off a connection that was withdrawn (deactivated, or deleted or given to
     * another user) to the user's default connection or to none.
     *
     * @param at when
     * @param key its key
     * @param sessionId its stable id
     * @param userId its user
     * @param from the previous platform, or {@code null}
     * @param to the new platform, or {@code null} when the session was moved to no platform
     * @param reason why
     */
    record PlatformSwitched(Instant at, SessionKey key, String sessionId, String userId, ActivePlatform from,
                            ActivePlatform to, SwitchReason reason) implements SessionEvent {
        /**
         * A switch the user asked for ({@link SwitchReason#REQUESTED}).
         *
         * @param at when
         * @param key its key
         * @param sessionId its stable id
         * @param userId its user
         * @param from the previous platform, or {@code null}
         * @param to the new platform
         */
        public PlatformSwitched(Instant at, SessionKey key, String sessionId, String userId, ActivePlatform from,
                                ActivePlatform to) {
            this(at, key, sessionId, userId, from, to, SwitchReason.REQUESTED);
        }
    }

    /** Why a session's active platform changed. */
    enum SwitchReason {
        /** The user (the application) switched with {@code SessionManager.switchPlatform}. */
        REQUESTED,
        /** The previous connection was deactivated; the engine moved the session off it. */
        PLATFORM_DEACTIVATED,
        /**
         * The previous connection is gone from the directory (deleted) or belongs to another user now;
         * the engine moved the session off it.
         */
        PLATFORM_REMOVED
    }

    /**
     * A session got a new token; the old one is dead.
     *
     * @param at when
     * @param key the new key
     * @param sessionId its stable id
     * @param userId its user
     * @param previousKey the old key
     */
    record Rotated(Instant at, SessionKey key, String sessionId, String userId, SessionKey previousKey)
            implements SessionEvent {
    }

    /**
     * A session's absolute expiry moved later.
     *
     * @param at when
     * @param key its key
     * @param sessionId its stable id
     * @param userId its user
     * @param absoluteExpiresAt the new absolute expiry
     */
    record Extended(Instant at, SessionKey key, String sessionId, String userId, Instant absoluteExpiresAt)
            implements SessionEvent {
    }

    /**
     * A session was ended on purpose.
     *
     * @param at when
     * @param key its key
     * @param sessionId its stable id
     * @param userId its user
     * @param reason why
     */
    record Invalidated(Instant at, SessionKey key, String sessionId, String userId, InvalidationReason reason)
            implements SessionEvent {
    }

    /**
     * A session was found expired and removed.
     *
     * @param at when
     * @param key its key
     * @param sessionId its stable id
     * @param userId its user
     * @param reason {@link InvalidationReason#IDLE_TIMEOUT} or {@link InvalidationReason#ABSOLUTE_TIMEOUT}
     */
    record Expired(Instant at, SessionKey key, String sessionId, String userId, InvalidationReason reason)
            implements SessionEvent {
    }

    /**
     * A session was elevated after re-authentication.
     *
     * @param at when
     * @param key its key
     * @param sessionId its stable id
     * @param userId its user
     * @param elevation the level and end time granted
     */
    record Elevated(Instant at, SessionKey key, String sessionId, String userId, Elevation elevation)
            implements SessionEvent {
    }

    /**
     * Something looked like an attack or a stolen session.
     *
     * @param at when
     * @param key the session's key, or {@code null} for token guessing
     * @param sessionId the session's id, or {@code null}
     * @param userId the session's user, or {@code null}
     * @param kind what was seen
     * @param detail a short description, safe to log (no tokens, no secrets)
     * @param clientIp the client's IP, or {@code null}
     */
    record Suspicious(Instant at, SessionKey key, String sessionId, String userId, SuspicionKind kind, String detail,
                      String clientIp) implements SessionEvent {
    }

    /** What kind of suspicious activity was seen. */
    enum SuspicionKind {
        /** The client's IP network, browser family or language changed. */
        CLIENT_CHANGE,
        /** More platform switches a minute than configured. */
        RAPID_PLATFORM_SWITCHING,
        /** One IP presented too many tokens that match no session. */
        TOKEN_GUESSING
    }
}
