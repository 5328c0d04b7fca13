package io.platformsessions.spring.security;

import io.platformsessions.UserAccount;
import io.platformsessions.spi.UserDirectory;
import java.util.Objects;
import java.util.Optional;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/**
 * A {@link UserDirectory} over Spring Security's {@link UserDetailsService}: a user exists if the service
 * finds it, and is active if it is enabled, not locked and not expired. The engine asks only when a session
 * is created. Thread-safe if the service is.
 */
public final class UserDetailsUserDirectory implements UserDirectory {
    private final UserDetailsService users;

    /**
     * Wraps a user details service.
     *
     * @param users the application's users
     * @throws NullPointerException if {@code users} is null
     */
    public UserDetailsUserDirectory(UserDetailsService users) {
        this.users = Objects.requireNonNull(users, "users");
    }

    @Override
    public Optional<UserAccount> find(String userId) {
        UserDetails u;
        try {
            u = users.loadUserByUsername(userId);
        } catch (UsernameNotFoundException e) {
            return Optional.empty();
        }
        if (u == null || !userId.equals(u.getUsername())) {
            return Optional.empty();
        }
        return Optional.of(new UserAccount(userId, u.getUsername(),
                u.isEnabled() && u.isAccountNonLocked() && u.isAccountNonExpired()));
    }
}
