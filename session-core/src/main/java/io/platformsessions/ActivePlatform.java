package io.platformsessions;

import java.util.Objects;

/**
 * The platform connection a session is working with, as the session recorded it when the platform
 * was selected: enough for a request to show and use it without another lookup.
 *
 * @param id the platform connection id (from the {@link io.platformsessions.spi.PlatformDirectory})
 * @param name display name, for example {@code alice@mastodon.social}
 * @param type platform type in lower case, for example {@code mastodon} or {@code pixelfed}
 * @param instanceUrl base URL of the instance, for example {@code https://mastodon.social}
 */
public record ActivePlatform(long id, String name, String type, String instanceUrl) {
    /**
     * Validates the components.
     *
     * @param id the {@code id} component
     * @param name the {@code name} component
     * @param type the {@code type} component
     * @param instanceUrl the {@code instanceUrl} component
     * @throws NullPointerException if name, type or instanceUrl is null
     */
    public ActivePlatform {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(instanceUrl, "instanceUrl");
    }

    /**
     * The session's view of a directory entry.
     *
     * @param connection a platform connection
     * @return its id, name, type and URL
     */
    public static ActivePlatform of(PlatformConnection connection) {
        return new ActivePlatform(connection.id(), connection.name(), connection.type(), connection.instanceUrl());
    }
}
