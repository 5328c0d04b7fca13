package io.platformsessions;

/**
 * Sizes every layer agrees on, defined once: the engine checks them before a store is called, the
 * stores size their columns and checks by them, and the servlet adapter clips request headers with
 * them. Constants only; thread-safe.
 */
public final class Limits {
    /**
     * Longest user id, in characters: the engine refuses longer ones with
     * {@link InvalidUserException}, and the JDBC schema's {@code user_id} columns hold exactly this many.
     */
    public static final int MAX_USER_ID_LENGTH = 255;

    /** Longest attribute name, in characters (also for names declared secret in {@link SessionConfig}). */
    public static final int MAX_ATTRIBUTE_NAME_LENGTH = 128;

    /**
     * Longest client header kept, in characters, for each of the IP address, {@code User-Agent} and
     * {@code Accept-Language}: the servlet filter clips longer headers to this length before they reach
     * the engine, client fingerprinting reads no further than this, and the engine caches client
     * bindings only for clients whose headers are all within it (so oversized headers cannot pin
     * memory in the cache).
     */
    public static final int MAX_CLIENT_HEADER_LENGTH = 512;

    /**
     * Ceiling on the encoded size of one session's attributes, in bytes of UTF-8 JSON: 1 MiB.
     * {@link SessionConfig.Builder#maxAttributesBytes(int)} (64 KiB by default) may be set up to this
     * value and no higher; the engine refuses larger writes at the configured limit, and stores refuse
     * anything above this ceiling with {@link IllegalArgumentException}, so every store can hold
     * whatever the engine accepts.
     */
    public static final int MAX_ATTRIBUTES_BYTES = 1 << 20;

    private Limits() {
    }
}
