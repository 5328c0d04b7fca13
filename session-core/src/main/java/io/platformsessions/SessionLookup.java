package io.platformsessions;

import java.util.Optional;

/**
 * The detailed outcome of looking up a presented token, for adapters that must tell "no session"
 * from "expired" from "refused" (the servlet filter maps these to HTTP error codes). Immutable.
 *
 * @param status what the lookup found
 * @param context the live session when {@code status} is {@link Status#ACTIVE}, else {@code null}
 */
public record SessionLookup(Status status, PlatformContext context) {

    /** What a lookup found. */
    public enum Status {
        /** A live session. */
        ACTIVE,
        /** No token was presented. */
        ABSENT,
        /** The token is not well formed; the store was not asked. */
        MALFORMED,
        /** A well-formed token that matches no session. */
        NOT_FOUND,
        /** The session existed but has expired (it is removed now). */
        EXPIRED,
        /** The session was ended because its client changed (STRICT client-change policy). */
        INVALIDATED,
        /** This client presented too many unknown tokens and is cooling down; the store was not asked. */
        THROTTLED
    }

    private static final SessionLookup ABSENT = new SessionLookup(Status.ABSENT, null);
    private static final SessionLookup MALFORMED = new SessionLookup(Status.MALFORMED, null);
    private static final SessionLookup NOT_FOUND = new SessionLookup(Status.NOT_FOUND, null);
    private static final SessionLookup EXPIRED = new SessionLookup(Status.EXPIRED, null);
    private static final SessionLookup INVALIDATED = new SessionLookup(Status.INVALIDATED, null);
    private static final SessionLookup THROTTLED = new SessionLookup(Status.THROTTLED, null);

    /**
     * The shared result for a status without a context.
     *
     * @param status any status but ACTIVE
     * @return the result
     * @throws IllegalArgumentException for ACTIVE
     */
    public static SessionLookup of(Status status) {
        return switch (status) {
            case ABSENT -> ABSENT;
            case MALFORMED -> MALFORMED;
            case NOT_FOUND -> NOT_FOUND;
            case EXPIRED -> EXPIRED;
            case INVALIDATED -> INVALIDATED;
            case THROTTLED -> THROTTLED;
            case ACTIVE -> throw new IllegalArgumentException("an active lookup needs a context");
        };
    }

    /**
     * A live session.
     *
     * @param context the session
     * @return the result
     */
    public static SessionLookup active(PlatformContext context) {
        return new SessionLookup(Status.ACTIVE, context);
    }

    /**
     * The context, if the session is live.
     *
     * @return the context or empty
     */
    public Optional<PlatformContext> asOptional() {
        return Optional.ofNullable(context);
    }
}
