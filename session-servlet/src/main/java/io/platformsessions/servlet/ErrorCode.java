package io.platformsessions.servlet;

/**
 * The error codes of the HTTP contract, each with the status it is normally sent with
 * ({@link #status()}); {@link #BAD_REQUEST} is also sent with other statuses (see there). Error
 * bodies are {@code {"error":"CODE","message":"..."}}. Immutable (an enum).
 */
public enum ErrorCode {
    /** No session cookie was presented (401). */
    NO_SESSION(401),
    /** The session existed but timed out (401). */
    SESSION_EXPIRED(401),
    /** The cookie was malformed, duplicated, unknown, or its session was ended (401). */
    SESSION_INVALID(401),
    /** The path needs an active platform and the session has none (409). */
    PLATFORM_REQUIRED(409),
    /** Unknown platform id, or another user's platform; the two are never told apart (404). */
    PLATFORM_NOT_FOUND(404),
    /** The user's own platform connection, but it is inactive (403). */
    PLATFORM_FORBIDDEN(403),
    /** Missing or wrong CSRF token, cross-site Fetch Metadata, or a foreign Origin (403). */
    CSRF_INVALID(403),
    /**
     * The request cannot be served as sent. Normally 400 (bad body, wrong content type or charset,
     * non-numeric id), but also sent with: 405 (wrong method on an endpoint, with {@code Allow}),
     * 403 (unknown or inactive user at login), 409 (a concurrent session update gave up) and 429
     * (the user's session limit under the REFUSE policy). Clients should branch on the status too.
     */
    BAD_REQUEST(400),
    /**
     * This client (IP) presented too many unknown session tokens and is cooling down: its session
     * cookies cannot be checked until the {@code Retry-After} seconds have passed. Not a logout:
     * the cookie is kept (429).
     */
    TOO_MANY_REQUESTS(429),
    /** The session store cannot answer right now; retry after the {@code Retry-After} seconds (503). */
    STORE_UNAVAILABLE(503);

    private final int status;

    ErrorCode(int status) {
        this.status = status;
    }

    /**
     * The HTTP status this code is normally sent with (for {@link #BAD_REQUEST} the actual status
     * may differ, see there).
     *
     * @return the status code
     */
    public int status() {
        return status;
    }
}
