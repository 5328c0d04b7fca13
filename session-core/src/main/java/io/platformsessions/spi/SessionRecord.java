package io.platformsessions.spi;

import io.platformsessions.ActivePlatform;
import io.platformsessions.Elevation;
import io.platformsessions.SessionKey;
import java.time.Instant;
import java.util.Objects;

/**
 * One session as a {@link SessionStore} keeps it: a single row/document, read and written whole.
 * Immutable; the {@code with...} methods return modified copies. Thread-safe.
 *
 * <p>{@code expiresAt} is the effective expiry the engine computed, the earlier of
 * {@code lastActivityAt + idleTimeout} and {@code absoluteExpiresAt}; stores index it so cleanup
 * is one range scan. {@link #toString()} leaves out the CSRF secret and attribute values.
 *
 * @param key SHA-256 of the session token; primary key, changes on rotation
 * @param sessionId stable, non-secret id of the session (survives rotation); for device lists and audit
 * @param userId owner
 * @param username owner's display name at creation
 * @param platform the active platform, or {@code null} for none
 * @param createdAt creation time
 * @param lastActivityAt last recorded activity (written at most once per touch interval)
 * @param expiresAt effective expiry (idle or absolute, whichever is first)
 * @param absoluteExpiresAt absolute expiry
 * @param version compare-and-set version, starts at 1 and grows by 1 per update
 * @param csrfSecret the session's CSRF secret, base64url; never leaves the server
 * @param client what is known of the creating client, never {@code null}
 * @param elevation current elevation, or {@code null}
 * @param attributes the attributes, never {@code null}
 */
public record SessionRecord(SessionKey key, String sessionId, String userId, String username, ActivePlatform platform,
                            Instant createdAt, Instant lastActivityAt, Instant expiresAt, Instant absoluteExpiresAt,
                            long version, String csrfSecret, ClientBinding client, Elevation elevation,
                            SessionAttributes attributes) {

    /**
     * Validates the components.
     *
     * @param key the {@code key} component
     * @param sessionId the {@code sessionId} component
     * @param userId the {@code userId} component
     * @param username the {@code username} component
     * @param platform the {@code platform} component
     * @param createdAt the {@code createdAt} component
     * @param lastActivityAt the {@code lastActivityAt} component
     * @param expiresAt the {@code expiresAt} component
     * @param absoluteExpiresAt the {@code absoluteExpiresAt} component
     * @param version the {@code version} component
     * @param csrfSecret the {@code csrfSecret} component
     * @param client the {@code client} component
     * @param elevation the {@code elevation} component
     * @param attributes the {@code attributes} component
     * @throws NullPointerException if a required component is null
     */
    public SessionRecord {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastActivityAt, "lastActivityAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(absoluteExpiresAt, "absoluteExpiresAt");
        Objects.requireNonNull(csrfSecret, "csrfSecret");
        client = client == null ? ClientBinding.unknown() : client;
        attributes = attributes == null ? SessionAttributes.empty() : attributes;
    }

    /**
     * Whether the session is expired at {@code now}.
     *
     * @param now the current time
     * @return {@code true} if {@code now} is at or after {@link #expiresAt()}
     */
    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /**
     * A copy with another key (rotation).
     *
     * @param newKey the new key
     * @return the copy
     */
    public SessionRecord withKey(SessionKey newKey) {
        return new SessionRecord(newKey, sessionId, userId, username, platform, createdAt, lastActivityAt, expiresAt,
                absoluteExpiresAt, version, csrfSecret, client, elevation, attributes);
    }

    /**
     * A copy with another platform.
     *
     * @param newPlatform the platform, or {@code null}
     * @return the copy
     */
    public SessionRecord withPlatform(ActivePlatform newPlatform) {
        return new SessionRecord(key, sessionId, userId, username, newPlatform, createdAt, lastActivityAt, expiresAt,
                absoluteExpiresAt, version, csrfSecret, client, elevation, attributes);
    }

    /**
     * A copy with new activity and expiry times.
     *
     * @param newLastActivityAt last activity
     * @param newExpiresAt effective expiry
     * @param newAbsoluteExpiresAt absolute expiry
     * @return the copy
     */
    public SessionRecord withTimes(Instant newLastActivityAt, Instant newExpiresAt, Instant newAbsoluteExpiresAt) {
        return new SessionRecord(key, sessionId, userId, username, platform, createdAt, newLastActivityAt, newExpiresAt,
                newAbsoluteExpiresAt, version, csrfSecret, client, elevation, attributes);
    }

    /**
     * A copy with another version.
     *
     * @param newVersion the version
     * @return the copy
     */
    public SessionRecord withVersion(long newVersion) {
        return new SessionRecord(key, sessionId, userId, username, platform, createdAt, lastActivityAt, expiresAt,
                absoluteExpiresAt, newVersion, csrfSecret, client, elevation, attributes);
    }

    /**
     * A copy with another CSRF secret.
     *
     * @param newCsrfSecret base64url secret
     * @return the copy
     */
    public SessionRecord withCsrfSecret(String newCsrfSecret) {
        return new SessionRecord(key, sessionId, userId, username, platform, createdAt, lastActivityAt, expiresAt,
                absoluteExpiresAt, version, newCsrfSecret, client, elevation, attributes);
    }

    /**
     * A copy with another client binding.
     *
     * @param newClient the binding
     * @return the copy
     */
    public SessionRecord withClient(ClientBinding newClient) {
        return new SessionRecord(key, sessionId, userId, username, platform, createdAt, lastActivityAt, expiresAt,
                absoluteExpiresAt, version, csrfSecret, newClient, elevation, attributes);
    }

    /**
     * A copy with another elevation.
     *
     * @param newElevation the elevation, or {@code null}
     * @return the copy
     */
    public SessionRecord withElevation(Elevation newElevation) {
        return new SessionRecord(key, sessionId, userId, username, platform, createdAt, lastActivityAt, expiresAt,
                absoluteExpiresAt, version, csrfSecret, client, newElevation, attributes);
    }

    /**
     * A copy with other attributes.
     *
     * @param newAttributes the attributes
     * @return the copy
     */
    public SessionRecord withAttributes(SessionAttributes newAttributes) {
        return new SessionRecord(key, sessionId, userId, username, platform, createdAt, lastActivityAt, expiresAt,
                absoluteExpiresAt, version, csrfSecret, client, elevation, newAttributes);
    }

    /** Describes the record without its CSRF secret or attribute values. */
    @Override
    public String toString() {
        return "SessionRecord[key=" + key.prefix() + "…, sessionId=" + sessionId + ", userId=" + userId
                + ", platform=" + (platform == null ? "none" : platform.id()) + ", version=" + version
                + ", expiresAt=" + expiresAt + ", attributes=" + attributes.asMap().keySet() + "]";
    }
}
