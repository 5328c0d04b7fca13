package io.platformsessions.spi;

import io.platformsessions.ActivePlatform;
import io.platformsessions.Elevation;
import io.platformsessions.SessionKey;
import java.time.Instant;
import java.util.Objects;

/**
 * One session as a {@link SessionStore} keeps it: a single row/document, read and written whole.
 * Immutable and thread-safe. Copies are made with {@link #toBuilder()} (the {@code with...} methods
 * are shorthands for it); new records with {@link #builder()}.
 *
 * <p>The times are grouped in {@link SessionTimes}, which owns their arithmetic; the effective
 * expiry ({@link #expiresAt()}) is the earlier of idle and absolute expiry, and stores index it so
 * cleanup is one range scan. {@link #toString()} leaves out the CSRF secret and attribute values.
 *
 * @param key SHA-256 of the session token; primary key, changes on rotation
 * @param sessionId stable, non-secret id of the session (survives rotation); for device lists and audit
 * @param owner the user the session belongs to
 * @param platform the active platform, or {@code null} for none
 * @param times creation, last activity, effective and absolute expiry
 * @param version compare-and-set version, starts at 1 and grows by 1 per update
 * @param csrfSecret the session's CSRF secret, base64url; never leaves the server
 * @param client what is known of the creating client, never {@code null}
 * @param elevation current elevation, or {@code null}
 * @param attributes the attributes, never {@code null}
 */
public record SessionRecord(SessionKey key, String sessionId, SessionOwner owner, ActivePlatform platform,
                            SessionTimes times, long version, String csrfSecret, ClientBinding client,
                            Elevation elevation, SessionAttributes attributes) {

    /**
     * Validates the components; a {@code null} client becomes {@link ClientBinding#unknown()} and
     * {@code null} attributes become {@link SessionAttributes#empty()}.
     *
     * @param key the {@code key} component
     * @param sessionId the {@code sessionId} component
     * @param owner the {@code owner} component
     * @param platform the {@code platform} component
     * @param times the {@code times} component
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
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(times, "times");
        Objects.requireNonNull(csrfSecret, "csrfSecret");
        client = client == null ? ClientBinding.unknown() : client;
        attributes = attributes == null ? SessionAttributes.empty() : attributes;
    }

    /**
     * A builder for a new record: version 1, no platform, unknown client, no elevation, no attributes.
     * Key, session id, owner, times and CSRF secret must be set.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this record's components, to make a modified copy.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * The owner's user id.
     *
     * @return {@code owner().userId()}
     */
    public String userId() {
        return owner.userId();
    }

    /**
     * The owner's display name at creation.
     *
     * @return {@code owner().username()}
     */
    public String username() {
        return owner.username();
    }

    /**
     * Creation time.
     *
     * @return {@code times().createdAt()}
     */
    public Instant createdAt() {
        return times.createdAt();
    }

    /**
     * Last recorded activity (written at most once per touch interval).
     *
     * @return {@code times().lastActivityAt()}
     */
    public Instant lastActivityAt() {
        return times.lastActivityAt();
    }

    /**
     * Effective expiry (idle or absolute, whichever is first).
     *
     * @return {@code times().expiresAt()}
     */
    public Instant expiresAt() {
        return times.expiresAt();
    }

    /**
     * Absolute expiry.
     *
     * @return {@code times().absoluteExpiresAt()}
     */
    public Instant absoluteExpiresAt() {
        return times.absoluteExpiresAt();
    }

    /**
     * Whether the session is expired at {@code now}.
     *
     * @param now the current time
     * @return {@code true} if {@code now} is at or after {@link #expiresAt()}
     */
    public boolean expiredAt(Instant now) {
        return times.expiredAt(now);
    }

    /**
     * A copy with another key (rotation).
     *
     * @param newKey the new key
     * @return the copy
     */
    public SessionRecord withKey(SessionKey newKey) {
        return toBuilder().key(newKey).build();
    }

    /**
     * A copy with another platform.
     *
     * @param newPlatform the platform, or {@code null}
     * @return the copy
     */
    public SessionRecord withPlatform(ActivePlatform newPlatform) {
        return toBuilder().platform(newPlatform).build();
    }

    /**
     * A copy with other times.
     *
     * @param newTimes the times
     * @return the copy
     */
    public SessionRecord withTimes(SessionTimes newTimes) {
        return toBuilder().times(newTimes).build();
    }

    /**
     * A copy with another version.
     *
     * @param newVersion the version
     * @return the copy
     */
    public SessionRecord withVersion(long newVersion) {
        return toBuilder().version(newVersion).build();
    }

    /**
     * A copy with another CSRF secret.
     *
     * @param newCsrfSecret base64url secret
     * @return the copy
     */
    public SessionRecord withCsrfSecret(String newCsrfSecret) {
        return toBuilder().csrfSecret(newCsrfSecret).build();
    }

    /**
     * A copy with another client binding.
     *
     * @param newClient the binding
     * @return the copy
     */
    public SessionRecord withClient(ClientBinding newClient) {
        return toBuilder().client(newClient).build();
    }

    /**
     * A copy with another elevation.
     *
     * @param newElevation the elevation, or {@code null}
     * @return the copy
     */
    public SessionRecord withElevation(Elevation newElevation) {
        return toBuilder().elevation(newElevation).build();
    }

    /**
     * A copy with other attributes.
     *
     * @param newAttributes the attributes
     * @return the copy
     */
    public SessionRecord withAttributes(SessionAttributes newAttributes) {
        return toBuilder().attributes(newAttributes).build();
    }

    /** Describes the record without its CSRF secret or attribute values. */
    @Override
    public String toString() {
        return "SessionRecord[key=" + key.prefix() + "…, sessionId=" + sessionId + ", userId=" + owner.userId()
                + ", platform=" + (platform == null ? "none" : platform.id()) + ", version=" + version
                + ", expiresAt=" + times.expiresAt() + ", attributes=" + attributes.asMap().keySet() + "]";
    }

    /**
     * Builds a {@link SessionRecord}: the one copy path. Not thread-safe; every setter returns
     * {@code this}. Required components are checked for {@code null} in their setters and again in
     * {@link #build()}.
     */
    public static final class Builder {
        private SessionKey key;
        private String sessionId;
        private SessionOwner owner;
        private ActivePlatform platform;
        private SessionTimes times;
        private long version = 1;
        private String csrfSecret;
        private ClientBinding client = ClientBinding.unknown();
        private Elevation elevation;
        private SessionAttributes attributes = SessionAttributes.empty();

        private Builder() {
        }

        private Builder(SessionRecord r) {
            this.key = r.key;
            this.sessionId = r.sessionId;
            this.owner = r.owner;
            this.platform = r.platform;
            this.times = r.times;
            this.version = r.version;
            this.csrfSecret = r.csrfSecret;
            this.client = r.client;
            this.elevation = r.elevation;
            this.attributes = r.attributes;
        }

        /**
         * Sets the key.
         *
         * @param value the SHA-256 of the token
         * @return this builder
         * @throws NullPointerException if {@code value} is null
         */
        public Builder key(SessionKey value) {
            this.key = Objects.requireNonNull(value, "key");
            return this;
        }

        /**
         * Sets the stable session id.
         *
         * @param value the id
         * @return this builder
         * @throws NullPointerException if {@code value} is null
         */
        public Builder sessionId(String value) {
            this.sessionId = Objects.requireNonNull(value, "sessionId");
            return this;
        }

        /**
         * Sets the owner.
         *
         * @param value the owner
         * @return this builder
         * @throws NullPointerException if {@code value} is null
         */
        public Builder owner(SessionOwner value) {
            this.owner = Objects.requireNonNull(value, "owner");
            return this;
        }

        /**
         * Sets the active platform.
         *
         * @param value the platform, or {@code null} for none
         * @return this builder
         */
        public Builder platform(ActivePlatform value) {
            this.platform = value;
            return this;
        }

        /**
         * Sets the times.
         *
         * @param value the times
         * @return this builder
         * @throws NullPointerException if {@code value} is null
         */
        public Builder times(SessionTimes value) {
            this.times = Objects.requireNonNull(value, "times");
            return this;
        }

        /**
         * Sets the compare-and-set version.
         *
         * @param value the version
         * @return this builder
         */
        public Builder version(long value) {
            this.version = value;
            return this;
        }

        /**
         * Sets the CSRF secret.
         *
         * @param value base64url secret
         * @return this builder
         * @throws NullPointerException if {@code value} is null
         */
        public Builder csrfSecret(String value) {
            this.csrfSecret = Objects.requireNonNull(value, "csrfSecret");
            return this;
        }

        /**
         * Sets the client binding.
         *
         * @param value the binding; {@code null} means {@link ClientBinding#unknown()}
         * @return this builder
         */
        public Builder client(ClientBinding value) {
            this.client = value;
            return this;
        }

        /**
         * Sets the elevation.
         *
         * @param value the elevation, or {@code null} for none
         * @return this builder
         */
        public Builder elevation(Elevation value) {
            this.elevation = value;
            return this;
        }

        /**
         * Sets the attributes.
         *
         * @param value the attributes; {@code null} means {@link SessionAttributes#empty()}
         * @return this builder
         */
        public Builder attributes(SessionAttributes value) {
            this.attributes = value;
            return this;
        }

        /**
         * Builds the record; the builder can be used again.
         *
         * @return the record
         * @throws NullPointerException if the key, session id, owner, times or CSRF secret is missing
         */
        public SessionRecord build() {
            return new SessionRecord(key, sessionId, owner, platform, times, version, csrfSecret, client, elevation,
                    attributes);
        }
    }
}
