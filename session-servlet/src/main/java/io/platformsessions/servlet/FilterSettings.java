package io.platformsessions.servlet;

import io.platformsessions.SessionManager;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The filter's validated, immutable configuration.
 */
record FilterSettings(SessionManager manager, boolean secureCookie, String loginPage, String platformPickerPage,
                      PathPatterns platformRequiredPaths, PathPatterns csrfExemptPaths, Set<String> allowedOrigins,
                      String endpointPrefix, int retryAfterSeconds) {

    /** Session cookie name with the Secure flag: the __Host- prefix pins it to this host, path / and HTTPS. */
    static final String SECURE_COOKIE = "__Host-psid";
    /** Session cookie name for plain-HTTP development. */
    static final String DEV_COOKIE = "psid";
    private static final String SECURE_CSRF_COOKIE = SECURE_COOKIE + "-csrf";
    private static final String DEV_CSRF_COOKIE = DEV_COOKIE + "-csrf";

    String cookieName() {
        return secureCookie ? SECURE_COOKIE : DEV_COOKIE;
    }

    /** The pre-session CSRF cookie name (a constant per mode: no per-request concatenation). */
    String preSessionCsrfCookieName() {
        return secureCookie ? SECURE_CSRF_COOKIE : DEV_CSRF_COOKIE;
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
        } catch (java.net.URISyntaxException e) {
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

    static Set<String> normalizeOrigins(List<String> origins) {
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
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
