package io.platformsessions.servlet;

import io.platformsessions.ClientInfo;
import io.platformsessions.CreatedSession;
import io.platformsessions.CsrfSecrets;
import io.platformsessions.PlatformContext;
import io.platformsessions.SessionLookup;
import io.platformsessions.SessionManager;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

/**
 * What the filter knows about one request: what was presented and what the lookup found, the live
 * context (which changes when the request logs in, switches platform, rotates or logs out), and the
 * pre-session CSRF secret. Accessors and state transitions only: it writes no response. Bound to the
 * request as an attribute ({@link #publish()}) and, while the filter chain or a re-dispatch runs, to the
 * thread. Used by one request; the
 * mutable fields are volatile (or guarded by this) so an async continuation sees them.
 */
final class RequestState {
    /** Request attribute holding this object. */
    static final String ATTRIBUTE = RequestState.class.getName();
    private static final ThreadLocal<RequestState> CURRENT = new ThreadLocal<>();

    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final FilterParts parts;
    private final ClientInfo client;
    private final SessionCookies.Presented presentedCookie;
    // fields are kept few: one of these is allocated per request
    private final boolean resolved;
    private final boolean throttledAtLookup;
    private volatile SessionLookup.Status status;
    private volatile PlatformContext context;
    private volatile boolean createdHere;
    private volatile boolean presentedEnded;
    private volatile String issuedPreSessionSecret;
    /** The presented pre-session cookie, read once (guarded by this). */
    private SessionCookies.Presented presentedPreSession;
    /** The facade of the live session, or the placeholder, whichever getSession last handed out. */
    private volatile HttpSession session;

    /**
     * A request's state. {@code resolved} is false when the filter did not look the cookie up (a
     * CSRF-exempt path without the session opt-in), and the lookup is then ABSENT.
     */
    RequestState(HttpServletRequest request, HttpServletResponse response, FilterParts parts, ClientInfo client,
                 SessionCookies.Presented presentedCookie, boolean resolved, SessionLookup lookup) {
        this.request = request;
        this.response = response;
        this.parts = parts;
        this.client = client;
        this.presentedCookie = presentedCookie;
        this.resolved = resolved;
        this.throttledAtLookup = lookup.status() == SessionLookup.Status.THROTTLED;
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
        // set(null) rather than remove(): the thread's map keeps its entry (pointing at nothing), so the
        // next request on this thread does not allocate a new one; nothing of the request stays reachable
        CURRENT.set(previous);
    }

    /** The state of a request the filter has seen (looks through wrappers via the attribute). */
    static RequestState of(HttpServletRequest request) {
        Object o = request.getAttribute(ATTRIBUTE);
        return o instanceof RequestState s ? s : null;
    }

    /**
     * Puts this state on the container's request as the attributes {@link #ATTRIBUTE} and
     * {@link PlatformSessionFilter#CONTEXT_ATTRIBUTE} (removed without a session); every state change
     * publishes again. Not synchronized: the filter calls it before any other thread can see this state,
     * the state transitions with this object's lock held.
     */
    void publish() {
        request.setAttribute(ATTRIBUTE, this);
        PlatformContext c = context;
        if (c != null) {
            request.setAttribute(PlatformSessionFilter.CONTEXT_ATTRIBUTE, c);
        } else {
            request.removeAttribute(PlatformSessionFilter.CONTEXT_ATTRIBUTE);
        }
    }

    static RequestState require(HttpServletRequest request) {
        RequestState s = of(request);
        if (s == null) {
            throw new IllegalStateException("PlatformSessionFilter has not processed this request: "
                    + "register it for every path that uses sessions (url pattern /*)");
        }
        return s;
    }

    HttpServletRequest request() {
        return request;
    }

    HttpServletResponse response() {
        return response;
    }

    FilterParts parts() {
        return parts;
    }

    FilterSettings settings() {
        return parts.settings();
    }

    SessionManager manager() {
        return parts.settings().manager();
    }

    ClientInfo client() {
        return client;
    }

    SessionCookies.Presented presentedCookie() {
        return presentedCookie;
    }

    /** Whether the filter looked the session cookie up (false on a CSRF-exempt path without the session opt-in). */
    boolean resolved() {
        return resolved;
    }

    /** Whether the lookup was THROTTLED when the request arrived (the engine did not check the cookie). */
    boolean throttledAtLookup() {
        return throttledAtLookup;
    }

    /** The current status: ACTIVE after a login or update in this request, ABSENT after a logout. */
    SessionLookup.Status status() {
        return status;
    }

    PlatformContext context() {
        return context;
    }

    boolean createdHere() {
        return createdHere;
    }

    /** Whether the presented session has been ended in this request (by logout or login). */
    boolean presentedEnded() {
        return presentedEnded;
    }

    void presentedSessionEnded() {
        this.presentedEnded = true;
    }

    /** The context changed within the same session (switch, attribute, rotate). */
    synchronized void update(PlatformContext next) {
        this.context = next;
        this.status = SessionLookup.Status.ACTIVE;
        publish();
    }

    /** A new session was created (its cookie is set by the caller). */
    synchronized void loggedIn(CreatedSession created) {
        this.createdHere = true;
        this.issuedPreSessionSecret = null;
        update(created.context());
    }

    /** The session was ended. */
    synchronized void loggedOut() {
        this.context = null;
        this.createdHere = false;
        this.status = SessionLookup.Status.ABSENT;
        publish();
    }

    /** The presented pre-session cookie, read from the raw headers on first use. */
    synchronized SessionCookies.Presented presentedPreSession() {
        if (presentedPreSession == null) {
            presentedPreSession = SessionCookies.read(request, parts.settings().preSessionCsrfCookieName());
        }
        return presentedPreSession;
    }

    /** The pre-session secret: the one issued in this response, else a well-formed presented one, else null. */
    String preSessionSecret() {
        String issued = issuedPreSessionSecret;
        if (issued != null) {
            return issued;
        }
        SessionCookies.Presented p = presentedPreSession();
        return p.kind() == SessionCookies.Kind.ONE && CsrfSecrets.isSecret(p.value()) ? p.value() : null;
    }

    /** Whether this response issued a pre-session secret. */
    boolean issuedPreSessionSecret() {
        return issuedPreSessionSecret != null;
    }

    void issuedPreSessionSecret(String secret) {
        this.issuedPreSessionSecret = secret;
    }

    /** The HttpSession of the live platform session (one per session id), or null without one. */
    synchronized PlatformHttpSession facade() {
        PlatformContext c = context;
        if (c == null) {
            return null;
        }
        if (session instanceof PlatformHttpSession f && f.sessionId().equals(c.sessionId())) {
            return f;
        }
        PlatformHttpSession f = new PlatformHttpSession(this, c.sessionId());
        session = f;
        return f;
    }

    /**
     * The request-scoped placeholder {@code getSession(true)} returns without a platform session; the
     * same one until the request gets a session (a logout after that gets a new one).
     */
    synchronized PlaceholderHttpSession placeholder() {
        if (session instanceof PlaceholderHttpSession p) {
            return p;
        }
        PlaceholderHttpSession p = new PlaceholderHttpSession(this);
        session = p;
        return p;
    }
}
