package io.platformsessions.examples;

import java.util.Locale;
import java.util.Map;

/**
 * Post length limits per platform type, as the platforms enforce them by default: Mastodon 500
 * characters, Pixelfed 2200 (its caption limit). Unknown types get the Mastodon limit. Stateless and
 * thread-safe.
 */
public final class PlatformLimits {
    /** Limit for platform type {@code mastodon}. */
    public static final int MASTODON = 500;
    /** Limit for platform type {@code pixelfed}. */
    public static final int PIXELFED = 2200;
    /** Limit for any other type. */
    public static final int DEFAULT = MASTODON;

    private static final Map<String, Integer> BY_TYPE = Map.of("mastodon", MASTODON, "pixelfed", PIXELFED);

    private PlatformLimits() {
    }

    /**
     * The character limit of a post on a platform type.
     *
     * @param type the platform type, may be null
     * @return the limit in characters (Unicode code points)
     */
    public static int forType(String type) {
        return type == null ? DEFAULT : BY_TYPE.getOrDefault(type.toLowerCase(Locale.ROOT), DEFAULT);
    }

    /**
     * The limits as a JSON object for the page script, for example
     * {@code {"mastodon":500,"pixelfed":2200,"default":500}}.
     *
     * @return the JSON text
     */
    static String json() {
        return "{\"mastodon\":" + MASTODON + ",\"pixelfed\":" + PIXELFED + ",\"default\":" + DEFAULT + "}";
    }
}
