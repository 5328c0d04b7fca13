package io.platformsessions.spring.security;

import io.platformsessions.InvalidationReason;
import io.platformsessions.PlatformContext;
import io.platformsessions.SessionManager;
import io.platformsessions.servlet.PlatformSessions;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.DeferredSecurityContext;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.web.context.HttpRequestResponseHolder;
import org.springframework.security.web.context.SecurityContextRepository;

/**
 * A {@link SecurityContextRepository} whose storage is the platform session, so an authentication survives
 * restarts and is the same on every node.
 *
 * <p><b>What is stored.</b> The principal's name is the platform session's user id, so it is not stored
 * again; the authority names are stored as a JSON array in the session attribute {@value #AUTHORITIES_ATTRIBUTE}.
 * On each request the repository rebuilds a {@link PlatformAuthenticationToken} whose principal is a
 * {@link PlatformPrincipal} and whose authorities are {@link SimpleGrantedAuthority} objects of those names.
 * With a {@link UserDetailsService} and {@code reloadUser}, the principal is the reloaded {@link UserDetails}
 * instead, its authorities replace the stored ones, and a user that is gone, disabled, locked or expired has
 * the session ended ({@link InvalidationReason#USER_DISABLED}). Without a stored attribute (a session started by
 * {@code PlatformSessions.login} outside Spring Security) the authorities come from the
 * {@code UserDetailsService} if there is one, else there are none.
 *
 * <p><b>Saving.</b> Saving an authenticated context whose authentication was not restored from the current
 * platform session, and is not for a session this request started for the same user, starts a new platform
 * session ({@link PlatformSessions#login}: new token, old session ended: session-fixation defence). Otherwise
 * only changed authorities are written. Saving an empty or anonymous context ends the platform session.
 *
 * <p>Needs {@code PlatformSessionFilter} in front of Spring Security; a request it has not processed gets an
 * {@link IllegalStateException} saying so. Thread-safe.
 */
public final class PlatformSecurityContextRepository implements SecurityContextRepository {
    /** The session attribute holding the authority names (a JSON array of strings). */
    public static final String AUTHORITIES_ATTRIBUTE = "spring.security.authorities";

    private static final Logger LOG = LoggerFactory.getLogger(PlatformSecurityContextRepository.class);

    private final UserDetailsService userDetailsService;
    private final boolean reloadUser;
    private final AuthenticationTrustResolver trustResolver = new AuthenticationTrustResolverImpl();
    private SecurityContextHolderStrategy holderStrategy = SecurityContextHolder.getContextHolderStrategy();

    /**
     * A repository that trusts the authorities stored at login.
     */
    public PlatformSecurityContextRepository() {
        this(null, false);
    }

    /**
     * A repository that may consult the application's users.
     *
     * @param userDetailsService the users, or {@code null}
     * @param reloadUser whether to reload the user on every request (needs a {@code userDetailsService})
     * @throws IllegalArgumentException if {@code reloadUser} is set without a {@code userDetailsService}
     */
    public PlatformSecurityContextRepository(UserDetailsService userDetailsService, boolean reloadUser) {
        if (reloadUser && userDetailsService == null) {
            throw new IllegalArgumentException("reloading users needs a UserDetailsService");
        }
        this.userDetailsService = userDetailsService;
        this.reloadUser = reloadUser;
    }

    /**
     * Sets where empty contexts are created (Spring Security's strategy by default).
     *
     * @param strategy the strategy
     */
    public void setSecurityContextHolderStrategy(SecurityContextHolderStrategy strategy) {
        this.holderStrategy = java.util.Objects.requireNonNull(strategy, "strategy");
    }

    /**
     * Not used by Spring Security 7's filters; answers like {@link #loadDeferredContext(HttpServletRequest)}.
     *
     * @param holder the request and response
     * @return the context, never {@code null}
     * @deprecated use {@link #loadDeferredContext(HttpServletRequest)}
     */
    @Deprecated
    @Override
    public SecurityContext loadContext(HttpRequestResponseHolder holder) {
        return loadDeferredContext(holder.getRequest()).get();
    }

    /**
     * The request's security context, rebuilt from its platform session when first asked for.
     *
     * @param request a request that went through {@code PlatformSessionFilter}
     * @return a deferred context; {@link DeferredSecurityContext#isGenerated()} is {@code true} without a session
     */
    @Override
    public DeferredSecurityContext loadDeferredContext(HttpServletRequest request) {
        return new Deferred(request);
    }

    /**
     * Stores the context in the platform session (see the class comment).
     *
     * @param context the context to save
     * @param request the request
     * @param response its response, not yet committed when a session must be started or ended
     * @throws io.platformsessions.SessionException from {@link PlatformSessions#login} (limit, unknown user, store)
     */
    @Override
    public void saveContext(SecurityContext context, HttpServletRequest request, HttpServletResponse response) {
        Authentication auth = context == null ? null : context.getAuthentication();
        Optional<PlatformContext> current = PlatformSessions.context(request);
        if (auth == null || !auth.isAuthenticated() || trustResolver.isAnonymous(auth)) {
            current.ifPresent(c -> endSession(request, response, c));
            return;
        }
        PlatformContext c = current.orElse(null);
        if (c == null || !c.userId().equals(auth.getName()) || !belongsTo(auth, c, request)) {
            c = PlatformSessions.login(request, response, auth.getName());
        }
        storeAuthorities(request, c, auth.getAuthorities());
    }

    /**
     * Whether the request has a live platform session.
     *
     * @param request the request
     * @return {@code true} if it has one
     */
    @Override
    public boolean containsContext(HttpServletRequest request) {
        return PlatformSessions.context(request).isPresent();
    }

    private static boolean belongsTo(Authentication auth, PlatformContext c, HttpServletRequest request) {
        if (auth instanceof PlatformAuthenticationToken t) {
            return t.sessionId().equals(c.sessionId());
        }
        HttpSession s = request.getSession(false);
        return s != null && s.isNew(); // started in this request, by the authentication strategy
    }

    private static void endSession(HttpServletRequest request, HttpServletResponse response, PlatformContext c) {
        if (response.isCommitted()) {
            PlatformSessions.manager(request).invalidate(c.key(), InvalidationReason.LOGOUT);
        } else {
            PlatformSessions.logout(request, response);
        }
    }

    private static void storeAuthorities(HttpServletRequest request, PlatformContext c,
                                         Collection<? extends GrantedAuthority> authorities) {
        List<String> names = new ArrayList<>(authorities.size());
        for (GrantedAuthority a : authorities) {
            if (a.getAuthority() != null) {
                names.add(a.getAuthority());
            }
        }
        if (!names.equals(storedAuthorities(PlatformSessions.manager(request), c))) {
            HttpSession session = request.getSession(false);
            if (session == null) {
                throw new IllegalStateException("the platform session of this request is gone");
            }
            session.setAttribute(AUTHORITIES_ATTRIBUTE, names);
        }
    }

    /** The stored authority names, or {@code null} when none were stored. */
    static List<String> storedAuthorities(SessionManager manager, PlatformContext c) {
        Object stored = manager.getAttribute(c, AUTHORITIES_ATTRIBUTE, Object.class).orElse(null);
        if (!(stored instanceof List<?> list)) {
            return null;
        }
        List<String> names = new ArrayList<>(list.size());
        for (Object o : list) {
            if (o instanceof String s) {
                names.add(s);
            }
        }
        return names;
    }

    private SecurityContext load(HttpServletRequest request) {
        PlatformContext c = PlatformSessions.context(request).orElse(null);
        if (c == null) {
            return null;
        }
        SessionManager manager = PlatformSessions.manager(request);
        Authentication auth;
        if (reloadUser) {
            auth = reload(manager, c);
            if (auth == null) {
                return null;
            }
        } else {
            List<String> names = storedAuthorities(manager, c);
            Collection<? extends GrantedAuthority> authorities = names != null ? toAuthorities(names)
                    : userDetailsService != null ? authoritiesOf(c.userId()) : List.of();
            auth = new PlatformAuthenticationToken(new PlatformPrincipal(c.userId(), c.username()), c.sessionId(),
                    authorities);
        }
        SecurityContext context = holderStrategy.createEmptyContext();
        context.setAuthentication(auth);
        return context;
    }

    private Authentication reload(SessionManager manager, PlatformContext c) {
        UserDetails user;
        try {
            user = userDetailsService.loadUserByUsername(c.userId());
        } catch (UsernameNotFoundException e) {
            user = null;
        }
        if (user == null || !user.isEnabled() || !user.isAccountNonLocked() || !user.isAccountNonExpired()) {
            LOG.info("ending session {} of user {}: the user is gone, disabled, locked or expired",
                    c.key().prefix(), c.userId());
            manager.invalidate(c.key(), InvalidationReason.USER_DISABLED);
            return null;
        }
        return new PlatformAuthenticationToken(user, c.sessionId(), user.getAuthorities());
    }

    private Collection<? extends GrantedAuthority> authoritiesOf(String userId) {
        try {
            return userDetailsService.loadUserByUsername(userId).getAuthorities();
        } catch (UsernameNotFoundException e) {
            return List.of();
        }
    }

    private static List<GrantedAuthority> toAuthorities(List<String> names) {
        List<GrantedAuthority> out = new ArrayList<>(names.size());
        for (String n : names) {
            out.add(new SimpleGrantedAuthority(n));
        }
        return out;
    }

    /** Loads once, on first use; "generated" when the request has no platform session. */
    private final class Deferred implements DeferredSecurityContext {
        private final HttpServletRequest request;
        private SecurityContext context;
        private boolean generated;

        Deferred(HttpServletRequest request) {
            this.request = request;
        }

        @Override
        public SecurityContext get() {
            if (context == null) {
                SecurityContext loaded = load(request);
                generated = loaded == null;
                context = loaded != null ? loaded : holderStrategy.createEmptyContext();
            }
            return context;
        }

        @Override
        public boolean isGenerated() {
            get();
            return generated;
        }
    }
}
