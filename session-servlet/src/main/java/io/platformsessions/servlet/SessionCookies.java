package io.platformsessions.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;

/**
 * Reads the session cookies from the raw {@code Cookie} headers (so duplicates are seen, whatever
 * the container's cookie parser does) and writes {@code Set-Cookie} headers by hand (so every
 * attribute, SameSite included, is exactly as specified). Stateless and thread-safe.
 */
final class SessionCookies {
    /** Longest cookie value we look at; anything longer is "over-long" and never reaches the store. */
    static final int MAX_VALUE_LENGTH = 256;
    private static final String EXPIRED = "; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT";

    private SessionCookies() {
    }

    /** What the request presented under one cookie name. */
    record Presented(Kind kind, String value) {
        static final Presented ABSENT = new Presented(Kind.ABSENT, null);
        static final Presented DUPLICATE = new Presented(Kind.DUPLICATE, null);
        static final Presented OVERLONG = new Presented(Kind.OVERLONG, null);

        boolean present() {
            return kind != Kind.ABSENT;
        }
    }

    /** Outcome of reading one cookie name. */
    enum Kind {
        /** Not sent. */
        ABSENT,
        /** Sent exactly once (the value may still be malformed). */
        ONE,
        /** Sent more than once: ambiguous, so none is used. */
        DUPLICATE,
        /** Longer than {@link #MAX_VALUE_LENGTH}. */
        OVERLONG
    }

    static Presented read(HttpServletRequest request, String name) {
        Enumeration<String> headers = request.getHeaders("Cookie");
        if (headers == null) {
            return Presented.ABSENT;
        }
        String found = null;
        int count = 0;
        while (headers.hasMoreElements()) {
            String header = headers.nextElement();
            if (header == null) {
                continue;
            }
            int start = 0;
            int len = header.length();
            while (start < len) {
                int end = header.indexOf(';', start);
                if (end < 0) {
                    end = len;
                }
                int eq = header.indexOf('=', start);
                if (eq > start && eq < end) {
                    // compare the trimmed name in place: no substring per cookie
                    int ns = start;
                    int ne = eq;
                    while (ns < ne && header.charAt(ns) <= ' ') {
                        ns++;
                    }
                    while (ne > ns && header.charAt(ne - 1) <= ' ') {
                        ne--;
                    }
                    if (ne - ns == name.length() && header.regionMatches(ns, name, 0, name.length())) {
                        count++;
                        found = header.substring(eq + 1, end).trim();
                    }
                }
                start = end + 1;
            }
        }
        if (count == 0) {
            return Presented.ABSENT;
        }
        if (count > 1) {
            return Presented.DUPLICATE;
        }
        if (found.length() > MAX_VALUE_LENGTH) {
            return Presented.OVERLONG;
        }
        return new Presented(Kind.ONE, found);
    }

    /**
     * Every value sent under {@code name}, in order, read from the raw headers like {@link #read} (a
     * pair's name trimmed, its value the text after the first {@code =} up to {@code ;}, trimmed) but
     * kept apart from it so the per-request path allocates nothing: for the rare request that sent a
     * cookie more than once. Values longer than {@link #MAX_VALUE_LENGTH} are left out; at most 16
     * values are returned.
     */
    static List<String> all(HttpServletRequest request, String name) {
        List<String> out = new ArrayList<>();
        Enumeration<String> headers = request.getHeaders("Cookie");
        while (headers != null && headers.hasMoreElements() && out.size() < 16) {
            String header = headers.nextElement();
            if (header == null) {
                continue;
            }
            for (String pair : header.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
                    String value = pair.substring(eq + 1).trim();
                    if (value.length() <= MAX_VALUE_LENGTH && out.size() < 16) {
                        out.add(value);
                    }
                }
            }
        }
        return out;
    }

    static String sessionCookie(FilterSettings s, String token) {
        return s.cookieName() + "=" + token + attributes(s, "Lax");
    }

    static String expiredSessionCookie(FilterSettings s) {
        return s.cookieName() + "=" + EXPIRED + attributes(s, "Lax");
    }

    static String preSessionCookie(FilterSettings s, String secret) {
        return s.preSessionCsrfCookieName() + "=" + secret + attributes(s, "Strict");
    }

    static String expiredPreSessionCookie(FilterSettings s) {
        return s.preSessionCsrfCookieName() + "=" + EXPIRED + attributes(s, "Strict");
    }

    private static String attributes(FilterSettings s, String sameSite) {
        return "; Path=/" + (s.secureCookie() ? "; Secure" : "") + "; HttpOnly; SameSite=" + sameSite;
    }

    /**
     * Sets {@code setCookie} as the only Set-Cookie header for its cookie name, keeping the
     * response's other Set-Cookie headers, and marks the response {@code Cache-Control: no-store}.
     *
     * @throws IllegalStateException if the response is already committed
     */
    static void put(HttpServletResponse response, String setCookie) {
        if (response.isCommitted()) {
            throw new IllegalStateException("the response is already committed; the session cookie cannot be set "
                    + "(call PlatformSessions before writing the body)");
        }
        String prefix = setCookie.substring(0, setCookie.indexOf('=') + 1);
        Collection<String> existing = response.getHeaders("Set-Cookie");
        List<String> keep = new ArrayList<>();
        boolean replaced = false;
        if (existing != null) {
            for (String h : existing) {
                if (h.startsWith(prefix)) {
                    replaced = true;
                } else {
                    keep.add(h);
                }
            }
        }
        if (replaced) {
            response.setHeader("Set-Cookie", null);
            for (String h : keep) {
                response.addHeader("Set-Cookie", h);
            }
        }
        response.addHeader("Set-Cookie", setCookie);
        response.setHeader("Cache-Control", "no-store");
    }
}
