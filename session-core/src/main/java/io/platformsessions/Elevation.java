package io.platformsessions;

import java.time.Instant;
import java.util.Objects;

/**
 * A session's temporary elevated access, granted after the application re-authenticated the user.
 * Ends at {@code until}, and at once when the session's token is rotated. Immutable.
 *
 * @param level the access level granted
 * @param until when the elevation ends
 */
public record Elevation(AccessLevel level, Instant until) {
    /**
     * Validates the components.
     *
     * @param level the {@code level} component
     * @param until the {@code until} component
     * @throws NullPointerException if a component is null
     */
    public Elevation {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(until, "until");
    }

    /**
     * Whether this elevation grants {@code required} at {@code now}.
     *
     * @param required the level needed
     * @param now the current time
     * @return {@code true} if still valid and high enough
     */
    public boolean grants(AccessLevel required, Instant now) {
        return now.isBefore(until) && level.includes(required);
    }
}
