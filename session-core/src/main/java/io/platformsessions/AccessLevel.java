package io.platformsessions;

/**
 * Access levels an application can grant a session for a while after re-authentication
 * (see {@link SessionManager#elevate}). Ordered: a higher level includes the lower ones.
 */
public enum AccessLevel {
    /** Read-only operations. */
    READ,
    /** Ordinary changes. */
    WRITE,
    /** Sensitive changes: account settings, credentials, administration. */
    ADMIN;

    /**
     * Whether this level grants at least {@code required}.
     *
     * @param required the level an operation needs
     * @return {@code true} if this level is the same or higher
     */
    public boolean includes(AccessLevel required) {
        return compareTo(required) >= 0;
    }
}
