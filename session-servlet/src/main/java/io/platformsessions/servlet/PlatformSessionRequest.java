package io.platformsessions.servlet;

import io.platformsessions.SessionLookup;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpSession;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The request the application sees behind the filter: {@code getSession}, {@code changeSessionId}
 * and the requested-session-id queries answer from the platform session, never from the
 * container's own sessions; the attributes {@link PlatformSessionFilter#CONTEXT_ATTRIBUTE} and
 * {@link RequestState#ATTRIBUTE} answer from the request's state (read-only: setting them changes
 * nothing), so the container's request needs no attribute map for them. Used by one request.
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
    public Object getAttribute(String name) {
        if (PlatformSessionFilter.CONTEXT_ATTRIBUTE.equals(name)) {
            return state.context();
        }
        if (RequestState.ATTRIBUTE.equals(name)) {
            return state;
        }
        return super.getAttribute(name);
    }

    /**
     * Starts async processing after putting the request's state on the container's request: the
     * {@link AsyncContext} of the no-argument form hands out the container's request, which another
     * thread may read before the filter returns.
     *
     * @throws IllegalStateException as the container's {@code startAsync()}
     */
    @Override
    public AsyncContext startAsync() {
        state.publish();
        return super.startAsync();
    }

    /**
     * Starts async processing after putting the request's state on the container's request (see
     * {@link #startAsync()}).
     *
     * @throws IllegalStateException as the container's {@code startAsync(request, response)}
     */
    @Override
    public AsyncContext startAsync(ServletRequest servletRequest, ServletResponse servletResponse) {
        state.publish();
        return super.startAsync(servletRequest, servletResponse);
    }

    @Override
    public Enumeration<String> getAttributeNames() {
        Set<String> names = new LinkedHashSet<>(Collections.list(super.getAttributeNames()));
        names.add(RequestState.ATTRIBUTE);
        if (state.context() != null) {
            names.add(PlatformSessionFilter.CONTEXT_ATTRIBUTE);
        } else {
            names.remove(PlatformSessionFilter.CONTEXT_ATTRIBUTE);
        }
        return Collections.enumeration(names);
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
