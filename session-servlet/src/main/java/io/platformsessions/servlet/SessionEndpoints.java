package io.platformsessions.servlet;

import io.platformsessions.ActivePlatform;
import io.platformsessions.InvalidPlatformException;
import io.platformsessions.PlatformConnection;
import io.platformsessions.PlatformContext;
import io.platformsessions.SessionKey;
import io.platformsessions.SessionLookup;
import io.platformsessions.SessionSummary;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON endpoints under the prefix and the sync script. Every error goes through the
 * {@link ErrorResponder}; every body's shape comes from {@link SessionJson}. Thread-safe
 * (immutable after construction).
 */
final class SessionEndpoints {
    /** Largest request body accepted by POST /platform. */
    static final int MAX_BODY_BYTES = 4096;
    private static final String SCRIPT_RESOURCE = "sync.js";

    enum Endpoint { STATE, PLATFORM, PLATFORMS, DEVICES, LOGOUT, LOGOUT_OTHERS, SYNC_JS }

    private final FilterSettings settings;
    private final CsrfPolicy csrf;
    private final ErrorResponder responder;
    /** The endpoint prefix + "/", precomputed for the per-request match. */
    private final String prefixSlash;
    private final byte[] script;
    private final String scriptEtag;

    SessionEndpoints(FilterSettings settings, CsrfPolicy csrf, ErrorResponder responder) {
        this.settings = settings;
        this.csrf = csrf;
        this.responder = responder;
        this.prefixSlash = settings.endpointPrefix() + "/";
        this.script = loadScript();
        this.scriptEtag = "\"" + sha256Hex(script).substring(0, 32) + "\"";
    }

    private static byte[] loadScript() {
        try (InputStream in = SessionEndpoints.class.getResourceAsStream(SCRIPT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("session-servlet jar is missing its resource " + SCRIPT_RESOURCE);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + SCRIPT_RESOURCE, e);
        }
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** The endpoint at this path, or null. */
    Endpoint match(String path) {
        if (path == null || !path.startsWith(prefixSlash)) {
            return null;
        }
        return switch (path.substring(prefixSlash.length() - 1)) {
            case "/state" -> Endpoint.STATE;
            case "/platform" -> Endpoint.PLATFORM;
            case "/platforms" -> Endpoint.PLATFORMS;
            case "/devices" -> Endpoint.DEVICES;
            case "/logout" -> Endpoint.LOGOUT;
            case "/logout-others" -> Endpoint.LOGOUT_OTHERS;
            case "/sync.js" -> Endpoint.SYNC_JS;
            default -> null;
        };
    }

    private static boolean isGet(Endpoint e) {
        return e == Endpoint.STATE || e == Endpoint.DEVICES || e == Endpoint.PLATFORMS || e == Endpoint.SYNC_JS;
    }

    /**
     * Whether a request to this endpoint is a background check that must not count as activity: one of
     * the session's GET endpoints (state, devices, platforms) with an {@code activity} query parameter
     * other than {@code true} ({@code activity=false}; any other value is refused with 400 by
     * {@link #handle}, and is not counted either). The filter then resolves the session with
     * {@link io.platformsessions.SessionManager#lookupWithoutActivity}.
     */
    static boolean withoutActivity(Endpoint endpoint, HttpServletRequest request) {
        if (endpoint != Endpoint.STATE && endpoint != Endpoint.DEVICES && endpoint != Endpoint.PLATFORMS) {
            return false;
        }
        String activity = activityParameter(request.getQueryString());
        return activity != null && !"true".equals(activity);
    }

    /**
     * The raw value of the {@code activity} parameter of a query string: null if absent, {@code "?"} if
     * it is given more than once (never a valid value). Parameter names are compared undecoded.
     */
    static String activityParameter(String query) {
        if (query == null || query.isEmpty()) {
            return null;
        }
        String found = null;
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            if ("activity".equals(eq < 0 ? pair : pair.substring(0, eq))) {
                if (found != null) {
                    return "?";
                }
                found = eq < 0 ? "" : pair.substring(eq + 1);
            }
        }
        return found;
    }

    void serveScript(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!methodAllowed(request, response, Endpoint.SYNC_JS)) {
            return;
        }
        response.setHeader("Cache-Control", "public, max-age=3600");
        response.setHeader("ETag", scriptEtag);
        response.setHeader("X-Content-Type-Options", "nosniff");
        String ifNoneMatch = request.getHeader("If-None-Match");
        if (ifNoneMatch != null && (ifNoneMatch.contains(scriptEtag) || "*".equals(ifNoneMatch.trim()))) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        response.setStatus(200);
        response.setContentType("text/javascript;charset=UTF-8");
        response.setContentLength(script.length);
        if (!"HEAD".equals(request.getMethod())) {
            try (OutputStream out = response.getOutputStream()) {
                out.write(script);
            }
        }
    }

    /** Serves one endpoint; the filter has already checked provenance for unsafe methods. */
    void handle(Endpoint endpoint, RequestState state) throws IOException {
        HttpServletRequest request = state.request();
        HttpServletResponse response = state.response();
        if (!methodAllowed(request, response, endpoint)) {
            return;
        }
        String activity = isGet(endpoint) ? activityParameter(request.getQueryString()) : null;
        if (activity != null && !"true".equals(activity) && !"false".equals(activity)) {
            responder.badRequest(request, response, "the activity parameter must be true or false");
            return;
        }
        if (endpoint == Endpoint.LOGOUT) {
            logout(state);
            return;
        }
        PlatformContext context = state.context();
        if (context == null) {
            responder.noSession(state);
            return;
        }
        if (!isGet(endpoint) && !csrf.tokenValid(state)) {
            responder.tokenRefused(state);
            return;
        }
        response.setHeader("Cache-Control", "no-store");
        switch (endpoint) {
            case STATE -> Responses.json(response, 200, stateBody(state, context));
            case DEVICES -> devices(state, context);
            case PLATFORMS -> platforms(state, context);
            case PLATFORM -> switchPlatform(state, context);
            case LOGOUT_OTHERS -> Responses.json(response, 200,
                    SessionJson.invalidated(state.manager().invalidateOthers(context.key())));
            default -> throw new IllegalStateException("unexpected endpoint " + endpoint);
        }
    }

    private boolean methodAllowed(HttpServletRequest request, HttpServletResponse response, Endpoint endpoint)
            throws IOException {
        String method = request.getMethod();
        boolean get = isGet(endpoint);
        boolean ok = get ? "GET".equals(method) || "HEAD".equals(method) : "POST".equals(method);
        if (!ok) {
            responder.methodNotAllowed(request, response, get ? "GET, HEAD" : "POST");
        }
        return ok;
    }

    /**
     * Logout is never throttled. A session the lookup could not check (THROTTLED: the engine did not
     * look) is read by its key, which skips the limiter, so its CSRF token is still verified; then
     * the presented session is ended by key. Duplicated session cookies (cookie tossing): see
     * {@link #duplicatesVerified}. A dead or absent cookie gets the usual 401 and is expired (its
     * session is already gone).
     */
    private void logout(RequestState state) throws IOException {
        PlatformContext context = state.context();
        if (context == null && state.presentedCookie().kind() == SessionCookies.Kind.DUPLICATE) {
            if (!duplicatesVerified(state)) {
                return;
            }
        } else if (context == null) {
            if (!SessionLifecycle.presentedUnchecked(state)) {
                responder.noSession(state);
                return;
            }
            SessionKey key = SessionLifecycle.presentedKey(state);
            Optional<PlatformContext> live = key == null ? Optional.empty() : state.manager().peek(key);
            if (live.isPresent() && !csrf.tokenValid(state, live.get())) {
                responder.csrfRefused(state);
                return;
            }
        } else if (!csrf.tokenValid(state)) {
            responder.tokenRefused(state);
            return;
        }
        HttpServletRequest request = state.request();
        HttpServletResponse response = state.response();
        SessionLifecycle.logout(state, response);
        if (Responses.wantsHtml(request) && settings.loginPage() != null) {
            Responses.redirect(request, response, settings.loginPage());
        } else {
            Responses.json(response, 200, SessionJson.loggedOut(settings.loginPage() == null ? null
                    : Responses.target(request, settings.loginPage())));
        }
    }

    /**
     * Logout with the session cookie sent more than once (another host of the site planted a second
     * one): the lookup used none of them, so each well-formed value (at most
     * {@link SessionLifecycle#MAX_PRESENTED_DUPLICATES}) is looked up without activity, with the limiter
     * and the client binding. The CSRF token must verify against one of the live sessions found; then
     * the logout ends every presented session by key. Answers (and returns false) otherwise: 429 when a
     * value could not be checked because the address is cooling down and none was live, 401 when none
     * is live (the cookies are expired), 403 when the token fits none of them.
     */
    private boolean duplicatesVerified(RequestState state) throws IOException {
        boolean live = false;
        boolean throttled = false;
        for (String value : SessionLifecycle.presentedDuplicates(state)) {
            SessionLookup found = state.manager().lookupWithoutActivity(value, state.client());
            if (found.status() == SessionLookup.Status.ACTIVE) {
                if (csrf.tokenValid(state, found.context())) {
                    return true;
                }
                live = true;
            } else if (found.status() == SessionLookup.Status.THROTTLED) {
                throttled = true;
            }
        }
        if (live) {
            responder.csrfRefused(state);
        } else if (throttled) {
            responder.throttled(state.request(), state.response());
        } else {
            responder.noSession(state);
        }
        return false;
    }

    private Map<String, Object> stateBody(RequestState state, PlatformContext context) {
        return SessionJson.state(context.toClientView(), context.sessionId(), state.manager().csrfToken(context));
    }

    private void devices(RequestState state, PlatformContext context) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (SessionSummary s : state.manager().activeSessions(context.userId())) {
            out.add(SessionJson.device(s, s.key().equals(context.key())));
        }
        Responses.json(state.response(), 200, SessionJson.devices(out));
    }

    /**
     * The user's platform connections (from the manager's directory, or the one the filter was given),
     * the session's active one marked current.
     */
    private void platforms(RequestState state, PlatformContext context) throws IOException {
        Long current = context.platform().map(ActivePlatform::id).orElse(null);
        List<PlatformConnection> connections = settings.platformDirectory() != null
                ? settings.platformDirectory().findByUser(context.userId())
                : state.manager().platformConnections(context.userId());
        Responses.json(state.response(), 200, SessionJson.platforms(connections, current));
    }

    private void switchPlatform(RequestState state, PlatformContext context) throws IOException {
        HttpServletRequest request = state.request();
        HttpServletResponse response = state.response();
        String type = ContentTypes.header(request);
        if (!ContentTypes.JSON.equals(ContentTypes.mediaType(type))) {
            responder.badRequest(request, response, "expected Content-Type application/json");
            return;
        }
        if (!ContentTypes.charsetSupported(type, true)) {
            responder.badRequest(request, response, "JSON must be UTF-8 (unsupported charset)");
            return;
        }
        String body = readBody(request);
        if (body == null) {
            responder.badRequest(request, response, "request body missing or larger than " + MAX_BODY_BYTES
                    + " bytes");
            return;
        }
        Long platformId = parsePlatformId(body);
        if (platformId == null) {
            responder.badRequest(request, response, "expected a JSON object {\"platformId\": <integer>}");
            return;
        }
        if (platformId <= 0) {
            responder.invalidPlatform(request, response, InvalidPlatformException.Reason.NOT_FOUND);
            return;
        }
        // InvalidPlatformException, SessionNotFoundException and store failures reach the responder via the filter
        PlatformContext next = state.manager().switchPlatform(context.key(), platformId);
        state.update(next);
        Responses.json(response, 200, stateBody(state, next));
    }

    /** Reads at most MAX_BODY_BYTES as UTF-8; null if larger or unreadable. */
    static String readBody(HttpServletRequest request) {
        long declared = request.getContentLengthLong();
        if (declared > MAX_BODY_BYTES) {
            return null;
        }
        try (InputStream in = request.getInputStream()) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            byte[] chunk = new byte[1024];
            int n;
            while ((n = in.read(chunk)) >= 0) {
                buf.write(chunk, 0, n);
                if (buf.size() > MAX_BODY_BYTES) {
                    return null;
                }
            }
            return buf.toString(StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The integral platformId of {@code {"platformId": n}}, or null for anything else. */
    static Long parsePlatformId(String body) {
        Object parsed;
        try {
            parsed = Responses.JSON_CODEC.anyFrom(body);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            return null;
        }
        Object id = map.get("platformId");
        if (id instanceof Integer || id instanceof Long || id instanceof Short || id instanceof Byte) {
            return ((Number) id).longValue();
        }
        if (id instanceof BigInteger big && big.bitLength() < 64) {
            return big.longValue();
        }
        return null;
    }
}
