package io.platformsessions.servlet;

import io.platformsessions.SessionManager;
import io.platformsessions.spi.PlatformDirectory;
import java.time.Clock;
import java.util.Set;

/**
 * The filter's validated, immutable configuration, plus what it needs from the manager's
 * configuration (clock, idle timeout, cool-down), read once when the filter is built.
 *
 * @param platformDirectory a directory for {@code GET <prefix>/platforms} instead of the manager's (deprecated
 *     option), or null
 * @param maxInactiveSeconds the idle timeout in seconds, capped at {@code Integer.MAX_VALUE}
 * @param cooldownSeconds the unknown-token cool-down in seconds, rounded up, at least 1
 */
record FilterSettings(SessionManager manager, boolean secureCookie, String loginPage, String platformPickerPage,
                      PathPatterns platformRequiredPaths, PathPatterns csrfExemptPaths,
                      PathPatterns csrfExemptPathsWithSession, PathPatterns loginPaths, Set<String> allowedOrigins,
                      String endpointPrefix, ClientAddresses clientAddresses, PlatformDirectory platformDirectory,
                      int retryAfterSeconds, Clock clock,
                      int maxInactiveSeconds, long cooldownSeconds) {

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

    /** Whether unsafe requests to this application path skip the CSRF token (either exempt list). */
    boolean csrfExempt(String path) {
        return csrfExemptPaths.matches(path) || csrfExemptPathsWithSession.matches(path);
    }
}
