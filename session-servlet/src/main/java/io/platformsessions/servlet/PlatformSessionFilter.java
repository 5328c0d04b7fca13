package io.platformsessions.servlet;

import io.platformsessions.PlatformContext;
import io.platformsessions.SessionConfig;
import io.platformsessions.SessionException;
import io.platformsessions.SessionManager;
import io.platformsessions.spi.PlatformDirectory;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The servlet filter that puts Platform Sessions into a web application. Map it to {@code /*}.
 *
 * <p>Per request it reads the session cookie ({@code __Host-psid}; malformed, over-long or
 * duplicated cookies never reach the store), resolves it with
 * {@link SessionManager#lookup(String, io.platformsessions.ClientInfo)}, binds the {@link PlatformContext} to the
 * request (attribute {@link #CONTEXT_ATTRIBUTE}, and a per-thread holder cleared in
 * {@code finally}), and passes on a request whose {@code getSession()}, {@code changeSessionId()},
 * {@code HttpSession.invalidate()} and attributes are backed by the platform session. It enforces
 * CSRF on unsafe methods (token, Fetch Metadata, Origin), answers TRACE with 405 (a TRACE echo would
 * put the HttpOnly cookie in a body), guards platform-required paths, serves the
 * JSON endpoints and {@code sync.js} under the endpoint prefix, and maps session exceptions
 * thrown by the application to the JSON error contract (a store failure is 503 with
 * {@code Retry-After}).
 *
 * <p>Three ways to register it: {@link #builder(SessionManager)} and
 * {@code ServletContext.addFilter(name, filter)} (or an embedded container's filter holder); or the
 * no-argument constructor from {@code web.xml} / {@code addFilter(name, PlatformSessionFilter.class)}
 * with init-parameters named like the builder methods ({@code secureCookie}, {@code loginPage},
 * {@code platformPickerPage}, {@code platformRequiredPaths}, {@code csrfExemptPaths},
 * {@code csrfExemptPathsWithSession}, {@code loginPaths}, {@code allowedOrigins},
 * {@code trustedProxies}, {@code clientAddressHeader}, {@code endpointPrefix},
 * {@code retryAfterSeconds}; lists separated by commas or white space), the {@link SessionManager}
 * in the servlet-context attribute {@link #MANAGER_ATTRIBUTE} (or the attribute named by the
 * init-parameter {@code managerAttribute}).
 *
 * <p>Thread-safe: one instance serves all requests; its configuration is immutable once built or
 * initialised.
 */
public final class PlatformSessionFilter implements Filter {
    /** Servlet-context attribute where a web.xml-registered filter finds its {@link SessionManager}. */
    public static final String MANAGER_ATTRIBUTE = "io.platformsessions.SessionManager";
    /**
     * Servlet-context attribute where a web.xml-registered filter finds a {@link PlatformDirectory} for
     * {@code GET <prefix>/platforms} (or the attribute named by the init-parameter
     * {@code platformDirectoryAttribute}).
     *
     * @deprecated not needed: {@code GET <prefix>/platforms} is always served, from
     *     {@link SessionManager#platformConnections(String)} (the manager's own directory). A directory found
     *     here is still used instead, as before; remove the attribute.
     */
    @Deprecated(since = "0.1.0")
    public static final String PLATFORM_DIRECTORY_ATTRIBUTE = "io.platformsessions.spi.PlatformDirectory";
    /**
     * Request attribute holding the live {@link PlatformContext} (absent when there is no session): set on
     * the container's request before the chain runs and kept in step by every change to the session in the
     * request, so forwards, includes, async and error dispatches, and code before the filter (an access log,
     * an observation convention) after the chain returned, read the request's current context.
     */
    public static final String CONTEXT_ATTRIBUTE = "io.platformsessions.PlatformContext";

    private static final Logger LOG = LoggerFactory.getLogger(PlatformSessionFilter.class);

    private volatile FilterParts parts;

    /**
     * For {@code web.xml} and {@code addFilter(name, PlatformSessionFilter.class)}: the filter is
     * configured from init-parameters in {@link #init(FilterConfig)}.
     */
    public PlatformSessionFilter() {
    }

    private PlatformSessionFilter(FilterSettings settings) {
        this.parts = FilterParts.of(settings);
    }

    /**
     * Starts building a filter around a manager.
     *
     * @param manager the session manager the filter resolves sessions with
     * @return a new builder (not thread-safe)
     * @throws NullPointerException if {@code manager} is null
     */
    public static Builder builder(SessionManager manager) {
        return new Builder(Objects.requireNonNull(manager, "manager"));
    }

    /**
     * Configures a filter made with the no-argument constructor from its init-parameters and the
     * {@link SessionManager} in the servlet context; does nothing for a filter made by the builder.
     *
     * @param config the container's filter configuration
     * @throws ServletException if no manager is found in the servlet context or a parameter is invalid
     */
    @Override
    public void init(FilterConfig config) throws ServletException {
        if (parts != null) {
            return;
        }
        this.parts = FilterParts.of(InitParameters.builder(config).settings());
    }

    /**
     * Handles one request as described in the class comment: resolve, guard, then an endpoint or
     * the rest of the chain. Every error answer comes from the {@link ErrorResponder}.
     *
     * @param req the request
     * @param res the response
     * @param chain the rest of the chain
     * @throws IOException if writing the response fails
     * @throws ServletException if the filter was never initialised, or from the chain
     */
    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
            chain.doFilter(req, res);
            return;
        }
        RequestState handled = RequestState.of(request);
        if (handled != null) {
            redispatch(handled, request, response, chain);
            return;
        }
        FilterParts p = parts;
        if (p == null) {
            throw new ServletException("PlatformSessionFilter was not initialised");
        }
        if ("TRACE".equalsIgnoreCase(request.getMethod())) {
            // the container's TRACE echoes every request header, the HttpOnly session cookie included
            p.responder().traceRefused(request, response);
            return;
        }
        String path = pathWithinApplication(request);
        SessionEndpoints.Endpoint endpoint = p.endpoints().match(path);
        if (endpoint == SessionEndpoints.Endpoint.SYNC_JS) {
            p.endpoints().serveScript(request, response);
            return;
        }
        response.addHeader("Vary", "Cookie");
        // CSRF-exempt paths see the session only when the application opted in for them
        boolean exempt = endpoint == null && p.settings().csrfExempt(path);
        boolean withSession = !exempt || p.settings().csrfExemptPathsWithSession().matches(path);
        RequestState previous = null;
        RequestState state = null;
        boolean bound = false;
        try {
            state = p.resolver().resolve(p, request, response, withSession,
                    endpoint == null || !SessionEndpoints.withoutActivity(endpoint, request));
            state.publish();
            previous = RequestState.bind(state);
            bound = true;
            if (!guard(p, state, endpoint, path, exempt)) {
                return;
            }
            if (endpoint != null) {
                p.endpoints().handle(endpoint, state);
            } else {
                chain.doFilter(new PlatformSessionRequest(request, state), response);
            }
        } catch (SessionException ex) {
            if (response.isCommitted() || !p.responder().answer(request, response, state, ex)) {
                throw ex;
            }
        } finally {
            if (bound) {
                RequestState.unbind(previous);
            }
        }
    }

    /**
     * A forward, include, async or error dispatch of a request the filter already handled: no
     * second lookup; the application gets the platform session (the container's own request, which
     * error and async dispatches start from, is wrapped again) and the state is bound to the thread.
     */
    private static void redispatch(RequestState state, HttpServletRequest request, HttpServletResponse response,
                                   FilterChain chain) throws IOException, ServletException {
        HttpServletRequest passed = request instanceof PlatformSessionRequest
                || request instanceof ServletRequestWrapper w && w.isWrapperFor(PlatformSessionRequest.class)
                ? request : new PlatformSessionRequest(request, state);
        if (RequestState.current() == state) {
            chain.doFilter(passed, response);
            return;
        }
        RequestState previous = RequestState.bind(state);
        try {
            chain.doFilter(passed, response);
        } finally {
            RequestState.unbind(previous);
        }
    }

    /**
     * CSRF on unsafe methods (provenance, then the token outside the endpoints and exempt paths) and
     * the platform-required guard. Returns false when the request was refused (and answered).
     */
    private static boolean guard(FilterParts p, RequestState state, SessionEndpoints.Endpoint endpoint, String path,
                                 boolean exempt) throws IOException {
        HttpServletRequest request = state.request();
        HttpServletResponse response = state.response();
        // an exempt path skips the token, but a browser request carrying our session cookie still
        // gets the cheap provenance checks: a cross-site page must not ride the session there either
        if (CsrfPolicy.isUnsafe(request.getMethod()) && (!exempt || state.presentedCookie().present())) {
            response.addHeader("Vary", "Origin, Sec-Fetch-Site");
            String refused = p.csrf().provenanceRefusal(request);
            if (refused != null) {
                p.responder().provenanceRefused(request, response, refused);
                return false;
            }
            if (endpoint == null && !exempt && !p.csrf().tokenValid(state)) {
                p.responder().tokenRefused(state);
                return false;
            }
        }
        if (endpoint == null && p.settings().platformRequiredPaths().matches(path)) {
            PlatformContext c = state.context();
            if (c == null) {
                p.responder().noSession(state);
                return false;
            }
            if (!c.hasPlatform()) {
                p.responder().platformRequired(request, response);
                return false;
            }
        }
        return true;
    }

    static String pathWithinApplication(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        String path;
        if (pathInfo == null || pathInfo.isEmpty()) {
            path = servletPath == null ? "" : servletPath; // the usual case: no concatenation
        } else {
            path = servletPath == null ? pathInfo : servletPath + pathInfo;
        }
        return path.isEmpty() ? "/" : path;
    }

    /** Nothing to release: the filter does not own the {@link SessionManager}. */
    @Override
    public void destroy() {
    }

    /**
     * Builds a {@link PlatformSessionFilter}. Not thread-safe; every setter returns {@code this} and
     * rejects a malformed value (path pattern, origin, page, prefix, network, header name, retry
     * delay) at once with an {@link IllegalArgumentException}; {@link #build()} only assembles what
     * the setters accepted. Defaults: secure cookie {@code __Host-psid}; no login page and no
     * platform-picker page (JSON errors instead of redirects); login paths = the login page's path;
     * no platform-required and no CSRF-exempt paths; allowed origin = the request's own
     * {@code scheme://host[:port]}; no trusted proxies (the remote address is the client's); endpoint prefix
     * {@code /session}; {@code Retry-After} of 5 seconds.
     */
    public static final class Builder {
        private final SessionManager manager;
        private boolean secureCookie = true;
        private String loginPage;
        private String platformPickerPage;
        private final List<String> platformRequiredPaths = new ArrayList<>();
        private final List<String> csrfExemptPaths = new ArrayList<>();
        private final List<String> csrfExemptPathsWithSession = new ArrayList<>();
        /** Null until {@link #loginPaths} is called: then the login page's path is the default. */
        private List<String> loginPaths;
        private final Set<String> allowedOrigins = new LinkedHashSet<>();
        private final List<String> trustedProxies = new ArrayList<>();
        private String clientAddressHeader = "X-Forwarded-For";
        private PlatformDirectory platformDirectory;
        private String endpointPrefix = "/session";
        private int retryAfterSeconds = 5;

        private Builder(SessionManager manager) {
            this.manager = manager;
        }

        /**
         * Whether the session cookie is Secure (default {@code true}: named {@code __Host-psid},
         * sent over HTTPS only). {@code false} names it {@code psid} without Secure, for local HTTP
         * development only; a WARN is logged when such a filter is built.
         *
         * @param value {@code false} only for local development over plain HTTP
         * @return this builder
         */
        public Builder secureCookie(boolean value) {
            this.secureCookie = value;
            return this;
        }

        /**
         * Where a browser asking for HTML is redirected when it has no session (and after logout).
         * A path starting with {@code /} is relative to the context path. Default: none (a 401
         * JSON error is sent instead).
         *
         * @param path the login page, or {@code null} for none
         * @return this builder
         * @throws IllegalArgumentException if the path is blank or contains CR/LF
         */
        public Builder loginPage(String path) {
            this.loginPage = page("loginPage", path);
            return this;
        }

        /**
         * Where a browser asking for HTML is redirected on a platform-required path when its session
         * has no active platform. Default: none (a 409 PLATFORM_REQUIRED JSON error is sent).
         *
         * @param path the picker page, or {@code null} for none
         * @return this builder
         * @throws IllegalArgumentException if the path is blank or contains CR/LF
         */
        public Builder platformPickerPage(String path) {
            this.platformPickerPage = page("platformPickerPage", path);
            return this;
        }

        /**
         * Adds paths that need a session with an active platform: exact ({@code /compose}, which
         * also guards {@code /compose/}) or a prefix ending in {@code /*} ({@code /api/posts/*}).
         * Default: none.
         *
         * @param patterns the patterns, relative to the context path
         * @return this builder
         * @throws IllegalArgumentException if a pattern is null, blank, does not start with {@code /}, or has a
         *     {@code *} anywhere but a trailing {@code /*}
         * @throws NullPointerException if {@code patterns} is null
         */
        public Builder platformRequiredPaths(String... patterns) {
            List<String> list = Arrays.asList(Objects.requireNonNull(patterns, "platformRequiredPaths"));
            PathPatterns.guard(list); // validates every pattern now, not at build()
            platformRequiredPaths.addAll(list);
            return this;
        }

        /**
         * Adds paths where unsafe methods skip the CSRF checks (webhooks, token-authenticated APIs).
         * Requests there do not get the user's session: the filter does not look the session cookie
         * up, so application code sees no session (a request without {@code Origin} or Fetch Metadata,
         * from an old or non-browser client, would otherwise act in the session with no CSRF check at
         * all). Use {@link #csrfExemptPathsWithSession(String...)} for an exempt path that needs the
         * session. Exact patterns match exactly (no trailing-slash variant). A request to an exempt
         * path that carries the session cookie still gets the provenance checks ({@code Sec-Fetch-Site:
         * cross-site} and a foreign {@code Origin} are refused), only the token is skipped. Never
         * applies to the session endpoints. {@code "/*"} logs a WARN when built. Default: none.
         *
         * @param patterns exact paths or prefixes ending in {@code /*}
         * @return this builder
         * @throws IllegalArgumentException if a pattern is null, blank, does not start with {@code /}, or has a
         *     {@code *} anywhere but a trailing {@code /*}
         * @throws NullPointerException if {@code patterns} is null
         */
        public Builder csrfExemptPaths(String... patterns) {
            List<String> list = Arrays.asList(Objects.requireNonNull(patterns, "csrfExemptPaths"));
            PathPatterns.of(list); // validates every pattern now, not at build()
            csrfExemptPaths.addAll(list);
            return this;
        }

        /**
         * Adds CSRF-exempt paths on which requests still get the user's session: the explicit opt-in
         * for an exempt path whose handler acts as the user. Such a request is authenticated by the
         * cookie alone with no CSRF token, so it relies on the provenance checks ({@code Sec-Fetch-Site},
         * {@code Origin}, which old or non-browser clients do not send) and on {@code SameSite=Lax};
         * give the handler its own protection (a signature, a one-time nonce) before you list it here.
         * Matching works as for {@link #csrfExemptPaths(String...)}; a path on both lists gets the
         * session. Default: none.
         *
         * @param patterns exact paths or prefixes ending in {@code /*}
         * @return this builder
         * @throws IllegalArgumentException if a pattern is null, blank, does not start with {@code /}, or has a
         *     {@code *} anywhere but a trailing {@code /*}
         * @throws NullPointerException if {@code patterns} is null
         */
        public Builder csrfExemptPathsWithSession(String... patterns) {
            List<String> list = Arrays.asList(Objects.requireNonNull(patterns, "csrfExemptPathsWithSession"));
            PathPatterns.of(list); // validates every pattern now, not at build()
            csrfExemptPathsWithSession.addAll(list);
            return this;
        }

        /**
         * Adds the paths the login form is shown on and posted to. There, an unsafe request may carry
         * the pre-session CSRF token (the one {@link PlatformSessions#csrfToken} hands out before
         * login) even when the browser also presents a session cookie, so a login form rendered before
         * that session existed, or while someone else's session was planted in the browser, can still
         * be submitted; the session's own token is accepted there too. Exact patterns match exactly.
         * Default: the path of {@link #loginPage(String)} when that is a path (query and fragment
         * removed); calling this method replaces the default, also with no patterns (none).
         *
         * @param patterns exact paths or prefixes ending in {@code /*}
         * @return this builder
         * @throws IllegalArgumentException if a pattern is null, blank, does not start with {@code /}, or has a
         *     {@code *} anywhere but a trailing {@code /*}
         * @throws NullPointerException if {@code patterns} is null
         */
        public Builder loginPaths(String... patterns) {
            List<String> list = Arrays.asList(Objects.requireNonNull(patterns, "loginPaths"));
            PathPatterns.of(list); // validates every pattern now, not at build()
            if (loginPaths == null) {
                loginPaths = new ArrayList<>();
            }
            loginPaths.addAll(list);
            return this;
        }

        /** The explicit login paths, else the login page's own path when it is one. */
        private PathPatterns loginPathPatterns() {
            if (loginPaths != null) {
                return PathPatterns.of(loginPaths);
            }
            if (loginPage == null || !loginPage.startsWith("/")) {
                return PathPatterns.none();
            }
            String path = loginPage.split("[?#]", 2)[0];
            return path.contains("*") ? PathPatterns.none() : PathPatterns.of(List.of(path));
        }

        /**
         * Adds origins ({@code scheme://host[:port]}) from which unsafe requests are accepted. When
         * none is configured (the default) only the request's own origin, as the container sees it,
         * is accepted; configure this behind a TLS-terminating proxy.
         *
         * @param origins the origins
         * @return this builder
         * @throws IllegalArgumentException if one is not an origin ({@code scheme://host[:port]}, http or https,
         *     no path, query or user info)
         * @throws NullPointerException if {@code origins} is null
         */
        public Builder allowedOrigins(String... origins) {
            allowedOrigins.addAll(CsrfPolicy.normalizeOrigins(
                    Arrays.asList(Objects.requireNonNull(origins, "allowedOrigins"))));
            return this;
        }

        /**
         * Adds the reverse proxies (addresses or CIDR networks, IPv4 or IPv6: {@code 10.0.0.0/8},
         * {@code 192.0.2.7}, {@code fd00::/8}) whose forwarded header names the client. A request
         * whose remote address is one of them is attributed to the right-most address in
         * {@link #clientAddressHeader(String)} that is not itself a trusted proxy (everything to its
         * left could have been written by the client); a missing or malformed header, or a hop that
         * is not an IP literal, leaves the remote address. That client address is what the
         * brute-force limiter counts, the client binding compares and the device list shows. Default:
         * none, so the remote address is always used and forwarded headers are ignored. Trusting
         * {@code 0.0.0.0/0} or {@code ::/0} lets every client choose its address and logs a WARN.
         *
         * @param cidrs addresses or networks
         * @return this builder
         * @throws IllegalArgumentException if one is not an IP literal or network (host names are never resolved)
         * @throws NullPointerException if {@code cidrs} is null
         */
        public Builder trustedProxies(String... cidrs) {
            List<String> list = Arrays.asList(Objects.requireNonNull(cidrs, "trustedProxies"));
            ClientAddresses.of(list, clientAddressHeader); // validates every network now, not at build()
            trustedProxies.addAll(list);
            return this;
        }

        /**
         * The header a trusted proxy writes the client address into (default
         * {@code X-Forwarded-For}). {@code Forwarded} is read as RFC 7239 (the {@code for=}
         * parameters); any other name as a comma-separated list of addresses, like
         * {@code X-Forwarded-For}. Has no effect without {@link #trustedProxies(String...)}.
         *
         * @param name a header name
         * @return this builder
         * @throws IllegalArgumentException if {@code name} is not a header name
         */
        public Builder clientAddressHeader(String name) {
            ClientAddresses.of(List.of(), name); // validates the name now
            this.clientAddressHeader = name;
            return this;
        }

        /**
         * A platform directory for {@code GET <prefix>/platforms}, used instead of the manager's.
         *
         * @param directory the directory
         * @return this builder
         * @throws NullPointerException if {@code directory} is null
         * @deprecated not needed: {@code GET <prefix>/platforms} is always served, from
         *     {@link SessionManager#platformConnections(String)}, which lists the connections of the directory
         *     the manager itself uses (and switches against). A directory set here is still used instead, as
         *     before; remove the call.
         */
        @Deprecated(since = "0.1.0")
        public Builder platformDirectory(PlatformDirectory directory) {
            this.platformDirectory = Objects.requireNonNull(directory, "platformDirectory");
            return this;
        }

        /**
         * Path under which the endpoints are served (default {@code /session}).
         *
         * @param prefix starts with {@code /}, does not end with {@code /}
         * @return this builder
         * @throws IllegalArgumentException for a malformed prefix
         */
        public Builder endpointPrefix(String prefix) {
            if (prefix == null || !prefix.startsWith("/") || prefix.length() < 2 || prefix.endsWith("/")
                    || prefix.contains("*")) {
                throw new IllegalArgumentException("endpointPrefix must look like /session, was '" + prefix + "'");
            }
            this.endpointPrefix = prefix;
            return this;
        }

        /**
         * Seconds sent in {@code Retry-After} with a 503 when the store is unavailable (default 5).
         *
         * @param seconds 1 to 3600
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder retryAfterSeconds(int seconds) {
            if (seconds < 1 || seconds > 3600) {
                throw new IllegalArgumentException("retryAfterSeconds must be 1..3600, was " + seconds);
            }
            this.retryAfterSeconds = seconds;
            return this;
        }

        private static String page(String name, String path) {
            if (path == null) {
                return null;
            }
            if (path.isBlank() || path.indexOf('\r') >= 0 || path.indexOf('\n') >= 0) {
                throw new IllegalArgumentException(name + " must be a path or URL, was '" + path + "'");
            }
            return path.trim();
        }

        FilterSettings settings() {
            Set<String> origins = Set.copyOf(allowedOrigins);
            SessionConfig config = manager.config();
            long idle = config.idleTimeout().getSeconds();
            long cooldownMillis = config.unknownTokenCooldown().toMillis();
            ClientAddresses addresses = trustedProxies.isEmpty() ? ClientAddresses.DIRECT
                    : ClientAddresses.of(trustedProxies, clientAddressHeader);
            FilterSettings s = new FilterSettings(manager, secureCookie, loginPage, platformPickerPage,
                    PathPatterns.guard(platformRequiredPaths), PathPatterns.of(csrfExemptPaths),
                    PathPatterns.of(csrfExemptPathsWithSession), loginPathPatterns(), origins, endpointPrefix, addresses,
                    platformDirectory, retryAfterSeconds, config.clock(), (int) Math.min(Integer.MAX_VALUE, idle),
                    Math.max(1, (cooldownMillis + 999) / 1000));
            if (s.csrfExemptPaths().matchesEverything() || s.csrfExemptPathsWithSession().matchesEverything()) {
                LOG.warn("PlatformSessionFilter: csrfExemptPaths contains \"/*\": CSRF token checks are OFF for every "
                        + "application path (only the session endpoints stay protected). Exempt only the paths that "
                        + "need it (webhooks, token-authenticated APIs)");
            }
            if (addresses.trustsEveryone()) {
                LOG.warn("PlatformSessionFilter: trustedProxies contains a network of every address (/0): any client can "
                        + "choose the address the limiter and the client binding see with a {} header; list only your "
                        + "proxies", addresses.header());
            }
            if (!secureCookie) {
                LOG.warn("PlatformSessionFilter: the session cookie is NOT Secure (name '{}'): use this for local "
                        + "HTTP development only, never in production", s.cookieName());
            }
            return s;
        }

        /**
         * Builds the filter.
         *
         * @return a thread-safe filter, ready for {@code ServletContext.addFilter}
         */
        public PlatformSessionFilter build() {
            return new PlatformSessionFilter(settings());
        }
    }
}
