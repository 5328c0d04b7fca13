package io.platformsessions.servlet;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSession;
import java.util.Collections;
import java.util.Enumeration;
import java.util.UUID;

/**
 * What {@code getSession()} / {@code getSession(true)} return while the request has no platform
 * session: the request's session-to-be. A platform session belongs to an authenticated user, so it
 * is never created here (only {@link PlatformSessions#login}); this object lets code that merely
 * asks for "the session" (many frameworks do) carry on instead of failing.
 *
 * <p>Without a session it holds nothing and never pretends to: {@link #isNew()} is {@code true},
 * reads are empty, {@link #removeAttribute}, {@code setAttribute(name, null)} and
 * {@link #invalidate()} have nothing to do (but see {@link #invalidate()} for a cookie the filter
 * could not check), and {@code setAttribute(name, value)} throws
 * {@link IllegalStateException} saying how to create a session, so no value is ever dropped
 * silently. Once the request logs in, every call goes to the new platform session, so a reference
 * taken before the login keeps working. {@link #getId()} is a random id of this request, never
 * equal to a platform session id. Used by one request.
 */
final class PlaceholderHttpSession implements HttpSession {
    private final RequestState state;
    private final String id;
    private final long createdAt;

    PlaceholderHttpSession(RequestState state) {
        this.state = state;
        this.id = "placeholder-" + UUID.randomUUID();
        this.createdAt = state.settings().clock().millis();
    }

    /** The platform session, once the request has one. */
    private HttpSession live() {
        return state.facade();
    }

    @Override
    public long getCreationTime() {
        HttpSession s = live();
        return s == null ? createdAt : s.getCreationTime();
    }

    @Override
    public String getId() {
        HttpSession s = live();
        return s == null ? id : s.getId();
    }

    @Override
    public long getLastAccessedTime() {
        HttpSession s = live();
        return s == null ? createdAt : s.getLastAccessedTime();
    }

    @Override
    public ServletContext getServletContext() {
        return state.request().getServletContext();
    }

    /** Ignored, as on the platform session: timeouts come from {@code SessionConfig}. */
    @Override
    public void setMaxInactiveInterval(int interval) {
        HttpSession s = live();
        if (s != null) {
            s.setMaxInactiveInterval(interval);
        }
    }

    @Override
    public int getMaxInactiveInterval() {
        return state.settings().maxInactiveSeconds();
    }

    @Override
    public Object getAttribute(String name) {
        HttpSession s = live();
        return s == null ? null : s.getAttribute(name);
    }

    @Override
    public Enumeration<String> getAttributeNames() {
        HttpSession s = live();
        return s == null ? Collections.emptyEnumeration() : s.getAttributeNames();
    }

    /**
     * Stores the value in the platform session once there is one.
     *
     * @throws IllegalStateException without a platform session (unless {@code value} is null, which
     *     removes nothing)
     */
    @Override
    public void setAttribute(String name, Object value) {
        HttpSession s = live();
        if (s != null) {
            s.setAttribute(name, value);
            return;
        }
        if (value == null) {
            return;
        }
        throw new IllegalStateException("no platform session, so HttpSession.setAttribute(\"" + shortName(name)
                + "\") has nowhere to keep the value: a platform session belongs to an authenticated user and is "
                + "created with PlatformSessions.login(request, response, userId); after that request.getSession() "
                + "(and this object) is that session" + hint());
    }

    @Override
    public void removeAttribute(String name) {
        HttpSession s = live();
        if (s != null) {
            s.removeAttribute(name);
        }
    }

    /**
     * Ends the request's session once there is one. Without one there is nothing to end, unless the
     * request presented a session cookie the filter could not check (a throttled lookup): that
     * session is ended by its key and the cookie expired, as {@link PlatformSessions#logout} does.
     */
    @Override
    public void invalidate() {
        HttpSession s = live();
        if (s != null) {
            s.invalidate();
        } else if (SessionLifecycle.presentedUnchecked(state)) {
            SessionLifecycle.logout(state, state.response());
        }
    }

    @Override
    public boolean isNew() {
        HttpSession s = live();
        return s == null || s.isNew();
    }

    /** Extra advice for the message: on an exempt path the session cookie was deliberately not used. */
    private String hint() {
        return state.resolved() ? "" : " (this path is CSRF-exempt: the filter resolves the session there only for "
                + "paths listed in csrfExemptPathsWithSession)";
    }

    private static String shortName(String name) {
        return name == null ? "null" : name.length() > 64 ? name.substring(0, 64) + "…" : name;
    }

    @Override
    public String toString() {
        return "PlaceholderHttpSession[" + id + "]";
    }
}
