package io.platformsessions.servlet;

/**
 * The error codes of the HTTP contract. Each code is always sent with the one status
 * {@link #status()} names, so a client may branch on the code alone. Error bodies are
 * {@code {"error":"CODE","message":"..."}}; the message is for humans. Immutable (an enum).
 */
public enum ErrorCode {
    /** No session cookie was presented, or the session was ended earlier in this request (401). */
    NO_SESSION(401),
    /** The session existed but timed out (401). */
    SESSION_EXPIRED(401),
    /**
     * The cookie was malformed, duplicated, unknown, or its session was ended (logged out elsewhere,
     * a STRICT client change, or ended while this request was using it) (401).
     */
    SESSION_INVALID(401),
    /** The path needs an active platform and the session has none (409). */
    PLATFORM_REQUIRED(409),
    /** Unknown platform id, or another user's platform; the two are never told apart (404). */
    PLATFORM_NOT_FOUND(404),
    /** The user's own platform connection, but it is inactive (403). */
    PLATFORM_FORBIDDEN(403),
    /**
     * The operation needs the session elevated (the user re-authenticated) to a higher access level
     * ({@code ElevationRequiredException}): re-authenticate, then send it again. Not a logout (403).
     */
    ELEVATION_REQUIRED(403),
    /** Missing or wrong CSRF token, cross-site Fetch Metadata, or a foreign Origin (403). */
    CSRF_INVALID(403),
    /** The request cannot be served as sent: bad body, wrong content type or charset, non-numeric id (400). */
    BAD_REQUEST(400),
    /** The method is not served here (a wrong method on an endpoint, or TRACE anywhere); see {@code Allow} (405). */
    METHOD_NOT_ALLOWED(405),
    /** Login refused: the user is unknown or inactive in the user directory (403). */
    USER_INVALID(403),
    /** A concurrent change to the same session won every retry; sending the request again usually succeeds (409). */
    CONCURRENT_UPDATE(409),
    /** Login refused: the user is at the per-user session limit and the limit policy is REFUSE (429). */
    SESSION_LIMIT(429),
    /**
     * This client (IP) presented too many unknown session tokens and is cooling down: its session
     * cookies cannot be checked until the {@code Retry-After} seconds have passed. Not a logout:
     * the cookie is kept (429).
     */
    TOO_MANY_REQUESTS(429),
    /**
     * The server cannot answer for a reason the client cannot fix: the response could not be encoded
     * (session data the JSON encoder refuses, such as a lone surrogate), or a secret session attribute
     * could not be opened ({@code SealedAttributeException}: altered in the store, or sealed with a key
     * no longer configured; logged at WARN with the attribute's name and key id). The body never says
     * more (500).
     */
    INTERNAL_ERROR(500),
    /** The session store cannot answer right now; retry after the {@code Retry-After} seconds (503). */
    STORE_UNAVAILABLE(503);

    private final int status;

    ErrorCode(int status) {
        this.status = status;
    }

    /**
     * The HTTP status this code is always sent with.
     *
     * @return the status code
     */
    public int status() {
        return status;
    }
}
