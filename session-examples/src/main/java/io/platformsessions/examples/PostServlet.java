package io.platformsessions.examples;

import com.fasterxml.jackson.jr.ob.JSON;
import io.platformsessions.ActivePlatform;
import io.platformsessions.PlatformContext;
import io.platformsessions.servlet.PlatformSessions;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code POST /api/posts} with {@code {"text":"…"}}: the composer's target. It checks the text
 * against the active platform's limit and pretends to post (nothing leaves the demo). The path is
 * platform-required in the filter configuration and needs the CSRF header like every unsafe request.
 * Thread-safe (stateless).
 */
final class PostServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final int MAX_BODY_BYTES = 64 * 1024;
    private static final int MAX_CONTENT_TYPE = 256;
    /** An RFC 9110 token: what a parameter name or an unquoted value may hold. */
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}");

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<PlatformContext> context = PlatformSessions.context(req);
        if (context.isEmpty()) {
            json(resp, HttpServletResponse.SC_UNAUTHORIZED, error("NO_SESSION", "Sign in first."));
            return;
        }
        Optional<ActivePlatform> platform = context.get().platform();
        if (platform.isEmpty()) {
            json(resp, HttpServletResponse.SC_CONFLICT, error("PLATFORM_REQUIRED", "Choose a platform first."));
            return;
        }
        // the raw header: Jetty's getContentType() throws for a charset the JVM does not know
        Problem problem = contentTypeProblem(req.getHeader("Content-Type"));
        if (problem != null) {
            json(resp, problem.status(), error(problem.status() == 415 ? "UNSUPPORTED_MEDIA_TYPE" : "BAD_REQUEST",
                    problem.message()));
            return;
        }
        String text;
        try (InputStream in = req.getInputStream()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                json(resp, 413, error("PAYLOAD_TOO_LARGE", "The post is too large."));
                return;
            }
            Object parsed = JSON.std.anyFrom(new String(body, StandardCharsets.UTF_8));
            Object t = parsed instanceof Map<?, ?> m ? m.get("text") : null;
            if (!(t instanceof String s)) {
                json(resp, HttpServletResponse.SC_BAD_REQUEST, error("BAD_REQUEST", "Expected {\"text\": \"…\"}."));
                return;
            }
            text = s;
        } catch (IOException e) {
            json(resp, HttpServletResponse.SC_BAD_REQUEST, error("BAD_REQUEST", "Invalid JSON."));
            return;
        }
        ActivePlatform p = platform.get();
        int length = text.codePointCount(0, text.length());
        int limit = PlatformLimits.forType(p.type());
        if (text.isBlank()) {
            json(resp, HttpServletResponse.SC_BAD_REQUEST, error("BAD_REQUEST", "Write something first."));
            return;
        }
        if (length > limit) {
            json(resp, HttpServletResponse.SC_BAD_REQUEST,
                    error("TOO_LONG", "Posts on " + p.type() + " have at most " + limit + " characters."));
            return;
        }
        Map<String, Object> ok = new LinkedHashMap<>();
        ok.put("ok", true);
        ok.put("platform", p.name());
        ok.put("type", p.type());
        ok.put("length", length);
        ok.put("limit", limit);
        json(resp, HttpServletResponse.SC_OK, ok);
    }

    /** Why a Content-Type header is refused: the status and a message for the client. */
    record Problem(int status, String message) {
    }

    /**
     * Checks a raw Content-Type header without the container's parsing (which throws for unknown
     * charsets): it must be {@code application/json}, with no charset or a UTF-8 one (JSON is UTF-8,
     * RFC 8259), and its parameters must be well-formed.
     *
     * @param header the raw header, may be null
     * @return null when acceptable; else 415 for another media type or charset, 400 for a malformed header
     */
    static Problem contentTypeProblem(String header) {
        if (header == null) {
            return new Problem(415, "Send application/json.");
        }
        if (header.length() > MAX_CONTENT_TYPE) {
            return new Problem(HttpServletResponse.SC_BAD_REQUEST, "Malformed Content-Type header.");
        }
        String[] parts = header.split(";", -1);
        if (!"application/json".equals(parts[0].strip().toLowerCase(Locale.ROOT))) {
            return new Problem(415, "Send application/json.");
        }
        for (int i = 1; i < parts.length; i++) {
            String param = parts[i].strip();
            if (param.isEmpty()) {
                continue;
            }
            int eq = param.indexOf('=');
            String name = eq < 0 ? "" : param.substring(0, eq).strip();
            String value = eq < 0 ? "" : param.substring(eq + 1).strip();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            if (!TOKEN.matcher(name).matches() || !TOKEN.matcher(value).matches()) {
                return new Problem(HttpServletResponse.SC_BAD_REQUEST, "Malformed Content-Type header.");
            }
            if (name.equalsIgnoreCase("charset") && !isUtf8(value)) {
                return new Problem(415, "Send the JSON in UTF-8.");
            }
        }
        return null;
    }

    private static boolean isUtf8(String name) {
        try {
            return Charset.isSupported(name) && Charset.forName(name).equals(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) { // IllegalCharsetNameException
            return false;
        }
    }

    private static Map<String, Object> error(String code, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", code);
        m.put("message", message);
        return m;
    }

    private static void json(HttpServletResponse resp, int status, Map<String, Object> body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json;charset=UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        byte[] bytes = JSON.std.asString(body).getBytes(StandardCharsets.UTF_8);
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }
}
