package io.platformsessions;

/**
 * Base type of every exception Platform Sessions throws on purpose. Unchecked, so application code
 * catches only what it can handle; the subclasses say what went wrong.
 *
 * <p>Messages never contain a raw session token or a secret attribute value; at most a short
 * prefix of the {@link SessionKey} (the token's SHA-256).
 */
public class SessionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message.
     *
     * @param message what went wrong, safe to log
     */
    public SessionException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and a cause.
     *
     * @param message what went wrong, safe to log
     * @param cause the underlying failure
     */
    public SessionException(String message, Throwable cause) {
        super(message, cause);
    }
}
