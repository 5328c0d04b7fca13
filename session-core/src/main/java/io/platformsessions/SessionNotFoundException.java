package io.platformsessions;

/**
 * An operation named a session that is not live: never existed, invalidated, or expired.
 * Lookups ({@code resolve}) return an empty {@link java.util.Optional} instead; this is thrown by
 * operations that must act on a live session (switch, rotate, extend, attributes).
 */
public class SessionNotFoundException extends SessionException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param keyPrefix a short, non-secret prefix of the session key (see {@link SessionKey#prefix()})
     */
    public SessionNotFoundException(String keyPrefix) {
        super("no live session " + keyPrefix);
    }
}
