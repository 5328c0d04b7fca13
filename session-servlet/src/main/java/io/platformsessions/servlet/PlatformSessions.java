package io.platformsessions.servlet;

import io.platformsessions.PlatformContext;
import io.platformsessions.SessionManager;
import io.platformsessions.SessionNotFoundException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Objects;
import java.util.Optional;

/**
 * Static helpers for application code running behind {@link PlatformSessionFilter}: the current
 * context, login (session creation with fixation defence), logout, and CSRF tokens for pages.
 * Thread-safe. Every method needs a request the filter has processed and throws
 * {@link IllegalStateException} otherwise.
 */
public final class PlatformSessions {
    private PlatformSessions() {
    }

    /**
     * The current live session of the request, if any (it reflects logins, switches and logouts
     * made earlier in the same request).
     *
     * @param request a request that went through the filter
     * @return the context, or empty when there is no live session
     * @throws IllegalStateException if the filter has not processed the request
     */
    public static Optional<PlatformContext> context(HttpServletRequest request) {
        return Optional.ofNullable(RequestState.require(request).context());
    }

    /**
     * The current live session of the request.
     *
     * @param request a request that went through the filter
     * @return the context
     * @throws SessionNotFoundException if there is none (the filter turns it into 401 NO_SESSION,
     *     or a redirect to the login page for a browser)
     * @throws IllegalStateException if the filter has not processed the request
     */
    public static PlatformContext requireContext(HttpServletRequest request) {
        PlatformContext c = RequestState.require(request).context();
        if (c == null) {
            throw new SessionNotFoundException("(none)");
        }
        return c;
    }

    /**
     * The context bound to the current thread by the filter (while the filter chain runs on it),
     * for code that has no request at hand.
     *
     * @return the context, or empty outside a filtered request or without a session
     */
    public static Optional<PlatformContext> currentContext() {
        RequestState s = RequestState.current();
        return s == null ? Optional.empty() : Optional.ofNullable(s.context());
    }

    /**
     * The manager the filter uses.
     *
     * @param request a request that went through the filter
     * @return the manager
     * @throws IllegalStateException if the filter has not processed the request
     */
    public static SessionManager manager(HttpServletRequest request) {
        return RequestState.require(request).manager();
    }

    /**
     * Starts a session after the application authenticated the user, on the user's default
     * platform (if any). Any session the request had is ended first and a new token is always
     * issued (session-fixation defence); the cookie is set, the response marked
     * {@code Cache-Control: no-store}, and the pre-session CSRF cookie expired. A
     * {@code Clear-Site-Data: "cookies"} set earlier in the same response (by {@link #logout})
     * is withdrawn, so the browser keeps the new cookie.
     *
     * @param request the request (through the filter)
     * @param response its response, not yet committed
     * @param userId the authenticated user
     * @return the new session's context
     * @throws io.platformsessions.InvalidUserException if the user is unknown or inactive
     * @throws io.platformsessions.SessionLimitException if the user is at the limit under REFUSE
     * @throws io.platformsessions.SessionStoreException if the store fails
     * @throws IllegalStateException if the filter has not processed the request or the response is committed
     */
    public static PlatformContext login(HttpServletRequest request, HttpServletResponse response, String userId) {
        return login(request, response, userId, null);
    }

    /**
     * Like {@link #login(HttpServletRequest, HttpServletResponse, String)} but starts on a given
     * platform connection.
     *
     * @param request the request (through the filter)
     * @param response its response, not yet committed
     * @param userId the authenticated user
     * @param platformId a platform connection the user owns and that is active
     * @return the new session's context
     * @throws io.platformsessions.InvalidUserException if the user is unknown or inactive
     * @throws io.platformsessions.InvalidPlatformException if the platform is unknown, someone else's or inactive
     * @throws io.platformsessions.SessionLimitException if the user is at the limit under REFUSE
     * @throws io.platformsessions.SessionStoreException if the store fails
     * @throws IllegalStateException if the filter has not processed the request or the response is committed
     */
    public static PlatformContext login(HttpServletRequest request, HttpServletResponse response, String userId,
                                        long platformId) {
        return login(request, response, userId, Long.valueOf(platformId));
    }

    private static PlatformContext login(HttpServletRequest request, HttpServletResponse response, String userId,
                                         Long platformId) {
        RequestState state = RequestState.require(request);
        return SessionLifecycle.login(state, Objects.requireNonNull(response, "response"), userId, platformId);
    }

    /**
     * Ends the request's session (if any), expires the session cookie and sends
     * {@code Clear-Site-Data: "cookies"} and {@code Cache-Control: no-store}. Never throttled: a
     * session cookie the filter could not check (its client address was cooling down after token
     * guessing) is ended by its key. If the store cannot end the session, the
     * {@link io.platformsessions.SessionStoreException} propagates before the cookie is touched
     * (the filter answers 503 and the browser keeps its cookie), so the browser is never told
     * "logged out" while the session lives on.
     *
     * @param request the request (through the filter)
     * @param response its response, not yet committed
     * @throws io.platformsessions.SessionStoreException if the store fails
     * @throws IllegalStateException if the filter has not processed the request or the response is committed
     */
    public static void logout(HttpServletRequest request, HttpServletResponse response) {
        SessionLifecycle.logout(RequestState.require(request), Objects.requireNonNull(response, "response"));
    }

    /**
     * A masked CSRF token for a form field ({@code _csrf}) or a {@code <meta name="csrf-token">}
     * tag. With a session it is the session's token; without one (a login form) it is bound to a
     * pre-session cookie (double submit), which this call sets if needed. Different on every call
     * (BREACH), all valid.
     *
     * @param request the request (through the filter)
     * @param response its response; must not be committed when a pre-session cookie has to be set
     * @return an 86-character base64url token
     * @throws IllegalStateException if the filter has not processed the request, or a cookie must be
     *     set and the response is committed
     */
    public static String csrfToken(HttpServletRequest request, HttpServletResponse response) {
        RequestState state = RequestState.require(request);
        PlatformContext c = state.context();
        if (c != null) {
            return state.manager().csrfToken(c);
        }
        return state.parts().csrf().preSessionToken(state);
    }
}
