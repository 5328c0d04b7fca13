package io.platformsessions;

/**
 * The session store could not answer (database down, pool exhausted, timeout, ...).
 *
 * <p>This is never "no session": callers must treat it as "unknown, try again later" (the servlet
 * adapter answers HTTP 503 with {@code Retry-After}). {@link #isTransient()} tells the engine
 * whether a read may be retried under the configured {@link RetryPolicy}.
 *
 * <p>Stores make one with {@link #transientFailure(String, Throwable)} (the same call may succeed
 * if tried again) or {@link #permanentFailure(String, Throwable)} (retrying cannot help: a
 * duplicate key, a corrupt row, an unsupported database); there is no constructor, so the choice
 * is always explicit.
 */
public final class SessionStoreException extends SessionException {
    private static final long serialVersionUID = 1L;

    /** Whether retrying may help. */
    private final boolean transientFailure;

    private SessionStoreException(String message, Throwable cause, boolean transientFailure) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    /**
     * A failure the same call may get past if tried again: connection lost or refused, pool or
     * statement timeout, serialization failure, deadlock, lock timeout.
     *
     * @param message what failed, safe to log (never a token or secret)
     * @param cause the underlying failure, may be {@code null}
     * @return the exception, {@linkplain #isTransient() transient}
     */
    public static SessionStoreException transientFailure(String message, Throwable cause) {
        return new SessionStoreException(message, cause, true);
    }

    /**
     * A failure that retrying cannot fix: a duplicate key, a row the store cannot read, an
     * unsupported database, an unexpected error.
     *
     * @param message what failed, safe to log (never a token or secret)
     * @param cause the underlying failure, may be {@code null}
     * @return the exception, not {@linkplain #isTransient() transient}
     */
    public static SessionStoreException permanentFailure(String message, Throwable cause) {
        return new SessionStoreException(message, cause, false);
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
