package io.platformsessions.spring.boot;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.convert.DurationUnit;

/**
 * The servlet filter and its registration.
 * These are the properties under {@code platform.sessions.filter}, a group of {@link PlatformSessionsProperties}.
 *
 * <p>A mutable JavaBean for Spring's binder: not thread-safe while it is being bound, read-only afterwards.
 */
public class PlatformSessionsFilterProperties {
    /** Registration order; it must run before Spring Security's filter chain (spring.security.filter.order, -100 by default). */
    private int order = Integer.MIN_VALUE + 50;

    /**
     * Dispatcher types the filter is registered for. FORWARD serves a forward that starts outside the filter (Spring
     * Boot's ErrorPageFilter in a WAR); ERROR and ASYNC give error pages and async dispatches the platform session.
     */
    private List<jakarta.servlet.DispatcherType> dispatcherTypes = new ArrayList<>(List.of(
            jakarta.servlet.DispatcherType.REQUEST, jakarta.servlet.DispatcherType.FORWARD,
            jakarta.servlet.DispatcherType.ERROR, jakarta.servlet.DispatcherType.ASYNC));

    /** true: cookie __Host-psid with Secure; false: psid without Secure, for local plain-HTTP development only. */
    private boolean secureCookie = true;

    /** Where a browser without a session is sent (and after logout); unset: 401 JSON. */
    private String loginPage;

    /** Where a browser on a platform-required path without an active platform is sent; unset: 409 JSON. */
    private String platformPickerPage;

    /** Paths that need a session with an active platform: /exact or /prefix/*. */
    private List<String> platformRequiredPaths = new ArrayList<>();

    /** Paths whose unsafe requests skip the CSRF token check (webhooks, token-authenticated APIs). */
    private List<String> csrfExemptPaths = new ArrayList<>();

    /** CSRF-exempt paths whose requests still get the user's session (give such handlers their own protection). */
    private List<String> csrfExemptPathsWithSession = new ArrayList<>();

    /** Paths the login form is shown on and posted to (the pre-session CSRF token is accepted there); unset: the login page's path. */
    private List<String> loginPaths;

    /** Origins accepted on unsafe requests (scheme://host[:port]); unset: the request's own origin. */
    private List<String> allowedOrigins = new ArrayList<>();

    /** Proxies (IP or CIDR) whose forwarded header names the client; unset: the remote address is the client. */
    private List<String> trustedProxies = new ArrayList<>();

    /** The header trusted proxies write the client address into (Forwarded is read as RFC 7239). */
    private String clientAddressHeader = "X-Forwarded-For";

    /** Where the JSON endpoints and sync.js are served. */
    private String endpointPrefix = "/session";

    /** Retry-After sent with 503 when the store is unavailable (1s to 1h, whole seconds). */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration retryAfter = Duration.ofSeconds(5);

    /**
     * The registration order.
     *
     * @return the order
     */
    public int getOrder() {
        return order;
    }

    /**
     * Sets the registration order.
     *
     * @param order the order
     */
    public void setOrder(int order) {
        this.order = order;
    }

    /**
     * The dispatcher types.
     *
     * @return the types
     */
    public List<jakarta.servlet.DispatcherType> getDispatcherTypes() {
        return dispatcherTypes;
    }

    /**
     * Sets the dispatcher types.
     *
     * @param dispatcherTypes the types
     */
    public void setDispatcherTypes(List<jakarta.servlet.DispatcherType> dispatcherTypes) {
        this.dispatcherTypes = dispatcherTypes;
    }

    /**
     * Whether the cookie is Secure.
     *
     * @return {@code true} if so
     */
    public boolean isSecureCookie() {
        return secureCookie;
    }

    /**
     * Sets whether the cookie is Secure.
     *
     * @param secureCookie {@code true} if so
     */
    public void setSecureCookie(boolean secureCookie) {
        this.secureCookie = secureCookie;
    }

    /**
     * The login page.
     *
     * @return the path, or {@code null}
     */
    public String getLoginPage() {
        return loginPage;
    }

    /**
     * Sets the login page.
     *
     * @param loginPage the path
     */
    public void setLoginPage(String loginPage) {
        this.loginPage = loginPage;
    }

    /**
     * The platform-picker page.
     *
     * @return the path, or {@code null}
     */
    public String getPlatformPickerPage() {
        return platformPickerPage;
    }

    /**
     * Sets the platform-picker page.
     *
     * @param platformPickerPage the path
     */
    public void setPlatformPickerPage(String platformPickerPage) {
        this.platformPickerPage = platformPickerPage;
    }

    /**
     * The platform-required paths.
     *
     * @return the patterns
     */
    public List<String> getPlatformRequiredPaths() {
        return platformRequiredPaths;
    }

    /**
     * Sets the platform-required paths.
     *
     * @param platformRequiredPaths the patterns
     */
    public void setPlatformRequiredPaths(List<String> platformRequiredPaths) {
        this.platformRequiredPaths = platformRequiredPaths;
    }

    /**
     * The CSRF-exempt paths.
     *
     * @return the patterns
     */
    public List<String> getCsrfExemptPaths() {
        return csrfExemptPaths;
    }

    /**
     * Sets the CSRF-exempt paths.
     *
     * @param csrfExemptPaths the patterns
     */
    public void setCsrfExemptPaths(List<String> csrfExemptPaths) {
        this.csrfExemptPaths = csrfExemptPaths;
    }

    /**
     * The CSRF-exempt paths that keep the session.
     *
     * @return the patterns
     */
    public List<String> getCsrfExemptPathsWithSession() {
        return csrfExemptPathsWithSession;
    }

    /**
     * Sets the CSRF-exempt paths that keep the session.
     *
     * @param csrfExemptPathsWithSession the patterns
     */
    public void setCsrfExemptPathsWithSession(List<String> csrfExemptPathsWithSession) {
        this.csrfExemptPathsWithSession = csrfExemptPathsWithSession;
    }

    /**
     * The login paths.
     *
     * @return the patterns, or {@code null} for the login page's path
     */
    public List<String> getLoginPaths() {
        return loginPaths;
    }

    /**
     * Sets the login paths.
     *
     * @param loginPaths the patterns
     */
    public void setLoginPaths(List<String> loginPaths) {
        this.loginPaths = loginPaths;
    }

    /**
     * The trusted proxies.
     *
     * @return the addresses or CIDRs
     */
    public List<String> getTrustedProxies() {
        return trustedProxies;
    }

    /**
     * Sets the trusted proxies.
     *
     * @param trustedProxies the addresses or CIDRs
     */
    public void setTrustedProxies(List<String> trustedProxies) {
        this.trustedProxies = trustedProxies;
    }

    /**
     * The client address header.
     *
     * @return the header name
     */
    public String getClientAddressHeader() {
        return clientAddressHeader;
    }

    /**
     * Sets the client address header.
     *
     * @param clientAddressHeader the header name
     */
    public void setClientAddressHeader(String clientAddressHeader) {
        this.clientAddressHeader = clientAddressHeader;
    }

    /**
     * The allowed origins.
     *
     * @return the origins
     */
    public List<String> getAllowedOrigins() {
        return allowedOrigins;
    }

    /**
     * Sets the allowed origins.
     *
     * @param allowedOrigins the origins
     */
    public void setAllowedOrigins(List<String> allowedOrigins) {
        this.allowedOrigins = allowedOrigins;
    }

    /**
     * The endpoint prefix.
     *
     * @return the prefix
     */
    public String getEndpointPrefix() {
        return endpointPrefix;
    }

    /**
     * Sets the endpoint prefix.
     *
     * @param endpointPrefix the prefix
     */
    public void setEndpointPrefix(String endpointPrefix) {
        this.endpointPrefix = endpointPrefix;
    }

    /**
     * The Retry-After value.
     *
     * @return the duration
     */
    public Duration getRetryAfter() {
        return retryAfter;
    }

    /**
     * Sets the Retry-After value.
     *
     * @param retryAfter the duration
     */
    public void setRetryAfter(Duration retryAfter) {
        this.retryAfter = retryAfter;
    }
}
