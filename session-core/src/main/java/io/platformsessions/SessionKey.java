package io.platformsessions;

import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The SHA-256 of a {@link SessionToken}: the only form of a session's identity that is stored,
 * cached, logged or put in events. Knowing a key does not let anyone present the session.
 *
 * <p>Immutable and thread-safe. Equality is by content; {@link #equals(Object)} is constant-time.
 */
public final class SessionKey {
    /** Length of a key in bytes (SHA-256). */
    public static final int LENGTH = 32;
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;
    private final int hash;

    private SessionKey(byte[] bytes) {
        this.bytes = bytes;
        // the key is already uniformly random: its first bytes make a good hash code
        this.hash = (bytes[0] & 0xff) << 24 | (bytes[1] & 0xff) << 16 | (bytes[2] & 0xff) << 8 | (bytes[3] & 0xff);
    }

    /**
     * Wraps 32 key bytes, for example read back from a store.
     *
     * @param bytes the SHA-256 digest; copied
     * @return the key
     * @throws IllegalArgumentException if {@code bytes} is null or not 32 bytes long
     */
    public static SessionKey ofBytes(byte[] bytes) {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException("a session key is exactly " + LENGTH + " bytes");
        }
        return new SessionKey(bytes.clone());
    }

    /**
     * Parses the lowercase or uppercase hex form produced by {@link #hex()}.
     *
     * @param hex 64 hex characters
     * @return the key
     * @throws IllegalArgumentException if {@code hex} is not 64 hex characters
     */
    public static SessionKey ofHex(String hex) {
        if (hex == null || hex.length() != LENGTH * 2) {
            throw new IllegalArgumentException("a session key is 64 hex characters");
        }
        return new SessionKey(HEX.parseHex(hex));
    }

    static SessionKey ofDigest(byte[] digest) {
        return new SessionKey(digest);
    }

    /**
     * A copy of the 32 key bytes.
     *
     * @return a new array each call
     */
    public byte[] bytes() {
        return bytes.clone();
    }

    /**
     * The key as 64 lowercase hex characters.
     *
     * @return the hex form
     */
    public String hex() {
        return HEX.formatHex(bytes);
    }

    /**
     * The first 8 hex characters: enough to correlate log lines, useless to an attacker.
     *
     * @return an 8-character prefix
     */
    public String prefix() {
        return HEX.formatHex(bytes, 0, 4);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SessionKey that && MessageDigest.isEqual(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** Returns {@code "SessionKey[" + prefix() + "…]"}; never the whole key. */
    @Override
    public String toString() {
        return "SessionKey[" + prefix() + "…]";
    }
}
