package io.platformsessions.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * One session attribute as stored: its value as JSON text (or, when sealed, base64url ciphertext),
 * an optional expiry, and for sealed values the id of the key that sealed them. Immutable.
 *
 * @param value JSON text of the value, or the sealed form when {@code keyId} is not null
 * @param expiresAt when the attribute stops being visible, or {@code null}
 * @param keyId the encryption key id for a secret (sealed) value, or {@code null} for plain values
 */
public record StoredAttribute(String value, Instant expiresAt, String keyId) {
    /**
     * Validates the components.
     *
     * @param value the {@code value} component
     * @param expiresAt the {@code expiresAt} component
     * @param keyId the {@code keyId} component
     * @throws NullPointerException if value is null
     */
    public StoredAttribute {
        Objects.requireNonNull(value, "value");
    }

    /**
     * Whether this value is encrypted.
     *
     * @return {@code true} for secret attributes
     */
    public boolean sealed() {
        return keyId != null;
    }

    /**
     * Whether the attribute has expired at {@code now}.
     *
     * @param now the current time
     * @return {@code true} if it has an expiry at or before {@code now}
     */
    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
