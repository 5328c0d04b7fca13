package io.platformsessions;

import io.platformsessions.spi.SessionRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * What a request sees of its session: who the user is, which platform connection is active, and
 * the session's times and version. A snapshot: it does not change when the session does; ask the
 * {@link SessionManager} again for a fresh one. Immutable and thread-safe.
 *
 * <p>{@link #toClientView()} is the only form that should leave the server.
 */
public final class PlatformContext {
    private final SessionRecord record;
    private final Clock clock;

    PlatformContext(SessionRecord record, Clock clock) {
        this.record = record;
        this.clock = clock;
    }

    SessionRecord record() {
        return record;
    }

    /**
     * The session key (SHA-256 of the token). Pass it to {@link SessionManager} operations.
     *
     * @return the key
     */
    public SessionKey key() {
        return record.key();
    }

    /**
     * The stable, non-secret session id (the same after rotation).
     *
     * @return the id
     */
    public String sessionId() {
        return record.sessionId();
    }

    /**
     * The user who owns the session.
     *
     * @return the user id
     */
    public String userId() {
        return record.userId();
    }

    /**
     * The user's display name, as known when the session was created.
     *
     * @return the username
     */
    public String username() {
        return record.username();
    }

    /**
     * The active platform connection.
     *
     * @return the platform, or empty when none is selected
     */
    public Optional<ActivePlatform> platform() {
        return Optional.ofNullable(record.platform());
    }

    /**
     * Whether a platform is selected.
     *
     * @return {@code true} if {@link #platform()} is present
     */
    public boolean hasPlatform() {
        return record.platform() != null;
    }

    /**
     * When the session was created.
     *
     * @return creation time
     */
    public Instant createdAt() {
        return record.createdAt();
    }

    /**
     * Last recorded activity (may lag real activity by up to the touch interval).
     *
     * @return last activity time
     */
    public Instant lastActivityAt() {
        return record.lastActivityAt();
    }

    /**
     * Effective expiry: the earlier of idle and absolute expiry.
     *
     * @return expiry time
     */
    public Instant expiresAt() {
        return record.expiresAt();
    }

    /**
     * Absolute expiry.
     *
     * @return absolute expiry time
     */
    public Instant absoluteExpiresAt() {
        return record.absoluteExpiresAt();
    }

    /**
     * The compare-and-set version; grows by one with every change.
     *
     * @return the version
     */
    public long version() {
        return record.version();
    }

    /**
     * The current elevation, if any (it may have ended since; use
     * {@link SessionManager#isElevated(PlatformContext, AccessLevel)} to check).
     *
     * @return the elevation or empty
     */
    public Optional<Elevation> elevation() {
        return Optional.ofNullable(record.elevation());
    }

    /**
     * The names of the session's attributes that have not expired at {@code now} (plain and secret
     * alike; values are read with {@link SessionManager#getAttribute(PlatformContext, String, Class)}).
     * Used by adapters such as the servlet {@code HttpSession} facade.
     *
     * @param now the current time, to leave out attributes whose TTL has passed
     * @return an unmodifiable set in insertion order, never {@code null}
     */
    public Set<String> attributeNames(Instant now) {
        Set<String> names = new LinkedHashSet<>();
        record.attributes().asMap().forEach((name, attribute) -> {
            if (!attribute.expiredAt(now)) {
                names.add(name);
            }
        });
        return Collections.unmodifiableSet(names);
    }

    /**
     * The part of the session safe to send to the browser: no key, CSRF secret, fingerprint or
     * attributes.
     *
     * @param now the current time, to decide whether an elevation is still valid
     * @return the client view
     */
    public ClientView toClientView(Instant now) {
        Elevation e = record.elevation();
        return new ClientView(record.userId(), record.username(), record.platform(), record.createdAt(),
                record.lastActivityAt(), record.expiresAt(), record.absoluteExpiresAt(), record.version(),
                e != null && now.isBefore(e.until()));
    }

    /**
     * The client view at the current time of the engine's clock ({@link SessionConfig#clock()}, the
     * one that made this snapshot), so the {@code elevated} flag agrees with
     * {@link SessionManager#isElevated(PlatformContext, AccessLevel)}; see {@link #toClientView(Instant)}.
     *
     * @return the client view
     */
    public ClientView toClientView() {
        return toClientView(clock.instant());
    }

    /** Describes the context without secrets. */
    @Override
    public String toString() {
        return "PlatformContext[key=" + record.key().prefix() + "…, user=" + record.userId() + ", platform="
                + (record.platform() == null ? "none" : record.platform().id()) + ", version=" + record.version() + "]";
    }
}
