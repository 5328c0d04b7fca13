package io.platformsessions;

/**
 * A platform connection cannot be made the session's active platform.
 *
 * <p>{@link Reason#NOT_FOUND} covers both "no such platform" and "another user's platform", so that
 * an attacker cannot probe which platform ids exist (HTTP 404). {@link Reason#INACTIVE} is only
 * reported for the user's own, deactivated connection (HTTP 403).
 */
public class InvalidPlatformException extends SessionException {
    private static final long serialVersionUID = 1L;

    /** Why the platform was refused. */
    public enum Reason {
        /** Unknown platform id, or one the user does not own. */
        NOT_FOUND,
        /** The user's own platform connection, but it is deactivated. */
        INACTIVE
    }

    /** Why the platform was refused. */
    private final Reason reason;

    /**
     * Creates the exception.
     *
     * @param reason why the platform was refused
     * @param message a message safe to show to the user
     */
    public InvalidPlatformException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /**
     * Why the platform was refused.
     *
     * @return the reason, never {@code null}
     */
    public Reason reason() {
        return reason;
    }
}
