package io.platformsessions.servlet;

import io.platformsessions.CsrfSecrets;
import io.platformsessions.PlatformContext;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Enumeration;
import java.util.Locale;

/**
 * The CSRF rules for unsafe methods: Fetch Metadata ({@code Sec-Fetch-Site: cross-site} refused),
 * Origin (must be an allowed origin when present), and a token from {@code X-CSRF-Token} or the
 * {@code _csrf} field of a urlencoded body (never the query string) that matches the session (or, before login, the pre-session cookie).
 * Stateless and thread-safe.
 */
final class CsrfGuard {
    static final String HEADER = "X-CSRF-Token";
    static final String FIELD = "_csrf";
    private static final int MAX_TOKEN_LENGTH = 512;
    /** Source of pre-session secrets and their masks (the sessions' own come from the engine's). */
    static final SecureRandom PRE_SESSION_RANDOM = new SecureRandom();

    private CsrfGuard() {
    }

    /** GET, HEAD, OPTIONS and TRACE are safe; every other method (POST, PUT, PATCH, DELETE, ...) is checked. */
    static boolean isUnsafe(String method) {
        return !("GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method) || "TRACE".equals(method));
    }

    /** Returns null if the request's provenance is acceptable, else the reason it is refused. */
    static String checkProvenance(HttpServletRequest request, FilterSettings settings) {
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
        String normalized = FilterSettings.normalizeOrigin(origin);
        if (normalized == null) {
            return "request from a foreign origin refused";
        }
        boolean allowed = settings.allowedOrigins().isEmpty()
                ? normalized.equals(FilterSettings.origin(request.getScheme(), request.getServerName(),
                        request.getServerPort()))
                : settings.allowedOrigins().contains(normalized);
        return allowed ? null : "request from a foreign origin refused";
    }

    /** The presented token: the header, else the form field of a urlencoded form; null if none or absurdly long. */
    static String presentedToken(HttpServletRequest request) {
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

    /** Whether the presented token is valid for the session, or before login for the pre-session cookie. */
    static boolean tokenValid(RequestState state) {
        String presented = presentedToken(state.request);
        if (presented == null) {
            return false;
        }
        PlatformContext context = state.context();
        if (context != null) {
            return state.manager().verifyCsrfToken(context, presented);
        }
        String secret = state.preSessionSecret(false);
        return secret != null && CsrfSecrets.verify(secret, presented);
    }
}
