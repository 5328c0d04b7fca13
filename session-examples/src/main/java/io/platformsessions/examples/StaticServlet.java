package io.platformsessions.examples;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/**
 * Serves the demo's fixed set of static files from the classpath; anything else is the 404 page.
 * Thread-safe (stateless).
 */
final class StaticServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Map<String, String> FILES = Map.of(
            "/app.css", "text/css;charset=UTF-8",
            "/app.js", "text/javascript;charset=UTF-8");

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String name = req.getPathInfo();
        String type = name == null ? null : FILES.get(name);
        byte[] body = type == null ? null : Html.resource("static" + name);
        if (body == null) {
            DashboardServlet.notFound(req, resp);
            return;
        }
        resp.setStatus(HttpServletResponse.SC_OK);
        resp.setContentType(type);
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("Cache-Control", "no-cache");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
