package io.platformsessions;

/** Why a session ended. Carried by events, audit lines and (for the JDBC store) the archive table. */
public enum InvalidationReason {
    /** The user logged out of this session. */
    LOGOUT,
    /** The user logged out everywhere ("log out all devices"). */
    LOGOUT_ALL,
    /** The user logged out of every other session ("log out other devices"). */
    LOGOUT_OTHERS,
    /** The idle timeout passed without activity. */
    IDLE_TIMEOUT,
    /** The absolute lifetime ended. */
    ABSOLUTE_TIMEOUT,
    /** Removed to make room under the per-user session limit (least recently used first). */
    SESSION_LIMIT,
    /** The client's network, browser or language changed in a way the STRICT policy does not accept. */
    SUSPICIOUS_CLIENT_CHANGE,
    /** The user was deactivated or deleted. */
    USER_DISABLED,
    /** An administrator or the application ended it. */
    ADMIN
}
