package io.platformsessions;

/**
 * A compare-and-set update kept losing to concurrent writers of the same session and the engine
 * gave up after its bounded number of attempts. Nothing was written; the caller may try again.
 */
public class ConcurrentSessionUpdateException extends SessionException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which session and how many attempts
     */
    public ConcurrentSessionUpdateException(String message) {
        super(message);
    }
}
