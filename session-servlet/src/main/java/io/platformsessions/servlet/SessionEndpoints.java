package io.platformsessions.servlet;

import io.platformsessions.InvalidPlatformException;
import io.platformsessions.PlatformContext;
import io.platformsessions.SessionLookup;
import io.platformsessions.SessionNotFoundException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON endpoints under the prefix and the sync script. Thread-safe (immutable after construction). */
final class SessionEndpoints {
    /** Largest request body accepted by POST /platform. */
    static final int MAX_BODY_BYTES = 4096;
    private static final String SCRIPT_RESOURCE = "sync.js";

    enum Endpoint { STATE, PLATFORM, DEVICES, LOGOUT, LOGOUT_OTHERS, SYNC_JS }

    private final FilterSettings settings;
    /** The endpoint prefix + "/", precomputed for the per-request match. */
    private final String prefixSlash;
    private final byte[] script;
    private final String scriptEtag;

    SessionEndpoints(FilterSettings settings) {
        this.settings = settings;
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

    Endpoint match(String path) {
        if (path == null || !path.startsWith(prefixSlash)) {
            return null;
        }
        return switch (path.substring(prefixSlash.length() - 1)) {
            case "/state" -> Endpoint.STATE;
            case "/platform" -> Endpoint.PLATFORM;
            case "/devices" -> Endpoint.DEVICES;
            case "/logout" -> Endpoint.LOGOUT;
            case "/logout-others" -> Endpoint.LOGOUT_OTHERS;
            case "/sync.js" -> Endpoint.SYNC_JS;
            default -> null;
        };
    }

    static boolean isGet(Endpoint e) {
        return e == Endpoint.STATE || e == Endpoint.DEVICES || e == Endpoint.SYNC_JS;
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

    void handle(Endpoint endpoint, RequestState state) throws IOException {
        HttpServletRequest request = state.request;
        HttpServletResponse response = state.response;
        if (!methodAllowed(request, response, endpoint)) {
            return;
        }
        PlatformContext context = state.context();
        if (context == null) {
            unauthorized(state);
            return;
        }
        if (!isGet(endpoint) && !CsrfGuard.tokenValid(state)) {
            Responses.error(response, ErrorCode.CSRF_INVALID, "missing or invalid CSRF token");
            return;
        }
        response.setHeader("Cache-Control", "no-store");
        switch (endpoint) {
            case STATE -> Responses.json(response, 200, stateBody(state, context));
            case DEVICES -> devices(state, context);
            case PLATFORM -> switchPlatform(state, context);
            case LOGOUT -> {
                PlatformSessions.logout(request, response);
                if (Responses.wantsHtml(request) && settings.loginPage() != null) {
                    Responses.redirect(request, response, settings.loginPage());
                } else {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("loggedOut", true);
                    body.put("loginUrl", settings.loginPage() == null ? null
                            : Responses.target(request, settings.loginPage()));
                    Responses.json(response, 200, body);
                }
            }
            case LOGOUT_OTHERS -> {
                int n = state.manager().invalidateOthers(context.key());
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("invalidated", n);
                Responses.json(response, 200, body);
            }
            default -> throw new IllegalStateException("unexpected endpoint " + endpoint);
        }
    }

    private boolean methodAllowed(HttpServletRequest request, HttpServletResponse response, Endpoint endpoint)
            throws IOException {
        String method = request.getMethod();
        boolean get = isGet(endpoint);
        boolean ok = get ? "GET".equals(method) || "HEAD".equals(method) : "POST".equals(method);
        if (!ok) {
            response.setHeader("Allow", get ? "GET, HEAD" : "POST");
            Responses.error(response, 405, ErrorCode.BAD_REQUEST, "method " + safe(method) + " not allowed here");
        }
        return ok;
    }

    private static String safe(String s) {
        if (s == null) {
            return "";
        }
        String t = s.length() > 20 ? s.substring(0, 20) : s;
        return t.replaceAll("[^A-Za-z0-9_-]", "?");
    }

    /**
     * 401 (or a redirect to the login page for a browser asking for HTML); clears a dead cookie. A
     * throttled lookup is not "no session": it gets 429 TOO_MANY_REQUESTS and keeps the cookie.
     */
    void unauthorized(RequestState state) throws IOException {
        unauthorized(state, settings);
    }

    static void unauthorized(RequestState state, FilterSettings settings) throws IOException {
        HttpServletResponse response = state.response;
        SessionLookup.Status status = state.status();
        if (status == SessionLookup.Status.THROTTLED) {
            throttled(state, settings);
            return;
        }
        if (state.presentedCookie.present() && clearsCookie(status) && !response.isCommitted()) {
            SessionCookies.put(response, SessionCookies.expiredSessionCookie(settings));
        }
        if (Responses.wantsHtml(state.request) && settings.loginPage() != null) {
            Responses.redirect(state.request, response, settings.loginPage());
            return;
        }
        ErrorCode code = unauthorizedCode(status);
        Responses.error(response, code, switch (code) {
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

    /** 429 TOO_MANY_REQUESTS with Retry-After = the engine's cool-down; the cookie is left alone. */
    static void throttled(RequestState state, FilterSettings settings) throws IOException {
        HttpServletResponse response = state.response;
        if (response.isCommitted()) {
            return;
        }
        response.setHeader("Retry-After", Long.toString(cooldownSeconds(state)));
        response.setHeader("Cache-Control", "no-store");
        Responses.error(response, ErrorCode.TOO_MANY_REQUESTS,
                "too many unknown session tokens from this address; try again after Retry-After seconds");
    }

    private static long cooldownSeconds(RequestState state) {
        long millis = state.manager().config().unknownTokenCooldown().toMillis();
        return Math.max(1, (millis + 999) / 1000);
    }

    static ErrorCode unauthorizedCode(SessionLookup.Status status) {
        return switch (status) {
            case ABSENT, ACTIVE -> ErrorCode.NO_SESSION;
            case EXPIRED -> ErrorCode.SESSION_EXPIRED;
            default -> ErrorCode.SESSION_INVALID;
        };
    }

    Map<String, Object> stateBody(RequestState state, PlatformContext context) {
        Map<String, Object> body = SessionJson.clientView(context.toClientView()); // at the engine's clock
        body.put("sessionId", context.sessionId());
        body.put("csrfToken", state.manager().csrfToken(context));
        return body;
    }

    private void devices(RequestState state, PlatformContext context) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (SessionSummary s : state.manager().activeSessions(context.userId())) {
            out.add(SessionJson.device(s, s.key().equals(context.key())));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("devices", out);
        Responses.json(state.response, 200, body);
    }

    private void switchPlatform(RequestState state, PlatformContext context) throws IOException {
        HttpServletRequest request = state.request;
        HttpServletResponse response = state.response;
        // the raw header: getContentType() throws on some containers for an unknown charset
        String type = ContentTypes.header(request);
        if (!ContentTypes.JSON.equals(ContentTypes.mediaType(type))) {
            Responses.error(response, ErrorCode.BAD_REQUEST, "expected Content-Type application/json");
            return;
        }
        if (!ContentTypes.charsetSupported(type, true)) {
            Responses.error(response, ErrorCode.BAD_REQUEST, "JSON must be UTF-8 (unsupported charset)");
            return;
        }
        String body = readBody(request);
        if (body == null) {
            Responses.error(response, ErrorCode.BAD_REQUEST, "request body missing or larger than "
                    + MAX_BODY_BYTES + " bytes");
            return;
        }
        Long platformId = parsePlatformId(body);
        if (platformId == null) {
            Responses.error(response, ErrorCode.BAD_REQUEST, "expected a JSON object {\"platformId\": <integer>}");
            return;
        }
        if (platformId <= 0) {
            Responses.error(response, ErrorCode.PLATFORM_NOT_FOUND, "no such platform");
            return;
        }
        PlatformContext next;
        try {
            next = state.manager().switchPlatform(context.key(), platformId);
        } catch (InvalidPlatformException e) {
            if (e.reason() == InvalidPlatformException.Reason.INACTIVE) {
                Responses.error(response, ErrorCode.PLATFORM_FORBIDDEN, "this platform connection is inactive");
            } else {
                Responses.error(response, ErrorCode.PLATFORM_NOT_FOUND, "no such platform");
            }
            return;
        } catch (SessionNotFoundException e) {
            state.loggedOut();
            Responses.error(response, ErrorCode.SESSION_INVALID, "the session has ended; log in again");
            return;
        }
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
