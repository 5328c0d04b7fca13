package io.platformsessions.servlet;

import io.platformsessions.PlatformContext;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests the container dispatches again (forward, include, async, error page), for
 * {@link RedispatchTest}. Each first dispatch keeps the {@code HttpSession} it got in a request
 * attribute; {@code /dispatch/target} and the error page report whether they got the same one (the
 * filter did not look the session up again, and wrapped the container's request of an error or async
 * dispatch again), the context, the attribute and the per-thread context.
 */
final class DispatchServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final String FIRST_SESSION = "test.firstSession";

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException, ServletException {
        // an include keeps the including request's paths; the included path is an attribute
        String op = req.getDispatcherType() == jakarta.servlet.DispatcherType.INCLUDE
                ? (String) req.getAttribute(RequestDispatcher.INCLUDE_PATH_INFO) : req.getPathInfo();
        if (req.getDispatcherType() == jakarta.servlet.DispatcherType.REQUEST) {
            req.setAttribute(FIRST_SESSION, req.getSession(false));
        }
        switch (op) {
            case "/forward" -> req.getRequestDispatcher("/dispatch/target").forward(req, resp);
            case "/include" -> {
                resp.setContentType("text/plain;charset=UTF-8");
                req.getRequestDispatcher("/dispatch/target").include(req, resp);
            }
            case "/send-error" -> resp.sendError(404);
            case "/throw" -> throw new IllegalStateException("thrown by the application");
            case "/async" -> {
                AsyncContext async = req.startAsync();
                async.start(() -> async.dispatch("/dispatch/target"));
            }
            case "/async-thread" -> {
                // the no-argument form hands the container's request to a thread that may run before the filter returns
                AsyncContext async = req.startAsync();
                async.start(() -> {
                    try {
                        async.getResponse().setContentType("text/plain;charset=UTF-8");
                        async.getResponse().getWriter().write("user=" + PlatformSessions.context((HttpServletRequest) async.getRequest())
                                .map(PlatformContext::userId).orElse("none"));
                    } catch (IOException | RuntimeException e) {
                        ((HttpServletResponse) async.getResponse()).setStatus(500);
                    } finally {
                        async.complete();
                    }
                });
            }
            case "/target", "/error-page" -> {
                if (req.getDispatcherType() != jakarta.servlet.DispatcherType.INCLUDE) {
                    resp.setContentType("text/plain;charset=UTF-8");
                }
                resp.getWriter().write(report(req));
            }
            default -> resp.sendError(400);
        }
    }

    private static String report(HttpServletRequest req) {
        HttpSession session = req.getSession(false);
        Object first = req.getAttribute(FIRST_SESSION);
        return req.getDispatcherType() + " user=" + PlatformSessions.context(req).map(PlatformContext::userId).orElse("none")
                + " sameSession=" + (session != null && session == first)
                + " attribute=" + (req.getAttribute(PlatformSessionFilter.CONTEXT_ATTRIBUTE) instanceof PlatformContext)
                + " named=" + Collections.list(req.getAttributeNames()).contains(PlatformSessionFilter.CONTEXT_ATTRIBUTE)
                + " thread=" + PlatformSessions.currentContext().map(PlatformContext::userId).orElse("none")
                + " status=" + req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    }

    /** Registered before the platform filter: records whether the container's request carries the context after the chain. */
    static final class OuterFilter implements Filter {
        /** Request path -> whether the container's request held the context attribute after the chain returned. */
        static final Map<String, Boolean> SEEN_AFTER_CHAIN = new ConcurrentHashMap<>();

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            try {
                chain.doFilter(request, response);
            } finally {
                HttpServletRequest r = (HttpServletRequest) request;
                SEEN_AFTER_CHAIN.put(r.getRequestURI(), r.getAttribute(PlatformSessionFilter.CONTEXT_ATTRIBUTE) != null);
            }
        }
    }
}
