package io.platformsessions.examples;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Minimal HTML templating for the demo: templates are classpath resources with {@code {{name}}}
 * placeholders (replaced by HTML-escaped values) and {@code {{{name}}}} placeholders (replaced by
 * markup the caller already escaped). Also writes pages with the demo's security headers.
 * Thread-safe (templates are cached in a concurrent map).
 */
final class Html {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(\\{?)([a-zA-Z0-9_]+)\\}?\\}\\}");
    private static final Map<String, String> TEMPLATES = new ConcurrentHashMap<>();
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    private Html() {
    }

    /**
     * Escapes text for HTML element content and quoted attribute values.
     *
     * @param s the text, may be null (then empty)
     * @return the escaped text
     */
    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * Renders a template.
     *
     * @param name the template file under {@code templates/}
     * @param values placeholder values; {@code {{x}}} is escaped, {@code {{{x}}}} inserted as is
     * @return the page
     * @throws IllegalArgumentException if the template or a placeholder value is missing
     */
    static String render(String name, Map<String, String> values) {
        String template = TEMPLATES.computeIfAbsent(name, Html::load);
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder(template.length() + 1024);
        while (m.find()) {
            boolean raw = !m.group(1).isEmpty();
            String key = m.group(2);
            String value = values.get(key);
            if (value == null) {
                throw new IllegalArgumentException("template " + name + " needs a value for " + key);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(raw ? value : escape(value)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * Writes an HTML page with the demo's security headers (CSP, no sniffing, no framing, no caching).
     *
     * @param resp the response
     * @param status the HTTP status
     * @param html the page
     * @throws IOException if writing fails
     */
    static void write(HttpServletResponse resp, int status, String html) throws IOException {
        resp.setStatus(status);
        resp.setContentType("text/html;charset=UTF-8");
        securityHeaders(resp);
        resp.setHeader("Cache-Control", "no-store");
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    /**
     * Adds the headers every demo page carries.
     *
     * @param resp the response
     */
    static void securityHeaders(HttpServletResponse resp) {
        resp.setHeader("Content-Security-Policy", CSP);
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("Referrer-Policy", "same-origin");
        resp.setHeader("X-Frame-Options", "DENY");
    }

    /**
     * Reads a classpath resource of the demo.
     *
     * @param path path below {@code io/platformsessions/examples/}
     * @return the bytes, or {@code null} if there is no such resource
     */
    static byte[] resource(String path) {
        try (InputStream in = Html.class.getResourceAsStream(path)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String load(String name) {
        byte[] bytes = resource("templates/" + name);
        if (bytes == null) {
            throw new IllegalArgumentException("no template " + name);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
