package io.platformsessions.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads the raw {@code Content-Type} header. Never calls {@code getContentType()}, which throws on
 * some containers (Jetty 12) for an unknown charset, and never throws itself. Stateless and thread-safe.
 */
final class ContentTypes {
    static final String FORM = "application/x-www-form-urlencoded";
    static final String JSON = "application/json";

    private ContentTypes() {
    }

    /** The raw header, or null. */
    static String header(HttpServletRequest request) {
        return request.getHeader("Content-Type");
    }

    /** The lower-case media type of a raw Content-Type header ("" when absent or blank). */
    static String mediaType(String header) {
        if (header == null) {
            return "";
        }
        int semi = header.indexOf(';');
        return (semi < 0 ? header : header.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    /**
     * The charset parameter of a raw Content-Type header: true when it is absent or names a charset
     * this JVM supports (and, if {@code utf8Only}, that charset is UTF-8).
     */
    static boolean charsetSupported(String header, boolean utf8Only) {
        if (header == null) {
            return true;
        }
        String[] parts = header.split(";");
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            int eq = p.indexOf('=');
            if (eq < 0 || !"charset".equalsIgnoreCase(p.substring(0, eq).trim())) {
                continue;
            }
            String name = p.substring(eq + 1).trim();
            if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
                name = name.substring(1, name.length() - 1);
            }
            try {
                if (!Charset.isSupported(name)) {
                    return false;
                }
                if (utf8Only && !StandardCharsets.UTF_8.equals(Charset.forName(name))) {
                    return false;
                }
            } catch (IllegalArgumentException e) {
                // IllegalCharsetNameException (and null/empty names)
                return false;
            }
        }
        return true;
    }

    /** Whether the body is a urlencoded form in a charset this JVM knows. */
    static boolean isUrlEncodedForm(HttpServletRequest request) {
        String header = header(request);
        return FORM.equals(mediaType(header)) && charsetSupported(header, false);
    }
}
