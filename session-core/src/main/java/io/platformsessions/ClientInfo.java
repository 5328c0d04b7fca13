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

    /**
     * Component-wise equality, as every record has; written out because the engine looks a client up
     * in its binding cache on every request, and the generated form went through method-handle frames
     * that did not inline under load (issue 16).
     *
     * @param o another object
     * @return {@code true} if it is a {@code ClientInfo} with equal components
     */
    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof ClientInfo c && java.util.Objects.equals(ipAddress, c.ipAddress)
                && java.util.Objects.equals(userAgent, c.userAgent)
                && java.util.Objects.equals(acceptLanguage, c.acceptLanguage);
    }

    /**
     * A hash of the three components, consistent with {@link #equals}.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return (java.util.Objects.hashCode(ipAddress) * 31 + java.util.Objects.hashCode(userAgent)) * 31
                + java.util.Objects.hashCode(acceptLanguage);
    }
}
