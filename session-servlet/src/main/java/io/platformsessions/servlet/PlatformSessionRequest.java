package io.platformsessions.servlet;

import io.platformsessions.SessionLookup;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpSession;

/**
 * The request the application sees behind the filter: {@code getSession}, {@code changeSessionId}
 * and the requested-session-id queries answer from the platform session, never from the
 * container's own sessions. Used by one request.
 */
final class PlatformSessionRequest extends HttpServletRequestWrapper {
    private final RequestState state;

    PlatformSessionRequest(HttpServletRequest request, RequestState state) {
        super(request);
        this.state = state;
    }

    /**
     * The platform session; without one, {@code null} or (with {@code create}) the request's
     * {@link PlaceholderHttpSession}, which refuses to store values: a platform session belongs to
     * an authenticated user and is created only by
     * {@link PlatformSessions#login(HttpServletRequest, jakarta.servlet.http.HttpServletResponse, String)}.
     */
    @Override
    public HttpSession getSession(boolean create) {
        HttpSession s = state.facade();
        return s != null || !create ? s : state.placeholder();
    }

    @Override
    public HttpSession getSession() {
        return getSession(true);
    }

    /**
     * Rotates the session token (new cookie, old token dead at once) and returns the stable session id.
     *
     * @throws IllegalStateException without a platform session (there is no id to change: log in instead)
     */
    @Override
    public String changeSessionId() {
        return SessionLifecycle.rotate(state);
    }

    @Override
    public String getRequestedSessionId() {
        return state.presentedCookie().present() && state.status() == SessionLookup.Status.ACTIVE
                && state.context() != null && !state.createdHere() ? state.context().sessionId() : null;
    }

    @Override
    public boolean isRequestedSessionIdValid() {
        return getRequestedSessionId() != null;
    }

    @Override
    public boolean isRequestedSessionIdFromCookie() {
        return state.presentedCookie().present();
    }

    @Override
    public boolean isRequestedSessionIdFromURL() {
        return false;
    }
}
