package io.platformsessions.examples;

import io.platformsessions.ActivePlatform;
import io.platformsessions.PlatformContext;
import io.platformsessions.SessionManager;
import io.platformsessions.SessionSummary;
import io.platformsessions.servlet.PlatformSessions;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard at {@code /} (signed-in users only; others are sent to {@code /login}), and the
 * 404 page for every other path no servlet claims. The platform switcher's list is not rendered
 * here: {@code app.js} loads it from {@code GET /session/platforms}. Thread-safe (its state is the
 * thread-safe manager).
 */
final class DashboardServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient SessionManager manager;

    DashboardServlet(SessionManager manager) {
        this.manager = manager;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!"/".equals(path(req))) {
            notFound(req, resp);
            return;
        }
        Optional<PlatformContext> context = PlatformSessions.context(req);
        if (context.isEmpty()) {
            resp.sendRedirect("/login");
            return;
        }
        PlatformContext ctx = context.get();
        Optional<ActivePlatform> platform = ctx.platform();
        String type = platform.map(ActivePlatform::type).orElse("");
        int limit = PlatformLimits.forType(platform.map(ActivePlatform::type).orElse(null));

        Map<String, String> v = new HashMap<>();
        v.put("csrf", PlatformSessions.csrfToken(req, resp));
        v.put("charLimits", PlatformLimits.json());
        v.put("username", ctx.username());
        v.put("platformType", type);
        v.put("platformId", platform.map(p -> Long.toString(p.id())).orElse(""));
        v.put("platformTypeLabel", type.isEmpty() ? "None" : capitalize(type));
        v.put("platformName", platform.map(ActivePlatform::name).orElse("No platform selected"));
        v.put("platformInitial", platform.map(p -> p.name().substring(0, 1).toUpperCase(Locale.ROOT)).orElse("?"));
        v.put("platformInstance", platform.map(ActivePlatform::instanceUrl).orElse(""));
        v.put("charLimit", Integer.toString(limit));
        v.put("deviceRows", deviceRows(ctx));
        v.put("idleTimeout", humanDuration(manager.config().idleTimeout()));
        Html.write(resp, HttpServletResponse.SC_OK, Html.render("dashboard.html", v));
    }

    private String deviceRows(PlatformContext ctx) {
        Instant now = manager.config().clock().instant();
        StringBuilder b = new StringBuilder();
        for (SessionSummary s : manager.activeSessions(ctx.userId())) {
            boolean current = s.key().equals(ctx.key());
            b.append("          <tr class=\"device").append(current ? " current" : "").append("\">")
                    .append("<td>").append(Html.escape(s.device() == null ? "Unknown device" : s.device())).append("</td>")
                    .append("<td>").append(Html.escape(s.ipNetwork() == null ? "—" : s.ipNetwork())).append("</td>")
                    .append("<td>").append(Html.escape(s.platform() == null ? "—" : s.platform().name())).append("</td>")
                    .append("<td>").append(Html.escape(ago(s.lastActivityAt(), now))).append("</td>")
                    .append("<td>").append(current ? "<span class=\"tag-current\">This device</span>" : "").append("</td>")
                    .append("</tr>\n");
        }
        return b.toString();
    }

    /**
     * Writes the 404 page.
     *
     * @param req the request
     * @param resp the response
     * @throws IOException if writing fails
     */
    static void notFound(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = path(req);
        if (path.length() > 200) {
            path = path.substring(0, 200) + "…";
        }
        Html.write(resp, HttpServletResponse.SC_NOT_FOUND, Html.render("not-found.html", Map.of("path", path)));
    }

    private static String path(HttpServletRequest req) {
        String uri = req.getRequestURI();
        String context = req.getContextPath();
        return uri.substring(Math.min(context.length(), uri.length()));
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }

    private static String ago(Instant then, Instant now) {
        long s = Math.max(0, Duration.between(then, now).getSeconds());
        if (s < 60) {
            return "just now";
        }
        if (s < 3600) {
            return (s / 60) + " min ago";
        }
        return (s / 3600) + " h ago";
    }

    private static String humanDuration(Duration d) {
        long minutes = d.toMinutes();
        if (minutes >= 60 && minutes % 60 == 0) {
            return (minutes / 60) + (minutes == 60 ? " hour" : " hours");
        }
        return minutes + (minutes == 1 ? " minute" : " minutes");
    }
}
