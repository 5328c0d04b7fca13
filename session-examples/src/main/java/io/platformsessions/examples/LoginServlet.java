package io.platformsessions.examples;

import io.platformsessions.servlet.PlatformSessions;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /login} shows the form (with a pre-session CSRF token in a hidden {@code _csrf} field,
 * which the filter checks on the POST: login CSRF); {@code POST /login} checks the password and, on
 * success, asks the library for a fresh session ({@link PlatformSessions#login}) and redirects to the
 * dashboard. A wrong password shows the form again with status 401 and creates no session.
 * Thread-safe (its only state is the thread-safe accounts object).
 */
final class LoginServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LoginServlet.class);

    private final transient DemoAccounts accounts;

    LoginServlet(DemoAccounts accounts) {
        this.accounts = accounts;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (PlatformSessions.context(req).isPresent()) {
            resp.sendRedirect("/");
            return;
        }
        String notice = req.getParameter("ended") != null
                ? "<p class=\"alert alert-info\" id=\"login-notice\">Your session has ended. Please sign in again.</p>"
                : "";
        page(req, resp, HttpServletResponse.SC_OK, "", notice);
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String username = req.getParameter("username");
        String password = req.getParameter("password");
        Optional<String> userId = accounts.authenticate(username, password);
        if (userId.isEmpty()) {
            LOG.info("login failed for a presented username of {} characters", username == null ? 0 : username.length());
            String error = "<p class=\"alert alert-error\" id=\"login-error\" role=\"alert\">Wrong username or password.</p>";
            page(req, resp, HttpServletResponse.SC_UNAUTHORIZED, username == null ? "" : username, error);
            return;
        }
        PlatformSessions.login(req, resp, userId.get());
        LOG.info("user {} signed in", userId.get());
        resp.setStatus(HttpServletResponse.SC_SEE_OTHER);
        resp.setHeader("Location", "/");
    }

    private static void page(HttpServletRequest req, HttpServletResponse resp, int status, String username, String notice)
            throws IOException {
        String csrf = PlatformSessions.csrfToken(req, resp);
        String shownName = username.length() > DemoAccounts.MAX_USERNAME_LENGTH ? "" : username;
        boolean named = !shownName.isEmpty();
        Html.write(resp, status, Html.render("login.html", Map.of("csrf", csrf, "username", shownName, "notice", notice,
                "focusUsername", named ? "" : " autofocus", "focusPassword", named ? " autofocus" : "")));
    }
}
