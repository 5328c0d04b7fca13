package io.platformsessions.spring.security;

import java.util.Objects;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.authentication.ui.DefaultResourcesFilter;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.savedrequest.CookieRequestCache;
import org.springframework.security.web.session.ConcurrentSessionFilter;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Puts a Spring Security filter chain on Platform Sessions. Spring Boot applies it to every
 * {@code HttpSecurity} (it is a {@code Customizer<HttpSecurity>} bean) before the application's own
 * {@code SecurityFilterChain} method sees it, so the application may still change any of it afterwards.
 *
 * <ul>
 *   <li><b>Security context</b>: {@link PlatformSecurityContextRepository}, stored in the platform session.</li>
 *   <li><b>Session fixation</b>: {@link PlatformSessionAuthenticationStrategy} replaces {@code changeSessionId}:
 *       every authentication starts a new platform session with a new token.</li>
 *   <li><b>Concurrent sessions</b>: one source of truth, the library's per-user limit. A chain that asks for
 *       Spring Security's {@code maximumSessions(...)} fails at startup with a message saying so.</li>
 *   <li><b>Request cache</b>: {@link CookieRequestCache} (the URL to return to after login is kept in a
 *       short-lived HttpOnly cookie, only for GET requests that ask for HTML): nothing is written to an
 *       {@code HttpSession} before login, where Platform Sessions has none.</li>
 *   <li><b>CSRF</b>: {@code PlatformSessionFilter} checks every unsafe request (token, Fetch Metadata, Origin)
 *       before Spring Security runs; Spring Security's CSRF filter stays in the chain only to publish that
 *       token as the {@code _csrf} request attribute ({@link PlatformCsrfTokenRepository}) and never checks.
 *       Keeping the configurer (instead of {@code csrf.disable()}) also keeps logout POST-only.</li>
 *   <li><b>Logout</b>: {@link PlatformLogoutHandler} ends the platform session, expires its cookie and sends
 *       {@code Clear-Site-Data}.</li>
 *   <li><b>Failed logins</b>: the authentication filters run with a request-scoped {@code HttpSession} when
 *       there is no platform session, so a failure handler that saves the exception in the session works (the
 *       value lasts for that request); the application behind the chain sees the library's
 *       {@code getSession} contract unchanged.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class PlatformSessionsHttpSecurityCustomizer implements Customizer<HttpSecurity> {
    private final PlatformSecurityContextRepository repository;

    /**
     * Creates the customizer.
     *
     * @param repository where security contexts are kept
     * @throws NullPointerException if {@code repository} is null
     */
    public PlatformSessionsHttpSecurityCustomizer(PlatformSecurityContextRepository repository) {
        this.repository = Objects.requireNonNull(repository, "repository");
    }

    /**
     * Applies the settings listed in the class comment.
     *
     * @param http the chain being built
     */
    @Override
    public void customize(HttpSecurity http) {
        http.securityContext(sc -> sc.securityContextRepository(repository));
        http.sessionManagement(sm -> sm
                .sessionAuthenticationStrategy(new PlatformSessionAuthenticationStrategy())
                .withObjectPostProcessor(new RefuseConcurrencyControl()));
        http.requestCache(rc -> rc.requestCache(requestCache()));
        http.csrf(csrf -> csrf
                .csrfTokenRepository(new PlatformCsrfTokenRepository())
                .csrfTokenRequestHandler(new CsrfTokenRequestAttributeHandler())
                .requireCsrfProtectionMatcher(alreadyChecked()));
        http.logout(logout -> logout.addLogoutHandler(new PlatformLogoutHandler()));
        AuthenticationRequestScope scope = new AuthenticationRequestScope();
        http.addFilterAfter(scope.opener(), CsrfFilter.class);
        http.addFilterBefore(scope.closer(), DefaultResourcesFilter.class);
    }

    private static RequestMatcher alreadyChecked() {
        return request -> false; // PlatformSessionFilter checked it before the chain ran
    }

    private static CookieRequestCache requestCache() {
        CookieRequestCache cache = new CookieRequestCache();
        cache.setRequestMatcher(request -> "GET".equals(request.getMethod())
                && request.getHeader("X-Requested-With") == null
                && request.getHeader("Accept") != null && request.getHeader("Accept").contains("text/html"));
        return cache;
    }

    /** Spring Security's concurrency control would be a second, HttpSession-based limit. */
    private static final class RefuseConcurrencyControl implements ObjectPostProcessor<ConcurrentSessionFilter> {
        @Override
        public <O extends ConcurrentSessionFilter> O postProcess(O object) {
            throw new IllegalStateException("sessionManagement().maximumSessions(...) is not used with Platform "
                    + "Sessions: the per-user limit is platform.sessions.max-sessions-per-user (and "
                    + "platform.sessions.limit-policy); remove maximumSessions from the SecurityFilterChain");
        }
    }
}
