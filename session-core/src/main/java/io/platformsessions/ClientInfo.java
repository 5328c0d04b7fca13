package io.platformsessions;

/**
 * What the engine is told about the client making a request: used to bind a session to its client
 * (IP network, browser family, language), to label devices, and to rate-limit token guessing.
 * Any component may be {@code null} when unknown. Immutable.
 *
 * @param ipAddress the client's IP address as text (IPv4 or IPv6), or {@code null}
 * @param userAgent the {@code User-Agent} header, or {@code null}
 * @param acceptLanguage the {@code Accept-Language} header, or {@code null}
 */
public record ClientInfo(String ipAddress, String userAgent, String acceptLanguage) {
    private static final ClientInfo UNKNOWN = new ClientInfo(null, null, null);

    /**
     * A client about which nothing is known (background jobs, tests).
     *
     * @return the shared unknown-client instance
     */
    public static ClientInfo unknown() {
        return UNKNOWN;
    }
}
