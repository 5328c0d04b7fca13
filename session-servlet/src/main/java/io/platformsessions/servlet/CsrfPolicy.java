package io.platformsessions.servlet;

import io.platformsessions.CsrfSecrets;
import io.platformsessions.PlatformContext;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The CSRF rules for unsafe methods, for one filter's settings: provenance (Fetch Metadata
 * {@code Sec-Fetch-Site: cross-site} refused; {@code Origin}, when present, must be an allowed
 * origin) and the token (from {@code X-CSRF-Token} or the {@code _csrf} field of a urlencoded body,
 * never the query string) that must match the session, or before login the pre-session cookie. On
 * the login paths the pre-session token is accepted even when a session cookie is present, so a
 * login form rendered before that session existed can still be submitted. Immutable and thread-safe.
 */
final class CsrfPolicy {
    static final String HEADER = "X-CSRF-Token";
    static final String FIELD = "_csrf";
    private static final int MAX_TOKEN_LENGTH = 512;
    /** Source of pre-session secrets and their masks (the sessions' own come from the engine's). */
    private static final SecureRandom PRE_SESSION_RANDOM = new SecureRandom();

    private final FilterSettings settings;

    CsrfPolicy(FilterSettings settings) {
        this.settings = settings;
    }

    /** GET, HEAD and OPTIONS are safe; every other method (POST, PUT, PATCH, DELETE, ...) is checked. TRACE never gets here. */
    static boolean isUnsafe(String method) {
        return !("GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method));
    }

    /** Returns null if the request's provenance is acceptable, else the reason it is refused. */
    String provenanceRefusal(HttpServletRequest request) {
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null && "cross-site".equals(site.trim().toLowerCase(Locale.ROOT))) {
            return "cross-site request refused (Sec-Fetch-Site)";
        }
        Enumeration<String> origins = request.getHeaders("Origin");
        if (origins == null || !origins.hasMoreElements()) {
            return null;
        }
        String origin = origins.nextElement();
        if (origins.hasMoreElements()) {
            return "more than one Origin header";
        }
        String normalized = normalizeOrigin(origin);
        if (normalized == null) {
            return "request from a foreign origin refused";
        }
        boolean allowed = settings.allowedOrigins().isEmpty()
                ? normalized.equals(origin(request.getScheme(), request.getServerName(), request.getServerPort()))
                : settings.allowedOrigins().contains(normalized);
        return allowed ? null : "request from a foreign origin refused";
    }

    /**
     * Whether the presented token is valid: for the request's session; without one, for the
     * pre-session cookie; on a login path, for either.
     */
    boolean tokenValid(RequestState state) {
        return tokenValid(state, state.context());
    }

    /** Like {@link #tokenValid(RequestState)} against a given session (null for none). */
    boolean tokenValid(RequestState state, PlatformContext context) {
        String presented = presentedToken(state.request());
        if (presented == null) {
            return false;
        }
        if (context != null) {
            if (state.manager().verifyCsrfToken(context, presented)) {
                return true;
            }
            // computed only here: the per-request state does not carry the path
            if (!settings.loginPaths().matches(PlatformSessionFilter.pathWithinApplication(state.request()))) {
                return false;
            }
        }
        String secret = state.preSessionSecret();
        return secret != null && CsrfSecrets.verify(secret, presented);
    }

    /**
     * A masked pre-session token for a login form; issues the pre-session secret (and its cookie)
     * the first time a request needs one and the browser has none.
     *
     * @throws IllegalStateException if a cookie must be set and the response is committed
     */
    String preSessionToken(RequestState state) {
        String secret;
        synchronized (state) { // one secret per response, also when two threads of the request ask
            secret = state.preSessionSecret();
            if (secret == null) {
                secret = CsrfSecrets.newSecret(PRE_SESSION_RANDOM);
                SessionCookies.put(state.response(), SessionCookies.preSessionCookie(settings, secret));
                state.issuedPreSessionSecret(secret);
            }
        }
        return CsrfSecrets.mask(secret, PRE_SESSION_RANDOM);
    }

    /** The presented token: the header, else the form field of a urlencoded form; null if none or absurdly long. */
    private static String presentedToken(HttpServletRequest request) {
        String token = request.getHeader(HEADER);
        if (token == null && ContentTypes.isUrlEncodedForm(request)) {
            if (queryNamesField(request.getQueryString())) {
                // getParameter merges the query string: a token in a URL (logs, Referer) is refused
                return null;
            }
            try {
                String[] values = request.getParameterValues(FIELD);
                token = values != null && values.length == 1 ? values[0] : null;
            } catch (RuntimeException e) {
                // an unreadable or over-large form body: no token
                token = null;
            }
        }
        if (token == null) {
            return null;
        }
        token = token.trim();
        return token.isEmpty() || token.length() > MAX_TOKEN_LENGTH ? null : token;
    }

    /** Whether a raw query string has a parameter named {@code _csrf} (or cannot be decoded). */
    static boolean queryNamesField(String query) {
        if (query == null || query.isEmpty()) {
            return false;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            try {
                if (FIELD.equals(URLDecoder.decode(name, StandardCharsets.UTF_8))) {
                    return true;
                }
            } catch (IllegalArgumentException e) {
                return true;
            }
        }
        return false;
    }

    /** Normalizes an origin ({@code scheme://host[:port]}) for comparison, or returns null if it is not one. */
    static String normalizeOrigin(String origin) {
        if (origin == null) {
            return null;
        }
        String o = origin.trim();
        if (o.isEmpty() || o.length() > 2048 || "null".equals(o)) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(o);
        } catch (URISyntaxException e) {
            return null;
        }
        String scheme = uri.getScheme();
        String host = uri.getHost();
        if (scheme == null || host == null || uri.getRawUserInfo() != null
                || (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !"/".equals(uri.getRawPath()))
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return null;
        }
        scheme = scheme.toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            return null;
        }
        return origin(scheme, host, uri.getPort());
    }

    static String origin(String scheme, String host, int port) {
        String s = scheme.toLowerCase(Locale.ROOT);
        String h = host.toLowerCase(Locale.ROOT);
        if (h.indexOf(':') >= 0 && !h.startsWith("[")) {
            h = "[" + h + "]";
        }
        boolean defaultPort = port < 0 || ("http".equals(s) && port == 80) || ("https".equals(s) && port == 443);
        return s + "://" + h + (defaultPort ? "" : ":" + port);
    }

    /**
     * Validates and normalizes configured origins.
     *
     * @throws IllegalArgumentException naming the first value that is not an origin
     */
    static Set<String> normalizeOrigins(List<String> origins) {
        Set<String> out = new LinkedHashSet<>();
        for (String o : origins) {
            String n = normalizeOrigin(o);
            if (n == null) {
                throw new IllegalArgumentException("not an origin (scheme://host[:port]): '" + o + "'");
            }
            out.add(n);
        }
        return Set.copyOf(out);
    }
}
