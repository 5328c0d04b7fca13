package io.platformsessions.servlet;

import io.platformsessions.PlatformContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Collections;
import java.util.Map;

/** The tiny application behind the filter in the integration tests. */
final class AppServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!ContentTypes.isUrlEncodedForm(req)) {
            // a well-behaved app reads the body it was sent; otherwise the container may close the
            // keep-alive connection under a client that is about to reuse it
            req.getInputStream().readAllBytes();
        }
        String path = PlatformSessionFilter.pathWithinApplication(req);
        String m = req.getMethod();
        String out;
        switch (path) {
            case "/login-form" -> out = PlatformSessions.csrfToken(req, resp);
            case "/login" -> {
                String user = req.getParameter("user");
                String platform = req.getParameter("platform");
                PlatformContext c = platform == null ? PlatformSessions.login(req, resp, user)
                        : PlatformSessions.login(req, resp, user, Long.parseLong(platform));
                out = "logged in " + c.userId() + " " + c.sessionId();
            }
            case "/login-rotate" -> {
                resp.addHeader("Set-Cookie", "theme=dark; Path=/");
                PlatformSessions.login(req, resp, req.getParameter("user"));
                out = "rotated " + req.changeSessionId();
            }
            case "/logout-then-login" -> {
                PlatformSessions.logout(req, resp);
                String extra = req.getParameter("extra");
                if (extra != null) {
                    resp.setHeader("Clear-Site-Data", resp.getHeader("Clear-Site-Data") + ", " + extra);
                }
                out = "switched user to " + PlatformSessions.login(req, resp, req.getParameter("user")).userId();
            }
            case "/logout" -> {
                PlatformSessions.logout(req, resp);
                out = "logged out";
            }
            case "/whoami" -> out = PlatformSessions.context(req)
                    .map(c -> c.userId() + " " + c.platform().map(p -> Long.toString(p.id())).orElse("none"))
                    .orElse("anonymous");
            case "/thread" -> out = PlatformSessions.currentContext().map(PlatformContext::userId).orElse("none")
                    + " " + (req.getAttribute(PlatformSessionFilter.CONTEXT_ATTRIBUTE) != null);
            case "/require" -> out = PlatformSessions.requireContext(req).userId();
            case "/echo" -> out = "ok " + m;
            case "/app-checks-csrf" -> {
                // an application that checks a token itself (here from a query parameter of a GET)
                PlatformContext c = PlatformSessions.requireContext(req);
                PlatformSessions.manager(req).requireCsrfToken(c, req.getParameter("token"));
                out = "token ok";
            }
            case "/webhooks/hook" -> out = "hook ok";
            case "/webhooks/whoami", "/webhooks/return" -> out = PlatformSessions.context(req)
                    .map(c -> c.userId() + " " + c.platform().map(p -> Long.toString(p.id())).orElse("none"))
                    .orElse("anonymous") + " requested=" + req.getRequestedSessionId();
            case "/webhooks/require" -> out = PlatformSessions.requireContext(req).userId();
            case "/compose", "/api/posts/1" -> out = "compose " + PlatformSessions.requireContext(req).platform()
                    .orElseThrow().id();
            case "/session-facade" -> out = facade(req, resp, req.getParameter("op"));
            case "/ended-under-us" -> {
                // another node or an administrator ends the session while this request uses it
                PlatformContext c = PlatformSessions.requireContext(req);
                PlatformSessions.manager(req).invalidate(c.key(), io.platformsessions.InvalidationReason.ADMIN);
                out = Long.toString(PlatformSessions.manager(req).switchPlatform(c.key(), 2).version());
            }
            case "/admin-only" -> {
                PlatformContext c = PlatformSessions.requireContext(req);
                PlatformSessions.manager(req).requireElevated(c, io.platformsessions.AccessLevel.ADMIN);
                out = "admin ok";
            }
            case "/read-secret" -> out = PlatformSessions.manager(req)
                    .getAttribute(PlatformSessions.requireContext(req), "oauthToken", String.class).orElse("none");
            case "/switch-in-app" -> out = Long.toString(PlatformSessions.manager(req)
                    .switchPlatform(PlatformSessions.requireContext(req).key(), Long.parseLong(req.getParameter("id")))
                    .platform().orElseThrow().id());
            default -> {
                resp.sendError(404);
                return;
            }
        }
        resp.setContentType("text/plain;charset=UTF-8");
        resp.getWriter().write(out);
    }

    private static String facade(HttpServletRequest req, HttpServletResponse resp, String op) {
        switch (op == null ? "" : op) {
            case "peek" -> {
                HttpSession s = req.getSession(false);
                return s == null ? "null" : "session " + s.getId();
            }
            case "create" -> {
                try {
                    return "session " + req.getSession().getId();
                } catch (IllegalStateException e) {
                    return "ise: " + e.getMessage();
                }
            }
            case "set" -> {
                HttpSession s = req.getSession();
                s.setAttribute(req.getParameter("name"), req.getParameter("value"));
                return String.valueOf(s.getAttribute(req.getParameter("name")));
            }
            case "setmap" -> {
                HttpSession s = req.getSession();
                s.setAttribute("m", Map.of("a", 1));
                Object v = s.getAttribute("m");
                return (v instanceof Map<?, ?> ? "map " : "other ") + v;
            }
            case "get" -> {
                return String.valueOf(req.getSession().getAttribute(req.getParameter("name")));
            }
            case "names" -> {
                return String.join(",", Collections.list(req.getSession().getAttributeNames()));
            }
            case "remove" -> {
                req.getSession().removeAttribute(req.getParameter("name"));
                return "removed";
            }
            case "setnull" -> {
                req.getSession().setAttribute(req.getParameter("name"), null);
                return "nulled";
            }
            case "info" -> {
                HttpSession s = req.getSession();
                return "new=" + s.isNew() + " max=" + s.getMaxInactiveInterval() + " created=" + s.getCreationTime()
                        + " requested=" + req.getRequestedSessionId() + " valid=" + req.isRequestedSessionIdValid()
                        + " fromCookie=" + req.isRequestedSessionIdFromCookie();
            }
            case "invalidate" -> {
                HttpSession s = req.getSession();
                s.invalidate();
                String after;
                try {
                    s.getAttribute("x");
                    after = "still usable";
                } catch (IllegalStateException e) {
                    after = "ise";
                }
                return "invalidated " + (req.getSession(false) == null) + " " + after;
            }
            case "placeholder" -> {
                // what a framework does that only asks for "the session"
                HttpSession s = req.getSession(true);
                String seen = "new=" + s.isNew() + " attr=" + s.getAttribute("x") + " names="
                        + Collections.list(s.getAttributeNames()) + " same=" + (req.getSession() == s)
                        + " false=" + req.getSession(false) + " idLooksPlatform=" + s.getId().matches("[A-Za-z0-9_-]{22}");
                s.removeAttribute("x");
                s.setAttribute("x", null);
                s.invalidate();
                s.setMaxInactiveInterval(5);
                String refused;
                try {
                    s.setAttribute("cart", 3);
                    refused = "stored?!";
                } catch (IllegalStateException e) {
                    refused = "refused: " + e.getMessage();
                }
                return seen + " max=" + s.getMaxInactiveInterval() + " " + refused;
            }
            case "placeholder-then-login" -> {
                HttpSession s = req.getSession(true);
                String before = s.getId();
                PlatformSessions.login(req, resp, req.getParameter("user"));
                s.setAttribute("cart", 3);
                return "before=" + before.startsWith("placeholder-") + " after=" + s.getId().equals(req.getSession(false).getId())
                        + " new=" + s.isNew() + " cart=" + s.getAttribute("cart");
            }
            case "placeholder-after-login" -> {
                // a placeholder kept by the application forwards every call to the session made later in the request
                HttpSession s = req.getSession(true);
                String before = s.toString();
                boolean createdBefore = s.getCreationTime() > 0 && s.getLastAccessedTime() == s.getCreationTime();
                PlatformSessions.login(req, resp, req.getParameter("user"));
                HttpSession live = req.getSession(false);
                s.setAttribute("cart", 3);
                s.removeAttribute("cart");
                s.setMaxInactiveInterval(60);
                String seen = "placeholderToString=" + before.startsWith("PlaceholderHttpSession[placeholder-")
                        + " createdBefore=" + createdBefore
                        + " created=" + (s.getCreationTime() == live.getCreationTime() && s.getCreationTime() > 0)
                        + " accessed=" + (s.getLastAccessedTime() == live.getLastAccessedTime() && s.getLastAccessedTime() > 0)
                        + " context=" + (s.getServletContext() == req.getServletContext()
                                && live.getServletContext() == req.getServletContext())
                        + " cart=" + s.getAttribute("cart") + " live=" + live;
                s.invalidate();
                return seen + " invalidated=" + (req.getSession(false) == null);
            }
            case "invalidate-placeholder" -> {
                // what a framework's logout does: invalidate whatever getSession() returns
                req.getSession().invalidate();
                return "invalidated";
            }
            case "rotate-anonymous" -> {
                try {
                    return req.changeSessionId();
                } catch (IllegalStateException e) {
                    return "refused: " + e.getMessage();
                }
            }
            case "rotate" -> {
                String before = req.getSession().getId();
                String now = req.changeSessionId();
                return before + " " + now;
            }
            default -> {
                return "unknown op";
            }
        }
    }
}
