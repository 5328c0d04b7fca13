package io.platformsessions.servlet;

import io.platformsessions.ClientInfo;
import io.platformsessions.CreatedSession;
import io.platformsessions.CsrfSecrets;
import io.platformsessions.PlatformContext;
import io.platformsessions.SessionLookup;
import io.platformsessions.SessionManager;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Everything the filter knows about one request: the lookup outcome, the live context (which
 * changes when the request logs in, switches platform, rotates or logs out), and the pre-session
 * CSRF secret. Bound to the request as an attribute and, while the filter chain runs, to the
 * thread. Used by one request; the fields are volatile so an async continuation sees them.
 */
final class RequestState {
    /** Request attribute holding this object. */
    static final String ATTRIBUTE = RequestState.class.getName();
    private static final ThreadLocal<RequestState> CURRENT = new ThreadLocal<>();

    final HttpServletRequest request;
    final HttpServletResponse response;
    final FilterSettings settings;
    final ClientInfo client;
    final SessionCookies.Presented presentedCookie;
    private volatile SessionLookup.Status status;
    private volatile PlatformContext context;
    private volatile boolean createdHere;
    private volatile String preSessionSecret;
    /** The presented pre-session cookie, parsed once (guarded by this). */
    private SessionCookies.Presented presentedPreSession;
    private volatile PlatformHttpSession facade;

    RequestState(HttpServletRequest request, HttpServletResponse response, FilterSettings settings, ClientInfo client,
                 SessionCookies.Presented presentedCookie, SessionLookup lookup) {
        this.request = request;
        this.response = response;
        this.settings = settings;
        this.client = client;
        this.presentedCookie = presentedCookie;
        this.status = lookup.status();
        this.context = lookup.context();
    }

    static RequestState current() {
        return CURRENT.get();
    }

    static RequestState bind(RequestState state) {
        RequestState previous = CURRENT.get();
        CURRENT.set(state);
        return previous;
    }

    static void unbind(RequestState previous) {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }

    /** The state of a request the filter has seen (looks through wrappers via the attribute). */
    static RequestState of(HttpServletRequest request) {
        Object o = request.getAttribute(ATTRIBUTE);
        return o instanceof RequestState s ? s : null;
    }

    static RequestState require(HttpServletRequest request) {
        RequestState s = of(request);
        if (s == null) {
            throw new IllegalStateException("PlatformSessionFilter has not processed this request: "
                    + "register it for every path that uses sessions (url pattern /*)");
        }
        return s;
    }

    SessionManager manager() {
        return settings.manager();
    }

    PlatformContext context() {
        return context;
    }

    SessionLookup.Status status() {
        return status;
    }

    boolean createdHere() {
        return createdHere;
    }

    /** The context changed within the same session (switch, attribute, rotate). */
    synchronized void update(PlatformContext next) {
        this.context = next;
        this.status = SessionLookup.Status.ACTIVE;
        request.setAttribute(PlatformSessionFilter.CONTEXT_ATTRIBUTE, next);
    }

    /** A new session was created and its cookie set. */
    synchronized void loggedIn(CreatedSession created) {
        this.facade = null;
        this.createdHere = true;
        update(created.context());
        if (preSessionSecret != null || presentedPreSession().present()) {
            SessionCookies.put(response, SessionCookies.expiredPreSessionCookie(settings));
        }
        preSessionSecret = null;
    }

    /** The session was ended. */
    synchronized void loggedOut() {
        this.context = null;
        this.facade = null;
        this.createdHere = false;
        this.status = SessionLookup.Status.ABSENT;
        request.removeAttribute(PlatformSessionFilter.CONTEXT_ATTRIBUTE);
    }

    private synchronized SessionCookies.Presented presentedPreSession() {
        if (presentedPreSession == null) {
            presentedPreSession = SessionCookies.read(request, settings.preSessionCsrfCookieName());
        }
        return presentedPreSession;
    }

    synchronized String preSessionSecret(boolean create) {
        if (preSessionSecret != null) {
            return preSessionSecret;
        }
        SessionCookies.Presented p = presentedPreSession();
        if (p.kind() == SessionCookies.Kind.ONE && CsrfSecrets.isSecret(p.value())) {
            return p.value();
        }
        if (!create) {
            return null;
        }
        String secret = CsrfSecrets.newSecret(CsrfGuard.PRE_SESSION_RANDOM);
        SessionCookies.put(response, SessionCookies.preSessionCookie(settings, secret));
        preSessionSecret = secret;
        return secret;
    }

    synchronized PlatformHttpSession facade() {
        PlatformContext c = context;
        if (c == null) {
            return null;
        }
        if (facade == null || !facade.sessionId().equals(c.sessionId())) {
            facade = new PlatformHttpSession(this, c.sessionId());
        }
        return facade;
    }
}
