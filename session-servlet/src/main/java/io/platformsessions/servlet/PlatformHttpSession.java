package io.platformsessions.servlet;

import io.platformsessions.PlatformContext;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSession;
import java.time.Instant;
import java.util.Collections;
import java.util.Enumeration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link HttpSession} backed by the request's platform session. Attributes are stored through
 * {@code SessionManager.setAttribute} as JSON and read back as JSON types (String, Number, Boolean,
 * Map, List). {@link #getId()} is the stable, non-secret session id (never the cookie token).
 * One instance per request and session; safe to use from the request's threads.
 */
final class PlatformHttpSession implements HttpSession {
    private static final Logger LOG = LoggerFactory.getLogger(PlatformHttpSession.class);
    private final RequestState state;
    private final String sessionId;

    PlatformHttpSession(RequestState state, String sessionId) {
        this.state = state;
        this.sessionId = sessionId;
    }

    String sessionId() {
        return sessionId;
    }

    private PlatformContext live() {
        PlatformContext c = state.context();
        if (c == null || !c.sessionId().equals(sessionId)) {
            throw new IllegalStateException("the session has been invalidated");
        }
        return c;
    }

    private Instant now() {
        return state.settings().clock().instant();
    }

    @Override
    public long getCreationTime() {
        return live().createdAt().toEpochMilli();
    }

    @Override
    public String getId() {
        return sessionId;
    }

    @Override
    public long getLastAccessedTime() {
        return live().lastActivityAt().toEpochMilli();
    }

    @Override
    public ServletContext getServletContext() {
        return state.request().getServletContext();
    }

    /** Ignored: timeouts come from {@code SessionConfig} (idle and absolute) and are the same for every session. */
    @Override
    public void setMaxInactiveInterval(int interval) {
        LOG.debug("HttpSession.setMaxInactiveInterval({}) ignored: platform session timeouts come from SessionConfig",
                interval);
    }

    @Override
    public int getMaxInactiveInterval() {
        return state.settings().maxInactiveSeconds();
    }

    @Override
    public Object getAttribute(String name) {
        PlatformContext c = live();
        if (name == null) {
            return null;
        }
        return state.manager().getAttribute(c, name, Object.class).orElse(null);
    }

    @Override
    public Enumeration<String> getAttributeNames() {
        return Collections.enumeration(live().attributeNames(now()));
    }

    @Override
    public void setAttribute(String name, Object value) {
        PlatformContext c = live();
        if (name == null) {
            throw new IllegalArgumentException("attribute name must not be null");
        }
        state.update(value == null ? state.manager().removeAttribute(c.key(), name)
                : state.manager().setAttribute(c.key(), name, value));
    }

    @Override
    public void removeAttribute(String name) {
        PlatformContext c = live();
        if (name == null) {
            return;
        }
        state.update(state.manager().removeAttribute(c.key(), name));
    }

    @Override
    public void invalidate() {
        live();
        SessionLifecycle.logout(state, state.response());
    }

    @Override
    public boolean isNew() {
        live();
        return state.createdHere();
    }

    @Override
    public String toString() {
        return "PlatformHttpSession[" + sessionId + "]";
    }
}
