package io.platformsessions.examples;

import io.platformsessions.servlet.PlatformSessions;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /login} shows the form (with a pre-session CSRF token in a hidden {@code _csrf} field,
 * which the filter checks on the POST: login CSRF); {@code POST /login} checks the password and, on
 * success, asks the library for a fresh session ({@link PlatformSessions#login}) and redirects to the
 * dashboard. A wrong password shows the form again with status 401 and creates no session.
 *
 * <p>Before any password is checked: a username or client address in back-off
 * ({@link LoginThrottle}) gets 429 with {@code Retry-After}, even with the right password; and when
 * every hashing permit is busy ({@link HashingLimit}) the attempt gets 503 with {@code Retry-After}.
 * Neither costs a password hash or counts as a failure. Thread-safe (its state is thread-safe).
 */
final class LoginServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LoginServlet.class);
    private static final String BUSY_RETRY_SECONDS = "1";

    private final transient DemoAccounts accounts;
    private final transient LoginThrottle throttle;
    private final transient HashingLimit hashing;

    LoginServlet(DemoAccounts accounts, LoginThrottle throttle, HashingLimit hashing) {
        this.accounts = accounts;
        this.throttle = throttle;
        this.hashing = hashing;
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
        String address = req.getRemoteAddr();
        String shownName = username == null ? "" : username;
        Optional<Duration> blocked = throttle.refusal(username, address);
        if (blocked.isPresent()) {
            long seconds = Math.max(1, (blocked.get().toMillis() + 999) / 1000);
            LOG.info("login refused for {} s: too many failures for the username or from {}", seconds, address);
            resp.setHeader("Retry-After", Long.toString(seconds));
            page(req, resp, 429, shownName, "<p class=\"alert alert-error\" id=\"login-error\" role=\"alert\">"
                    + "Too many failed sign-ins. Try again in " + seconds + (seconds == 1 ? " second" : " seconds")
                    + ".</p>");
            return;
        }
        if (!hashing.tryAcquire()) {
            LOG.info("login refused: every password-check permit is busy");
            resp.setHeader("Retry-After", BUSY_RETRY_SECONDS);
            page(req, resp, HttpServletResponse.SC_SERVICE_UNAVAILABLE, shownName,
                    "<p class=\"alert alert-error\" id=\"login-error\" role=\"alert\">"
                            + "The server is busy. Try again in a moment.</p>");
            return;
        }
        Optional<String> userId;
        try {
            userId = accounts.authenticate(username, password);
        } finally {
            hashing.release();
        }
        if (userId.isEmpty()) {
            throttle.failed(username, address);
            LOG.info("login failed for a presented username of {} characters", username == null ? 0 : username.length());
            String error = "<p class=\"alert alert-error\" id=\"login-error\" role=\"alert\">Wrong username or password.</p>";
            page(req, resp, HttpServletResponse.SC_UNAUTHORIZED, shownName, error);
            return;
        }
        throttle.succeeded(username);
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
