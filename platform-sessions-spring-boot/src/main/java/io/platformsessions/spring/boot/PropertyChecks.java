package io.platformsessions.spring.boot;

import io.platformsessions.RetryPolicy;
import io.platformsessions.SessionConfig;
import io.platformsessions.servlet.PlatformSessionFilter;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Turns {@link PlatformSessionsProperties} into the library's configuration objects. The library's builders
 * own every rule; this class only puts the property's name on what they refuse, so a wrong value stops the
 * application with Boot's "Invalid value ... for configuration property ..." report. Stateless.
 */
final class PropertyChecks {
    private static final String PREFIX = "platform.sessions.";

    private PropertyChecks() {
    }

    /** Makes something from a property's value; an argument the maker refuses becomes an error naming the property. */
    static <T> T made(String property, Object value, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (IllegalArgumentException | NullPointerException | IllegalStateException e) {
            throw new InvalidConfigurationPropertyValueException(PREFIX + property, value, e.getMessage());
        }
    }

    /** Runs one builder call; an argument it refuses becomes an error naming the property and its value. */
    static void set(String property, Object value, Runnable call) {
        made(property, value, () -> {
            call.run();
            return null;
        });
    }

    /**
     * The session configuration the properties describe.
     *
     * @throws InvalidConfigurationPropertyValueException for a value the library refuses
     * @throws IllegalStateException for a malformed encryption key (without its value)
     */
    static SessionConfig sessionConfig(PlatformSessionsProperties p) {
        SessionConfig.Builder b = SessionConfig.builder();
        set("idle-timeout", p.getIdleTimeout(), () -> b.idleTimeout(p.getIdleTimeout()));
        set("absolute-timeout", p.getAbsoluteTimeout(), () -> b.absoluteTimeout(p.getAbsoluteTimeout()));
        set("max-lifetime", p.getMaxLifetime(), () -> b.maxLifetime(p.getMaxLifetime()));
        set("max-sessions-per-user", p.getMaxSessionsPerUser(), () -> b.maxSessionsPerUser(p.getMaxSessionsPerUser()));
        set("limit-policy", p.getLimitPolicy(), () -> b.limitPolicy(p.getLimitPolicy()));
        set("touch-interval", p.getTouchInterval(), () -> b.touchInterval(p.getTouchInterval()));
        set("client-change-policy", p.getClientChangePolicy(), () -> b.clientChangePolicy(p.getClientChangePolicy()));
        set("max-platform-switches-per-minute", p.getMaxPlatformSwitchesPerMinute(),
                () -> b.maxPlatformSwitchesPerMinute(p.getMaxPlatformSwitchesPerMinute()));
        set("max-unknown-tokens-per-minute", p.getMaxUnknownTokensPerMinute(),
                () -> b.maxUnknownTokensPerMinute(p.getMaxUnknownTokensPerMinute()));
        set("max-unknown-tokens-per-minute-total", p.getMaxUnknownTokensPerMinuteTotal(),
                () -> b.maxUnknownTokensPerMinuteTotal(p.getMaxUnknownTokensPerMinuteTotal()));
        set("unknown-token-cooldown", p.getUnknownTokenCooldown(), () -> b.unknownTokenCooldown(p.getUnknownTokenCooldown()));
        set("max-elevation", p.getMaxElevation(), () -> b.maxElevation(p.getMaxElevation()));
        set("max-attributes-size", p.getMaxAttributesSize(),
                () -> b.maxAttributesBytes((int) Math.min(Integer.MAX_VALUE, p.getMaxAttributesSize().toBytes())));
        set("cache.enabled", p.getCache().isEnabled(), () -> b.cacheEnabled(p.getCache().isEnabled()));
        set("cache.maximum-size", p.getCache().getMaximumSize(),
                () -> b.cacheMaximumBytes(p.getCache().getMaximumSize().toBytes()));
        set("cache.max-staleness", p.getCache().getMaxStaleness(), () -> b.maxCacheStaleness(p.getCache().getMaxStaleness()));
        set("cache.single-node", p.getCache().isSingleNode(), () -> b.singleNode(p.getCache().isSingleNode()));
        set("cleanup.batch-size", p.getCleanup().getBatchSize(), () -> b.cleanupBatchSize(p.getCleanup().getBatchSize()));
        PlatformSessionsRetryProperties r = p.getRetry();
        set("retry", r.getMaxAttempts() + " attempts, " + r.getInitialBackoff() + " to " + r.getMaxBackoff(),
                () -> b.retryPolicy(new RetryPolicy(r.getMaxAttempts(), r.getInitialBackoff(), r.getMaxBackoff())));
        encryption(b, p.getEncryption());
        set("encryption.secret-attributes", p.getEncryption().getSecretAttributes(),
                () -> b.secretAttributes(p.getEncryption().getSecretAttributes().toArray(String[]::new)));
        set("encryption.active-key", p.getEncryption().getActiveKey(), () -> {
            if (p.getEncryption().getActiveKey() != null) {
                b.activeEncryptionKey(p.getEncryption().getActiveKey());
            }
        });
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            // a rule between options: name the group, the message names the options
            throw new InvalidConfigurationPropertyValueException("platform.sessions", "(the options named below)",
                    e.getMessage());
        }
    }

    /** Key values never appear in an error: Boot's report would print a property's value. */
    private static void encryption(SessionConfig.Builder b, PlatformSessionsEncryptionProperties e) {
        for (Map.Entry<String, String> key : e.getKeys().entrySet()) {
            String property = PREFIX + "encryption.keys." + key.getKey();
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(key.getValue() == null ? "" : key.getValue().trim());
            } catch (IllegalArgumentException ex) {
                throw new IllegalStateException(property + " is not Base64 (expected 32 random bytes in Base64, "
                        + "for example from 'openssl rand -base64 32'); the value is not shown");
            }
            try {
                b.encryptionKey(key.getKey(), bytes);
            } catch (IllegalArgumentException ex) {
                throw new IllegalStateException(property + ": " + ex.getMessage() + "; the value is not shown");
            } finally {
                java.util.Arrays.fill(bytes, (byte) 0);
            }
        }
    }

    /**
     * A filter builder configured from the properties.
     *
     * @throws InvalidConfigurationPropertyValueException for a value the filter's builder refuses
     */
    static PlatformSessionFilter.Builder filter(PlatformSessionFilter.Builder b, PlatformSessionsFilterProperties f) {
        set("filter.secure-cookie", f.isSecureCookie(), () -> b.secureCookie(f.isSecureCookie()));
        if (f.getLoginPage() != null) {
            set("filter.login-page", f.getLoginPage(), () -> b.loginPage(f.getLoginPage()));
        }
        if (f.getPlatformPickerPage() != null) {
            set("filter.platform-picker-page", f.getPlatformPickerPage(), () -> b.platformPickerPage(f.getPlatformPickerPage()));
        }
        if (!f.getPlatformRequiredPaths().isEmpty()) {
            set("filter.platform-required-paths", f.getPlatformRequiredPaths(),
                    () -> b.platformRequiredPaths(f.getPlatformRequiredPaths().toArray(String[]::new)));
        }
        if (!f.getCsrfExemptPaths().isEmpty()) {
            set("filter.csrf-exempt-paths", f.getCsrfExemptPaths(),
                    () -> b.csrfExemptPaths(f.getCsrfExemptPaths().toArray(String[]::new)));
        }
        if (!f.getCsrfExemptPathsWithSession().isEmpty()) {
            set("filter.csrf-exempt-paths-with-session", f.getCsrfExemptPathsWithSession(),
                    () -> b.csrfExemptPathsWithSession(f.getCsrfExemptPathsWithSession().toArray(String[]::new)));
        }
        if (f.getLoginPaths() != null) {
            set("filter.login-paths", f.getLoginPaths(), () -> b.loginPaths(f.getLoginPaths().toArray(String[]::new)));
        }
        if (!f.getTrustedProxies().isEmpty()) {
            set("filter.trusted-proxies", f.getTrustedProxies(),
                    () -> b.trustedProxies(f.getTrustedProxies().toArray(String[]::new)));
        }
        set("filter.client-address-header", f.getClientAddressHeader(), () -> b.clientAddressHeader(f.getClientAddressHeader()));
        if (!f.getAllowedOrigins().isEmpty()) {
            set("filter.allowed-origins", f.getAllowedOrigins(),
                    () -> b.allowedOrigins(f.getAllowedOrigins().toArray(String[]::new)));
        }
        set("filter.endpoint-prefix", f.getEndpointPrefix(), () -> b.endpointPrefix(f.getEndpointPrefix()));
        set("filter.retry-after", f.getRetryAfter(), () -> b.retryAfterSeconds(wholeSeconds(f.getRetryAfter())));
        return b;
    }

    /** A positive interval for a schedule. */
    static Duration positive(String property, Duration value) {
        set(property, value, () -> {
            if (value == null || value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException("must be a positive duration");
            }
        });
        return value;
    }

    private static int wholeSeconds(Duration d) {
        if (d == null || d.toNanos() % 1_000_000_000L != 0 || d.getSeconds() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("must be a whole number of seconds");
        }
        return (int) d.getSeconds();
    }
}
