package io.platformsessions.servlet;

import io.platformsessions.ConcurrentSessionUpdateException;
import io.platformsessions.CsrfException;
import io.platformsessions.ElevationRequiredException;
import io.platformsessions.InvalidPlatformException;
import io.platformsessions.InvalidTokenException;
import io.platformsessions.InvalidUserException;
import io.platformsessions.SealedAttributeException;
import io.platformsessions.SessionException;
import io.platformsessions.SessionLimitException;
import io.platformsessions.SessionLookup;
import io.platformsessions.SessionNotFoundException;
import io.platformsessions.SessionStoreException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns what went wrong into an HTTP answer: lookup statuses, the filter's own
 * refusals and the {@link SessionException}s thrown by endpoints and application code, each to a
 * status and {@link ErrorCode}, a JSON body or a redirect, cookie clearing, {@code Retry-After} and
 * {@code Cache-Control}. The filter, the endpoints and (through the exceptions they throw) the
 * {@link PlatformSessions} helpers all answer through it. Nothing is written once the response is
 * committed. Immutable and thread-safe.
 */
final class ErrorResponder {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponder.class);
    /** {@code Allow} for TRACE: every method the filter lets through (it cannot know the application's own list). */
    static final String ALLOW_ALL_BUT_TRACE = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

    private final FilterSettings settings;
    private final String storeRetryAfter;
    private final String throttleRetryAfter;

    ErrorResponder(FilterSettings settings) {
        this.settings = settings;
        this.storeRetryAfter = Integer.toString(settings.retryAfterSeconds());
        this.throttleRetryAfter = Long.toString(settings.cooldownSeconds());
    }

    /**
     * Answers an exception from the endpoints or the application. {@code state} is null only when the
     * lookup itself failed.
     *
     * @return false for exceptions without an HTTP meaning (they propagate)
     */
    boolean answer(HttpServletRequest request, HttpServletResponse response, RequestState state, SessionException ex)
            throws IOException {
        if (ex instanceof SessionStoreException) {
            LOG.warn("session store unavailable for {} {}: {}", request.getMethod(), request.getRequestURI(),
                    ex.getMessage());
            storeUnavailable(request, response);
            return true;
        }
        LOG.debug("mapping {} from {} {} to an error response: {}", ex.getClass().getSimpleName(),
                request.getMethod(), request.getRequestURI(), ex.getMessage());
        if (ex instanceof SessionNotFoundException || ex instanceof InvalidTokenException) {
            if (state == null) {
                return false;
            }
            if (state.context() != null) {
                // the session the request was using ended under it (elsewhere, or concurrently)
                state.loggedOut();
                sessionEnded(state);
            } else {
                // requireContext() without a session: the lookup's own answer
                noSession(state);
            }
        } else if (ex instanceof InvalidPlatformException ip) {
            invalidPlatform(request, response, ip.reason());
        } else if (ex instanceof CsrfException) {
            error(request, response, ErrorCode.CSRF_INVALID, "missing or invalid CSRF token");
        } else if (ex instanceof InvalidUserException) {
            error(request, response, ErrorCode.USER_INVALID, "unknown or inactive user");
        } else if (ex instanceof SessionLimitException) {
            error(request, response, ErrorCode.SESSION_LIMIT, "too many sessions for this user");
        } else if (ex instanceof ConcurrentSessionUpdateException) {
            error(request, response, ErrorCode.CONCURRENT_UPDATE, "the session changed concurrently; try again");
        } else if (ex instanceof ElevationRequiredException) {
            error(request, response, ErrorCode.ELEVATION_REQUIRED, "this needs a recent re-authentication; "
                    + "sign in again to confirm, then retry");
        } else if (ex instanceof SealedAttributeException) {
            // altered in the store, or a retired key: the operator's problem, so a 5xx; the message names the
            // attribute and key id, never the value, and stays in the log
            LOG.warn("a secret session attribute could not be opened for {} {}: {}", request.getMethod(),
                    request.getRequestURI(), ex.getMessage());
            error(request, response, ErrorCode.INTERNAL_ERROR, "the server cannot read this session's data");
        } else {
            return false;
        }
        return true;
    }

    /**
     * No live session where one is needed: 429 while the lookup is throttled (the cookie may be fine
     * and is kept); else 401 (or a redirect to the login page for a browser asking for HTML), and a
     * presented cookie the lookup found dead is expired.
     */
    void noSession(RequestState state) throws IOException {
        HttpServletRequest request = state.request();
        HttpServletResponse response = state.response();
        SessionLookup.Status status = state.status();
        if (status == SessionLookup.Status.THROTTLED) {
            throttled(request, response);
            return;
        }
        if (response.isCommitted()) {
            return;
        }
        // a cookie the filter did not look up (exempt path) may be fine: it is never cleared
        if (state.resolved() && state.presentedCookie().present() && clearsCookie(status)) {
            SessionCookies.put(response, SessionCookies.expiredSessionCookie(settings));
        }
        if (loginRedirect(request, response)) {
            return;
        }
        ErrorCode code = switch (status) {
            case ABSENT, ACTIVE -> ErrorCode.NO_SESSION;
            case EXPIRED -> ErrorCode.SESSION_EXPIRED;
            case MALFORMED, NOT_FOUND, INVALIDATED, THROTTLED -> ErrorCode.SESSION_INVALID;
        };
        error(request, response, code, switch (code) {
            case SESSION_EXPIRED -> "the session has expired; log in again";
            case SESSION_INVALID -> "the session cookie is not valid; log in again";
            default -> "no session; log in first";
        });
    }

    /**
     * Whether a presented cookie is dead for this lookup status and should be expired: malformed
     * (also duplicated or over-long), unknown, expired, invalidated, or ABSENT after the session was
     * ended earlier in this request. Never for THROTTLED (the session may be fine) or ACTIVE.
     */
    static boolean clearsCookie(SessionLookup.Status status) {
        return switch (status) {
            case MALFORMED, NOT_FOUND, EXPIRED, INVALIDATED, ABSENT -> true;
            case THROTTLED, ACTIVE -> false;
        };
    }

    /** The session this request was using has ended: 401 SESSION_INVALID (or the login redirect), cookie expired. */
    void sessionEnded(RequestState state) throws IOException {
        HttpServletResponse response = state.response();
        if (response.isCommitted()) {
            return;
        }
        SessionCookies.put(response, SessionCookies.expiredSessionCookie(settings));
        if (!loginRedirect(state.request(), response)) {
            error(state.request(), response, ErrorCode.SESSION_INVALID, "the session has ended; log in again");
        }
    }

    private boolean loginRedirect(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (settings.loginPage() != null && Responses.wantsHtml(request)) {
            Responses.redirect(request, response, settings.loginPage());
            return true;
        }
        return false;
    }

    /** 429 TOO_MANY_REQUESTS with Retry-After = the engine's cool-down; the cookie is left alone. */
    void throttled(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.setHeader("Retry-After", throttleRetryAfter);
        response.setHeader("Cache-Control", "no-store");
        error(request, response, ErrorCode.TOO_MANY_REQUESTS,
                "too many unknown session tokens from this address; try again after Retry-After seconds");
    }

    /** 503 STORE_UNAVAILABLE with Retry-After; never "no session": the cookie is kept. */
    void storeUnavailable(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.setHeader("Retry-After", storeRetryAfter);
        response.setHeader("Cache-Control", "no-store");
        error(request, response, ErrorCode.STORE_UNAVAILABLE, "the session store is unavailable; try again shortly");
    }

    /** A refused provenance check (cross-site Fetch Metadata, foreign or malformed Origin): 403 CSRF_INVALID. */
    void provenanceRefused(HttpServletRequest request, HttpServletResponse response, String reason)
            throws IOException {
        LOG.debug("CSRF: {} on {} {}", reason, request.getMethod(), request.getRequestURI());
        error(request, response, ErrorCode.CSRF_INVALID, reason);
    }

    /**
     * The CSRF token did not verify: 403 CSRF_INVALID, unless the lookup was throttled, in which case
     * the session's token could not be checked at all: 429, cookie kept (neither a CSRF failure nor a logout).
     */
    void tokenRefused(RequestState state) throws IOException {
        if (state.status() == SessionLookup.Status.THROTTLED) {
            throttled(state.request(), state.response());
            return;
        }
        csrfRefused(state);
    }

    /** The CSRF token was checked and did not verify: 403 CSRF_INVALID. */
    void csrfRefused(RequestState state) throws IOException {
        LOG.debug("CSRF: missing or invalid token on {} {}", state.request().getMethod(),
                state.request().getRequestURI());
        error(state.request(), state.response(), ErrorCode.CSRF_INVALID, "missing or invalid CSRF token");
    }

    /** A platform-required path and the session has no platform: the picker page for HTML, else 409 PLATFORM_REQUIRED. */
    void platformRequired(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (settings.platformPickerPage() != null && Responses.wantsHtml(request)) {
            Responses.redirect(request, response, settings.platformPickerPage());
        } else {
            error(request, response, ErrorCode.PLATFORM_REQUIRED, "choose a platform connection first");
        }
    }

    /** 404 PLATFORM_NOT_FOUND (unknown or another user's: never told apart) or 403 PLATFORM_FORBIDDEN (own, inactive). */
    void invalidPlatform(HttpServletRequest request, HttpServletResponse response, InvalidPlatformException.Reason reason)
            throws IOException {
        if (reason == InvalidPlatformException.Reason.INACTIVE) {
            error(request, response, ErrorCode.PLATFORM_FORBIDDEN, "this platform connection is inactive");
        } else {
            error(request, response, ErrorCode.PLATFORM_NOT_FOUND, "no such platform");
        }
    }

    /** 405 METHOD_NOT_ALLOWED with {@code Allow}. */
    void methodNotAllowed(HttpServletRequest request, HttpServletResponse response, String allow) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.setHeader("Allow", allow);
        error(request, response, ErrorCode.METHOD_NOT_ALLOWED, "method " + safe(request.getMethod())
                + " not allowed here");
    }

    /** TRACE anywhere: 405 before any application code, so the request's headers (the Cookie) are never echoed. */
    void traceRefused(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        methodNotAllowed(request, response, ALLOW_ALL_BUT_TRACE);
    }

    /** 400 BAD_REQUEST: the request cannot be served as sent. */
    void badRequest(HttpServletRequest request, HttpServletResponse response, String message) throws IOException {
        error(request, response, ErrorCode.BAD_REQUEST, message);
    }

    private static void error(HttpServletRequest request, HttpServletResponse response, ErrorCode code,
                              String message) throws IOException {
        Responses.error(request, response, code, message);
    }

    private static String safe(String s) {
        if (s == null) {
            return "";
        }
        String t = s.length() > 20 ? s.substring(0, 20) : s;
        return t.replaceAll("[^A-Za-z0-9_-]", "?");
    }
}
