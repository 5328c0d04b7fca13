package io.platformsessions;

import java.time.Duration;

/**
 * How an attribute is kept: an optional time-to-live after which it reads as absent, and whether it
 * is secret (sealed with AES-256-GCM before it reaches the store, never in logs or client views).
 * Immutable.
 *
 * @param ttl time to live from when it is set, or {@code null} for "as long as the session"
 * @param secret whether the value is encrypted at rest
 */
public record AttributeOptions(Duration ttl, boolean secret) {
    private static final AttributeOptions PLAIN = new AttributeOptions(null, false);

    /**
     * Validates the components.
     *
     * @param ttl the {@code ttl} component
     * @param secret the {@code secret} component
     * @throws IllegalArgumentException if {@code ttl} is zero or negative
     */
    public AttributeOptions {
        if (ttl != null && (ttl.isZero() || ttl.isNegative())) {
            throw new IllegalArgumentException("attribute ttl must be positive, was " + ttl);
        }
    }

    /**
     * Plain attribute, no TTL.
     *
     * @return the default options
     */
    public static AttributeOptions plain() {
        return PLAIN;
    }

    /**
     * Plain attribute that expires.
     *
     * @param ttl time to live, positive
     * @return the options
     * @throws IllegalArgumentException if {@code ttl} is not positive
     */
    public static AttributeOptions expiringAfter(Duration ttl) {
        return new AttributeOptions(ttl, false);
    }

    /**
     * Secret attribute, no TTL: sealed with the active key. Reading it needs no option: a sealed value
     * is opened whatever the read says. The flip side: only names declared with
     * {@link SessionConfig.Builder#secretAttributes(String...)} refuse an <em>unsealed</em> value, so
     * someone who can write to the store could replace a value sealed with this option by plaintext of
     * their choosing and a read would return it. Declare the names of secrets you know in advance; use
     * this option for names made up at run time.
     *
     * @return the options
     */
    public static AttributeOptions secretValue() {
        return new AttributeOptions(null, true);
    }
}
