package io.platformsessions;

import io.platformsessions.spi.ClientBinding;
import java.util.Locale;

/**
 * Reduces a {@link ClientInfo} to a {@link ClientBinding} (IPv4 /24 or IPv6 /48 network, browser
 * family and OS, primary language) and judges whether two bindings are the same client by meaning:
 * a new address in the same network, a browser version bump, a changed region or quality list in
 * Accept-Language ({@code en-US,en;q=0.9} and {@code en-GB} are both {@code en}) is not a change;
 * another network, another browser family or OS, or another primary language is. Never resolves
 * host names; every header is length-capped ({@link Limits#MAX_CLIENT_HEADER_LENGTH}). Stateless and
 * thread-safe.
 */
final class ClientFingerprints {
    private static final String[] NO_NETWORKS = new String[0];

    private ClientFingerprints() {
    }

    /**
     * The binding for a client.
     *
     * @param client what the adapter knows
     * @return the binding; unknown parts are {@code null}
     */
    static ClientBinding bind(ClientInfo client) {
        if (client == null) {
            return ClientBinding.unknown();
        }
        String browser = browser(client.userAgent());
        String os = operatingSystem(client.userAgent());
        String family = browser == null ? null : browser + "/" + (os == null ? "Unknown" : os);
        String label = browser == null ? null : browser + " on " + (os == null ? "unknown OS" : os);
        return new ClientBinding(network(client.ipAddress()), family, language(client.acceptLanguage()), label);
    }

    /**
     * Describes how {@code now} differs from {@code original}, or returns {@code null} if it is the
     * same client. A part unknown at creation is not compared (nothing to bind to). A part known at
     * creation but missing now counts as a change (a real browser does not stop sending its
     * User-Agent), unless nothing at all is known now: a caller that passes no client information
     * (a background job) is not judged.
     *
     * @param original the binding recorded at creation
     * @param now the binding of the current request
     * @return a short description such as {@code "network 198.51.100.0/24 -> 203.0.113.0/24"}, or {@code null}
     */
    static String difference(ClientBinding original, ClientBinding now) {
        if (original == null || now == null || isUnknown(now)) {
            return null;
        }
        if (same(original.ipNetwork(), now.ipNetwork()) && same(original.userAgentFamily(), now.userAgentFamily())
                && same(original.language(), now.language())) {
            return null; // the usual case, without building anything
        }
        StringBuilder out = new StringBuilder();
        compare(out, "network", original.ipNetwork(), now.ipNetwork());
        compare(out, "browser", original.userAgentFamily(), now.userAgentFamily());
        compare(out, "language", original.language(), now.language());
        return out.length() == 0 ? null : out.toString();
    }

    private static boolean isUnknown(ClientBinding b) {
        return b.ipNetwork() == null && b.userAgentFamily() == null && b.language() == null;
    }

    /** Whether {@link #compare} would report nothing for this pair. */
    private static boolean same(String a, String b) {
        return a == null || a.equals(b);
    }

    private static void compare(StringBuilder out, String what, String a, String b) {
        if (a != null && !a.equals(b)) {
            if (out.length() > 0) {
                out.append("; ");
            }
            out.append(what).append(' ').append(a).append(" -> ").append(b == null ? "(none)" : b);
        }
    }

    /**
     * The network of an IP literal: IPv4 /24 or IPv6 /48 (a NAT64 address, {@code 64:ff9b::/96}, counts as
     * the IPv4 address it carries). Never resolves host names.
     *
     * @param ip an IP literal, may be null or garbage
     * @return for example {@code 203.0.113.0/24} or {@code 2001:db8:1::/48}, or {@code null}
     */
    static String network(String ip) {
        int[] groups = parseAddress(ip);
        if (groups == null) {
            return null;
        }
        if (isIpv4(groups)) {
            return (groups[6] >> 8) + "." + (groups[6] & 0xff) + "." + (groups[7] >> 8) + ".0/24";
        }
        return Integer.toHexString(groups[0]) + ":" + Integer.toHexString(groups[1]) + ":"
                + Integer.toHexString(groups[2]) + "::/48";
    }

    /**
     * The subject under which unknown-token lookups are counted for brute-force detection: the full
     * IPv4 address (also for a NAT64 address, {@code 64:ff9b::/96}, which carries one), or the IPv6 /64
     * prefix (one subscriber usually holds a whole /64, so counting single IPv6 addresses would let one
     * attacker rotate through billions of them). Text that is not an IP literal is counted as itself,
     * cut to 64 characters, so it stays bounded. The wider IPv6 networks are
     * {@link #rateLimitNetworks(String)}.
     *
     * @param ip the client IP as text, may be null or garbage
     * @return for example {@code 203.0.113.7} or {@code 2001:db8:1:2::/64}, or {@code null} if {@code ip} is null or blank
     */
    static String rateLimitSubject(String ip) {
        if (ip == null || ip.isBlank()) {
            return null;
        }
        int[] groups = parseAddress(ip);
        if (groups == null) {
            String s = ip.strip();
            return "?" + (s.length() > 64 ? s.substring(0, 64) : s);
        }
        if (isIpv4(groups)) {
            return (groups[6] >> 8) + "." + (groups[6] & 0xff) + "." + (groups[7] >> 8) + "." + (groups[7] & 0xff);
        }
        return Integer.toHexString(groups[0]) + ":" + Integer.toHexString(groups[1]) + ":"
                + Integer.toHexString(groups[2]) + ":" + Integer.toHexString(groups[3]) + "::/64";
    }

    /**
     * The wider networks an IPv6 address's unknown-token lookups are also counted under, so that a
     * holder of a whole /56 or /48 cannot buy a fresh budget with every /64.
     *
     * @param ip the client IP as text, may be null or garbage
     * @return the /56 and /48 prefixes (for example {@code 2001:db8:1:200::/56}, {@code 2001:db8:1::/48}) of
     *     an IPv6 address; empty for IPv4 (and NAT64), garbage and null
     */
    static String[] rateLimitNetworks(String ip) {
        int[] groups = ip == null ? null : parseAddress(ip);
        if (groups == null || isIpv4(groups)) {
            return NO_NETWORKS;
        }
        String slash48 = Integer.toHexString(groups[0]) + ":" + Integer.toHexString(groups[1]) + ":"
                + Integer.toHexString(groups[2]);
        return new String[] {slash48 + ":" + Integer.toHexString(groups[3] & 0xff00) + "::/56", slash48 + "::/48"};
    }

    /**
     * Parses an IPv4 or IPv6 literal into eight 16-bit groups, or null. IPv4, and the IPv4 address a
     * NAT64 address ({@code 64:ff9b::/96}, RFC 6052) carries, come out IPv4-mapped: behind a NAT64
     * gateway every IPv4 client would otherwise share one IPv6 /64.
     */
    private static int[] parseAddress(String ip) {
        if (ip == null || ip.isEmpty() || ip.length() > 64) {
            return null;
        }
        String s = ip.trim();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        int zone = s.indexOf('%');
        if (zone >= 0) {
            s = s.substring(0, zone);
        }
        if (s.indexOf(':') < 0) {
            int[] v4 = parseIpv4(s);
            return v4 == null ? null : new int[] {0, 0, 0, 0, 0, 0xffff, v4[0] << 8 | v4[1], v4[2] << 8 | v4[3]};
        }
        int[] v6 = parseIpv6(s);
        if (v6 != null && v6[0] == 0x64 && v6[1] == 0xff9b && v6[2] == 0 && v6[3] == 0 && v6[4] == 0 && v6[5] == 0) {
            return new int[] {0, 0, 0, 0, 0, 0xffff, v6[6], v6[7]};
        }
        return v6;
    }

    private static boolean isIpv4(int[] groups) {
        return groups[0] == 0 && groups[1] == 0 && groups[2] == 0 && groups[3] == 0 && groups[4] == 0
                && groups[5] == 0xffff;
    }

    private static int[] parseIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        int[] out = new int[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3) {
                return null;
            }
            for (int j = 0; j < p.length(); j++) {
                if (p.charAt(j) < '0' || p.charAt(j) > '9') {
                    return null;
                }
            }
            out[i] = Integer.parseInt(p);
            if (out[i] > 255) {
                return null;
            }
        }
        return out;
    }

    private static int[] parseIpv6(String s) {
        int[] out = new int[8];
        String head = s;
        String tail = "";
        int dbl = s.indexOf("::");
        if (dbl >= 0) {
            if (s.indexOf("::", dbl + 1) >= 0) {
                return null;
            }
            head = s.substring(0, dbl);
            tail = s.substring(dbl + 2);
        }
        int[] h = groups(head);
        int[] t = groups(tail);
        if (h == null || t == null) {
            return null;
        }
        if (dbl < 0 ? h.length != 8 : h.length + t.length > 7) {
            return null;
        }
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(t, 0, out, 8 - t.length, t.length);
        return out;
    }

    private static int[] groups(String part) {
        if (part.isEmpty()) {
            return new int[0];
        }
        String[] raw = part.split(":", -1);
        int extra = 0;
        String last = raw[raw.length - 1];
        int[] v4 = null;
        if (last.indexOf('.') >= 0) {
            v4 = parseIpv4(last);
            if (v4 == null) {
                return null;
            }
            extra = 1;
        }
        int[] out = new int[raw.length + extra];
        for (int i = 0; i < raw.length - (v4 == null ? 0 : 1); i++) {
            String g = raw[i];
            if (g.isEmpty() || g.length() > 4) {
                return null;
            }
            int value = 0;
            for (int j = 0; j < g.length(); j++) {
                int d = hexDigit(g.charAt(j));
                if (d < 0) {
                    return null;
                }
                value = value * 16 + d;
            }
            out[i] = value;
        }
        if (v4 != null) {
            out[out.length - 2] = v4[0] << 8 | v4[1];
            out[out.length - 1] = v4[2] << 8 | v4[3];
        }
        return out;
    }

    /** ASCII hex digit value, or -1 (Character.digit would accept non-ASCII digits). */
    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /**
     * The browser family from a User-Agent, ignoring versions.
     *
     * @param userAgent the header, may be null
     * @return for example {@code Firefox}, {@code Chrome}, {@code Edge}, {@code Safari}, {@code Other}, or {@code null}
     */
    static String browser(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return null;
        }
        String ua = clip(userAgent);
        if (ua.contains("Edg/") || ua.contains("Edge/")) {
            return "Edge";
        }
        if (ua.contains("OPR/") || ua.contains("Opera")) {
            return "Opera";
        }
        if (ua.contains("Firefox/") || ua.contains("FxiOS/")) {
            return "Firefox";
        }
        if (ua.contains("Chrome/") || ua.contains("Chromium/") || ua.contains("CriOS/")) {
            return "Chrome";
        }
        if (ua.contains("Safari/")) {
            return "Safari";
        }
        if (ua.startsWith("curl/")) {
            return "curl";
        }
        return "Other";
    }

    /**
     * The operating system from a User-Agent.
     *
     * @param userAgent the header, may be null
     * @return for example {@code Windows}, {@code macOS}, {@code iOS}, {@code Android}, {@code Linux}, or {@code null}
     */
    static String operatingSystem(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return null;
        }
        String ua = clip(userAgent);
        if (ua.contains("Windows")) {
            return "Windows";
        }
        if (ua.contains("iPhone") || ua.contains("iPad")) {
            return "iOS";
        }
        if (ua.contains("Mac OS X") || ua.contains("Macintosh")) {
            return "macOS";
        }
        if (ua.contains("Android")) {
            return "Android";
        }
        if (ua.contains("CrOS")) {
            return "ChromeOS";
        }
        if (ua.contains("Linux") || ua.contains("X11")) {
            return "Linux";
        }
        return null;
    }

    /**
     * The primary language subtag of the first entry of an Accept-Language header.
     *
     * @param acceptLanguage the header, may be null
     * @return for example {@code en}, or {@code null}
     */
    static String language(String acceptLanguage) {
        if (acceptLanguage == null || acceptLanguage.isBlank() || acceptLanguage.length() > Limits.MAX_CLIENT_HEADER_LENGTH) {
            return null;
        }
        String first = acceptLanguage.split(",", 2)[0].split(";", 2)[0].trim();
        String primary = first.split("-", 2)[0].toLowerCase(Locale.ROOT);
        if (primary.isEmpty() || primary.length() > 8 || "*".equals(primary)) {
            return null;
        }
        for (int i = 0; i < primary.length(); i++) {
            char c = primary.charAt(i);
            if (c < 'a' || c > 'z') {
                return null;
            }
        }
        return primary;
    }

    private static String clip(String header) {
        return header.length() > Limits.MAX_CLIENT_HEADER_LENGTH
                ? header.substring(0, Limits.MAX_CLIENT_HEADER_LENGTH) : header;
    }

    /**
     * Whether two bindings are the same client.
     *
     * @param a one binding
     * @param b another
     * @return {@code true} if {@link #difference} finds nothing
     */
    static boolean sameClient(ClientBinding a, ClientBinding b) {
        return difference(a, b) == null;
    }
}
