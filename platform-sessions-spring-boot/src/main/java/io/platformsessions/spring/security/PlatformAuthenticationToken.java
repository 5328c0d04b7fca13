package io.platformsessions.spring.security;

import java.io.Serial;
import java.util.Collection;
import java.util.Objects;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

/**
 * An authentication restored from a live platform session: authenticated, without credentials, naming the
 * platform session it came from. {@link PlatformSecurityContextRepository} makes it on every request;
 * saving it back only updates the stored authorities (it never starts a new session). Immutable once built.
 */
public final class PlatformAuthenticationToken extends AbstractAuthenticationToken {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The principal: a {@link PlatformPrincipal} or a {@code UserDetails}. */
    private final Object principal;
    /** The stable id of the platform session this authentication was restored from. */
    private final String sessionId;

    /**
     * An authenticated token.
     *
     * @param principal a {@link PlatformPrincipal}, or the {@code UserDetails} when users are reloaded
     * @param sessionId the stable id of the platform session it was restored from
     * @param authorities the granted authorities
     * @throws NullPointerException if {@code principal} or {@code sessionId} is null
     */
    public PlatformAuthenticationToken(Object principal, String sessionId,
                                       Collection<? extends GrantedAuthority> authorities) {
        super(authorities);
        this.principal = Objects.requireNonNull(principal, "principal");
        this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
        super.setAuthenticated(true);
    }

    /**
     * The stable id of the platform session this authentication was restored from.
     *
     * @return the session id (never the token)
     */
    public String sessionId() {
        return sessionId;
    }

    /**
     * None: the credentials were checked at login.
     *
     * @return {@code null}
     */
    @Override
    public Object getCredentials() {
        return null;
    }

    /**
     * The principal.
     *
     * @return a {@link PlatformPrincipal} or {@code UserDetails}
     */
    @Override
    public Object getPrincipal() {
        return principal;
    }

    /**
     * Refuses to be marked authenticated again: a restored token is authenticated from birth.
     *
     * @param authenticated only {@code false} is accepted
     * @throws IllegalArgumentException for {@code true}
     */
    @Override
    public void setAuthenticated(boolean authenticated) {
        if (authenticated) {
            throw new IllegalArgumentException("a PlatformAuthenticationToken is authenticated when it is made");
        }
        super.setAuthenticated(false);
    }

    /** Compares principal, session and authorities. */
    @Override
    public boolean equals(Object o) {
        return o instanceof PlatformAuthenticationToken t && super.equals(o) && sessionId.equals(t.sessionId);
    }

    /** Consistent with {@link #equals(Object)}. */
    @Override
    public int hashCode() {
        return 31 * super.hashCode() + sessionId.hashCode();
    }
}
