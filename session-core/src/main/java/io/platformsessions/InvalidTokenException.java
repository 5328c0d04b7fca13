package io.platformsessions;

/**
 * A presented session token is malformed: wrong length, characters outside base64url, or
 * non-canonical encoding. Thrown before any store lookup. The message never echoes the input.
 */
public class InvalidTokenException extends SessionException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message why the token was rejected (never contains the token)
     */
    public InvalidTokenException(String message) {
        super(message);
    }
}
