package io.platformsessions.spring.boot;


/**
 * The Spring Security integration.
 * These are the properties under {@code platform.sessions.security}, a group of {@link PlatformSessionsProperties}.
 *
 * <p>A mutable JavaBean for Spring's binder: not thread-safe while it is being bound, read-only afterwards.
 */
public class PlatformSessionsSecurityProperties {
    /** Whether every Spring Security filter chain keeps its authentication in the platform session. */
    private boolean enabled = true;

    /** Build the UserDirectory from the application's single UserDetailsService (users that are missing, disabled or locked get no session). */
    private boolean userDetailsDirectory = true;

    /** Reload the user through the UserDetailsService on every request (fresh authorities; a disabled user's session ends) instead of trusting the authorities stored at login. */
    private boolean reloadUser;

    /**
     * Whether the integration is on.
     *
     * @return {@code true} if so
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Sets whether the integration is on.
     *
     * @param enabled {@code true} if so
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * Whether the UserDetailsService backs the user directory.
     *
     * @return {@code true} if so
     */
    public boolean isUserDetailsDirectory() {
        return userDetailsDirectory;
    }

    /**
     * Sets whether the UserDetailsService backs the user directory.
     *
     * @param userDetailsDirectory {@code true} if so
     */
    public void setUserDetailsDirectory(boolean userDetailsDirectory) {
        this.userDetailsDirectory = userDetailsDirectory;
    }

    /**
     * Whether the user is reloaded on every request.
     *
     * @return {@code true} if so
     */
    public boolean isReloadUser() {
        return reloadUser;
    }

    /**
     * Sets whether the user is reloaded on every request.
     *
     * @param reloadUser {@code true} if so
     */
    public void setReloadUser(boolean reloadUser) {
        this.reloadUser = reloadUser;
    }
}
