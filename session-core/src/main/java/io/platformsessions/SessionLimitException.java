package io.platformsessions;

/**
 * The user already has the configured maximum number of live sessions and the limit policy is
 * {@link SessionConfig.LimitPolicy#REFUSE}.
 */
public class SessionLimitException extends SessionException {
    private static final long serialVersionUID = 1L;

    /** The configured limit. */
    private final int limit;

    /**
     * Creates the exception.
     *
     * @param limit the configured maximum sessions per user
     */
    public SessionLimitException(int limit) {
        super("user already has the maximum of " + limit + " active sessions");
        this.limit = limit;
    }

    /**
     * The configured maximum.
     *
     * @return sessions per user allowed
     */
    public int limit() {
        return limit;
    }
}
