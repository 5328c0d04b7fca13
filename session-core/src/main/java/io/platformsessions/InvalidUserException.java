package io.platformsessions;

/**
 * A user id is null, blank, too long, unknown to the {@link io.platformsessions.spi.UserDirectory},
 * or belongs to a deactivated user. Thrown before anything reaches the store.
 */
public class InvalidUserException extends SessionException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong with the user id
     */
    public InvalidUserException(String message) {
        super(message);
    }
}
