package io.platformsessions;

import java.util.Objects;

/**
 * One of a user's accounts on a platform (a Mastodon or Pixelfed account, say), as the application's
 * {@link io.platformsessions.spi.PlatformDirectory} describes it. Immutable.
 *
 * @param id unique, positive id of the connection
 * @param userId id of the owning user
 * @param name display name, for example {@code alice@mastodon.social}
 * @param type platform type in lower case, for example {@code mastodon}
 * @param instanceUrl base URL of the instance
 * @param active whether the connection may be used; inactive ones cannot be selected
 * @param defaultPlatform whether new sessions start on this connection
 */
public record PlatformConnection(long id, String userId, String name, String type, String instanceUrl,
                                 boolean active, boolean defaultPlatform) {
    /**
     * Validates the components.
     *
     * @param id the {@code id} component
     * @param userId the {@code userId} component
     * @param name the {@code name} component
     * @param type the {@code type} component
     * @param instanceUrl the {@code instanceUrl} component
     * @param active the {@code active} component
     * @param defaultPlatform the {@code defaultPlatform} component
     * @throws NullPointerException if a text component is null
     */
    public PlatformConnection {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(instanceUrl, "instanceUrl");
    }
}
