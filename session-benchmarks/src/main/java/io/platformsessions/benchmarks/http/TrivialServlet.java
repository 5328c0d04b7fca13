package io.platformsessions.benchmarks.http;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.Serial;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.LongAdder;

/**
 * The application under every route: a logged-in page that reads one session attribute and
 * answers a few bytes. On a route that requires a session it answers 403 unless the request's
 * session holds {@value #ATTRIBUTE} = {@value #VALUE}, so a session that was not recognised shows
 * up as non-2xx responses instead of as a fast, wrong figure. Thread-safe.
 */
final class TrivialServlet extends HttpServlet {
    /** The attribute every prepared session holds. */
    static final String ATTRIBUTE = "theme";
    /** Its value. */
    static final String VALUE = "dark";
    @Serial
    private static final long serialVersionUID = 1L;
    private static final byte[] OK = "ok\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REFUSED = "no session\n".getBytes(StandardCharsets.US_ASCII);

    private final boolean requiresSession;
    private final transient LongAdder served;

    TrivialServlet(boolean requiresSession, LongAdder served) {
        this.requiresSession = requiresSession;
        this.served = served;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (served != null) {
            served.increment();
        }
        HttpSession session = req.getSession(false);
        boolean ok = !requiresSession || session != null && VALUE.equals(session.getAttribute(ATTRIBUTE));
        byte[] body = ok ? OK : REFUSED;
        resp.setStatus(ok ? 200 : 403);
        resp.setContentType("text/plain");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
