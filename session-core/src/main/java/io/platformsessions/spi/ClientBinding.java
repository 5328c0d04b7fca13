package io.platformsessions.spi;

/**
 * What a session remembers about the client that created it, reduced so that ordinary changes
 * (a new IP in the same network, a browser update) do not look like a different client: the IP
 * network (IPv4 /24, IPv6 /48), the browser family, the primary language, and a human label for
 * the device list. Any component may be {@code null} when unknown. Immutable.
 *
 * @param ipNetwork for example {@code 203.0.113.0/24}
 * @param userAgentFamily for example {@code Firefox/Linux}
 * @param language primary language tag from Accept-Language, for example {@code en}
 * @param deviceLabel for example {@code Firefox on Linux}
 */
public record ClientBinding(String ipNetwork, String userAgentFamily, String language, String deviceLabel) {
    private static final ClientBinding UNKNOWN = new ClientBinding(null, null, null, null);

    /**
     * A binding with nothing known.
     *
     * @return the shared unknown binding
     */
    public static ClientBinding unknown() {
        return UNKNOWN;
    }

    /**
     * Whether nothing is known (then there is nothing to compare a later client with).
     *
     * @return {@code true} if network, browser family and language are all unknown
     */
    public boolean isUnknown() {
        return ipNetwork == null && userAgentFamily == null && language == null;
    }
}
