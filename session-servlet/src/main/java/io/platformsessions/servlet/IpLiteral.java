package io.platformsessions.servlet;

import java.util.Arrays;

/**
 * A strict parser for IP address literals, written out so that nothing here can ever start a DNS
 * lookup ({@code InetAddress.getByName} resolves anything that is not a literal). IPv4 is four
 * decimal parts 0-255 without leading zeros; IPv6 is RFC 4291 text (with {@code ::} and an
 * embedded IPv4 tail), no zone id. An IPv4-mapped IPv6 address gives the 4 IPv4 bytes. Stateless
 * and thread-safe.
 */
final class IpLiteral {
    private static final int MAX_LENGTH = 45;

    private IpLiteral() {
    }

    /** The address bytes (4 or 16), or null if {@code text} is not a literal. */
    static byte[] parse(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
            return null;
        }
        if (text.indexOf(':') < 0) {
            return ipv4(text, 0, text.length());
        }
        byte[] v6 = ipv6(text);
        if (v6 != null && isIpv4Mapped(v6)) {
            return new byte[] {v6[12], v6[13], v6[14], v6[15]};
        }
        return v6;
    }

    private static boolean isIpv4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    private static byte[] ipv4(String s, int from, int to) {
        byte[] out = new byte[4];
        int part = 0;
        int i = from;
        while (part < 4) {
            int start = i;
            int value = 0;
            while (i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9' && i - start < 3) {
                value = value * 10 + (s.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || value > 255 || (digits > 1 && s.charAt(start) == '0')) {
                return null;
            }
            out[part++] = (byte) value;
            if (part < 4) {
                if (i >= to || s.charAt(i) != '.') {
                    return null;
                }
                i++;
            }
        }
        return i == to ? out : null;
    }

    private static byte[] ipv6(String s) {
        int n = s.length();
        byte[] out = new byte[16];
        int word = 0;
        int gap = -1;
        int i = 0;
        if (s.startsWith("::")) {
            gap = 0;
            i = 2;
            if (i == n) {
                return out;
            }
        } else if (s.charAt(0) == ':') {
            return null;
        }
        while (i < n) {
            if (word == 8) {
                return null;
            }
            int start = i;
            int value = 0;
            while (i < n && i - start < 4 && hex(s.charAt(i)) >= 0) {
                value = (value << 4) | hex(s.charAt(i));
                i++;
            }
            if (i < n && s.charAt(i) == '.') {
                // an embedded IPv4 tail takes the last two words
                if (word > 6 || start == i) {
                    return null;
                }
                byte[] v4 = ipv4(s, start, n);
                if (v4 == null) {
                    return null;
                }
                System.arraycopy(v4, 0, out, word * 2, 4);
                word += 2;
                i = n;
                break;
            }
            if (i == start) {
                return null;
            }
            out[word * 2] = (byte) (value >>> 8);
            out[word * 2 + 1] = (byte) value;
            word++;
            if (i == n) {
                break;
            }
            if (s.charAt(i) != ':') {
                return null;
            }
            i++;
            if (i < n && s.charAt(i) == ':') {
                if (gap >= 0) {
                    return null;
                }
                gap = word;
                i++;
                if (i == n) {
                    break;
                }
            } else if (i == n) {
                return null; // a trailing single ':'
            }
        }
        if (gap < 0) {
            return word == 8 ? out : null;
        }
        if (word == 8) {
            return null; // "::" must stand for at least one word
        }
        int moved = (word - gap) * 2;
        System.arraycopy(out, gap * 2, out, 16 - moved, moved);
        Arrays.fill(out, gap * 2, 16 - moved, (byte) 0);
        return out;
    }

    /** The value of an ASCII hex digit, or -1 (Character.digit would also take other scripts' digits). */
    private static int hex(char c) {
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
}
