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
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /api/posts} with {@code {"text":"…"}}: the composer's target. It checks the text
 * against the active platform's limit and pretends to post (nothing leaves the demo). The path is
 * platform-required in the filter configuration and needs the CSRF header like every unsafe request.
 * Thread-safe (stateless).
 */
final class PostServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final int MAX_BODY_BYTES = 64 * 1024;

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
        String contentType = req.getContentType();
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            json(resp, 415, error("BAD_REQUEST", "Send application/json."));
            return;
        }
        String text;
        try (InputStream in = req.getInputStream()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                json(resp, 413, error("BAD_REQUEST", "The post is too large."));
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
