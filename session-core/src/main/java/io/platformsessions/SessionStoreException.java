package io.platformsessions;

/**
 * The session store could not answer (database down, pool exhausted, timeout, ...).
 *
 * <p>This is never "no session": callers must treat it as "unknown, try again later" (the servlet
 * adapter answers HTTP 503 with {@code Retry-After}). {@link #isTransient()} tells the engine
 * whether a read may be retried under the configured {@link RetryPolicy}.
 */
public class SessionStoreException extends SessionException {
    private static final long serialVersionUID = 1L;

    /** Whether retrying may help. */
    private final boolean transientFailure;

    /**
     * Creates a store exception.
     *
     * @param message what failed, safe to log
     * @param cause the underlying failure, may be {@code null}
     * @param transientFailure {@code true} when the same call may succeed if tried again
     *     (connection lost, timeout, serialization failure)
     */
    public SessionStoreException(String message, Throwable cause, boolean transientFailure) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    /**
     * Creates a store exception that is considered transient.
     *
     * @param message what failed, safe to log
     * @param cause the underlying failure, may be {@code null}
     */
    public SessionStoreException(String message, Throwable cause) {
        this(message, cause, true);
    }

    /**
     * Whether a read that failed this way may be retried.
     *
     * @return {@code true} if retrying may succeed
     */
    public boolean isTransient() {
        return transientFailure;
    }
}
