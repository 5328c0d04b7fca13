package io.platformsessions.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;

/**
 * Where the client address the engine sees (brute-force limiter, client binding, device list) comes
 * from. By default it is the connection's remote address ({@code getRemoteAddr()}), whatever any
 * header says. With trusted proxies configured, a request whose remote address is a trusted proxy
 * is attributed to the right-most address in the forwarded header that is not itself a trusted
 * proxy: every hop to the left of it could have been written by the client. A header that is
 * missing, malformed, or names a hop that is not an IP literal ({@code unknown}, an obfuscated
 * identifier) leaves the remote address in place. Never resolves host names. Immutable and
 * thread-safe.
 */
final class ClientAddresses {
    /** Client addresses from the connection only (the default). */
    static final ClientAddresses DIRECT = new ClientAddresses(new Cidr[0], "X-Forwarded-For");
    /** More hops than this in the forwarded header(s) count as malformed. */
    static final int MAX_HOPS = 32;

    private final Cidr[] trusted;
    private final String header;
    private final boolean rfc7239;

    private ClientAddresses(Cidr[] trusted, String header) {
        this.trusted = trusted;
        this.header = header;
        this.rfc7239 = "forwarded".equals(header.toLowerCase(Locale.ROOT));
    }

    /**
     * Validates the trusted proxies and the header name.
     *
     * @param cidrs addresses ({@code 10.0.0.7}, {@code ::1}) or networks ({@code 10.0.0.0/8},
     *     {@code fd00::/8}); empty for none
     * @param header {@code Forwarded} (RFC 7239, the {@code for=} parameter), or any header holding a
     *     comma-separated address list like {@code X-Forwarded-For}
     * @throws IllegalArgumentException for a malformed network or header name
     */
    static ClientAddresses of(Collection<String> cidrs, String header) {
        if (header == null || !header.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}")) {
            throw new IllegalArgumentException("clientAddressHeader must be a header name, was '" + header + "'");
        }
        List<Cidr> parsed = new ArrayList<>();
        for (String c : cidrs) {
            parsed.add(Cidr.parse(c));
        }
        return new ClientAddresses(parsed.toArray(new Cidr[0]), header);
    }

    boolean isDirect() {
        return trusted.length == 0;
    }

    String header() {
        return header;
    }

    /** Whether a trusted network covers every address of one family (0.0.0.0/0 or ::/0). */
    boolean trustsEveryone() {
        for (Cidr c : trusted) {
            if (c.bits == 0) {
                return true;
            }
        }
        return false;
    }

    /** The client address for this request, as described in the class comment. */
    String clientAddress(HttpServletRequest request) {
        String remote = request.getRemoteAddr();
        if (trusted.length == 0) {
            return remote; // the default: no parsing, no allocation
        }
        return clientAddress(remote, request.getHeaders(header));
    }

    /** The client address given the connection's remote address and the forwarded header's lines. */
    String clientAddress(String remote, Enumeration<String> headerLines) {
        byte[] r = IpLiteral.parse(remote);
        if (r == null || !isTrusted(r)) {
            return remote;
        }
        List<String> hops = hops(headerLines);
        if (hops == null || hops.isEmpty()) {
            return remote;
        }
        String leftMost = remote;
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = address(hops.get(i));
            byte[] a = hop == null ? null : IpLiteral.parse(hop);
            if (a == null) {
                return remote;
            }
            if (!isTrusted(a)) {
                return hop;
            }
            leftMost = hop;
        }
        // every hop is a trusted proxy: the left-most is the nearest thing to a client
        return leftMost;
    }

    private boolean isTrusted(byte[] address) {
        for (Cidr c : trusted) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** The comma-separated elements of every header line, in order; null if there are too many. */
    private static List<String> hops(Enumeration<String> values) {
        if (values == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        while (values.hasMoreElements()) {
            String v = values.nextElement();
            if (v == null) {
                continue;
            }
            for (String element : v.split(",", -1)) {
                if (out.size() == MAX_HOPS) {
                    return null;
                }
                out.add(element.trim());
            }
        }
        return out;
    }

    /** The address text of one element (brackets and port removed), or null if it has none. */
    private String address(String element) {
        String v = element;
        if (rfc7239) {
            v = null;
            for (String pair : element.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && "for".equalsIgnoreCase(pair.substring(0, eq).trim())) {
                    if (v != null) {
                        return null; // two for= in one element
                    }
                    v = pair.substring(eq + 1).trim();
                }
            }
            if (v == null) {
                return null;
            }
            if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                v = v.substring(1, v.length() - 1);
            }
        }
        if (v.startsWith("[")) {
            int close = v.indexOf(']');
            if (close < 0) {
                return null;
            }
            String rest = v.substring(close + 1);
            if (!rest.isEmpty() && !isPort(rest)) {
                return null;
            }
            return v.substring(1, close);
        }
        int colon = v.indexOf(':');
        if (colon >= 0 && colon == v.lastIndexOf(':')) {
            // IPv4 with a port
            return isPort(v.substring(colon)) ? v.substring(0, colon) : null;
        }
        return v;
    }

    private static boolean isPort(String s) {
        if (s.length() < 2 || s.length() > 6 || s.charAt(0) != ':') {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** An address or network of one family. */
    private static final class Cidr {
        private final byte[] network;
        private final int bits;

        private Cidr(byte[] network, int bits) {
            this.network = network;
            this.bits = bits;
        }

        static Cidr parse(String text) {
            String t = text == null ? "" : text.trim();
            int slash = t.indexOf('/');
            byte[] address = IpLiteral.parse(slash < 0 ? t : t.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException("trustedProxies: not an IP address or network: '" + text + "'");
            }
            int max = address.length * 8;
            int bits = max;
            if (slash >= 0) {
                String b = t.substring(slash + 1);
                if (!b.matches("[0-9]{1,3}") || Integer.parseInt(b) > max) {
                    throw new IllegalArgumentException("trustedProxies: prefix length must be 0.." + max + ": '"
                            + text + "'");
                }
                bits = Integer.parseInt(b);
            }
            return new Cidr(address, bits);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }
}
