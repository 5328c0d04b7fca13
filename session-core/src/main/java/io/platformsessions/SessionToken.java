package io.platformsessions;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * The secret a browser holds: 32 bytes from {@link SecureRandom}, written as 43 characters of
 * base64url without padding. Only the raw token in the cookie and in the return value of
 * {@link SessionManager#create} / {@link SessionManager#rotate} ever contains it; everything else
 * works with {@link #key()}, its SHA-256.
 *
 * <p>Immutable and thread-safe. {@link #toString()} does not reveal the token.
 */
public final class SessionToken {
    /** Number of random bytes in a token. */
    public static final int BYTES = 32;
    /** Length of the encoded token: base64url of 32 bytes, no padding. */
    public static final int ENCODED_LENGTH = 43;

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final String value;
    private final SessionKey key;

    private SessionToken(String value) {
        this.value = value;
        this.key = SessionKey.ofDigest(sha256(value));
    }

    /**
     * The key of a presented token whose shape the caller has just checked with {@link #isWellFormed}:
     * the engine's lookup checks once and hashes, without the second check and the wrapper object of
     * {@link #parse}.
     *
     * @param wellFormed a token for which {@link #isWellFormed} returned {@code true}
     * @return its key
     */
    static SessionKey keyOfWellFormed(String wellFormed) {
        return SessionKey.ofDigest(sha256(wellFormed));
    }

    /**
     * Makes a new random token.
     *
     * @param random the source of randomness; must be a {@link SecureRandom}
     * @return a fresh token
     */
    public static SessionToken generate(SecureRandom random) {
        byte[] bytes = new byte[BYTES];
        random.nextBytes(bytes);
        return new SessionToken(ENCODER.encodeToString(bytes));
    }

    /**
     * Checks the shape of a presented token (length, alphabet, canonical encoding) and wraps it.
     * Does no I/O.
     *
     * @param presented the cookie or header value
     * @return the token
     * @throws InvalidTokenException if it is null or not a well-formed token; the message never
     *     repeats the input
     */
    public static SessionToken parse(String presented) {
        if (!isWellFormed(presented)) {
            throw new InvalidTokenException(presented == null ? "no session token"
                    : "malformed session token (expected " + ENCODED_LENGTH + " base64url characters)");
        }
        return new SessionToken(presented);
    }

    /**
     * Whether a string has the exact shape of a token. Cheap: no allocation, no hashing.
     *
     * @param presented any string, may be {@code null}
     * @return {@code true} if {@link #parse(String)} would accept it
     */
    public static boolean isWellFormed(String presented) {
        return Base64Url.isCanonical(presented, BYTES);
    }

    /**
     * The encoded token, for the cookie. Handle with care: this is the credential.
     *
     * @return 43 base64url characters
     */
    public String value() {
        return value;
    }

    /**
     * The SHA-256 of the token, under which the session is stored.
     *
     * @return the key, computed once
     */
    public SessionKey key() {
        return key;
    }

    /**
     * Per thread (MessageDigest is not thread-safe): the digest, so that no provider lookup runs per
     * request, and a buffer for the token's ASCII bytes, so that hashing allocates only the digest. The
     * buffer is zeroed after each use, and the digest is reset after each use too: the JDK's SHA-256
     * keeps the last block (the token's bytes) in its own buffer after {@code digest()} and zeroes it
     * only on {@code reset()} (checked on JDK 17). So no token bytes stay behind in either.
     */
    private static final class Hasher {
        final MessageDigest digest;
        final byte[] ascii = new byte[ENCODED_LENGTH];

        Hasher() {
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is required by every Java platform", e);
            }
        }
    }

    private static final ThreadLocal<Hasher> SHA256 = ThreadLocal.withInitial(Hasher::new);

    static byte[] sha256(String value) {
        Hasher h = SHA256.get();
        MessageDigest digest = h.digest;
        digest.reset(); // a no-op unless a previous use was interrupted
        int n = value.length();
        byte[] out;
        if (n != ENCODED_LENGTH) {
            out = digest.digest(value.getBytes(StandardCharsets.US_ASCII));
        } else {
            byte[] ascii = h.ascii;
            for (int i = 0; i < n; i++) {
                char c = value.charAt(i);
                ascii[i] = c < 0x80 ? (byte) c : (byte) '?'; // what getBytes(US_ASCII) writes for others
            }
            digest.update(ascii, 0, n);
            Arrays.fill(ascii, (byte) 0);
            out = digest.digest();
        }
        digest.reset(); // clears the digest's copy of the last block, which held the token's bytes
        return out;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SessionToken that && key.equals(that.key);
    }

    @Override
    public int hashCode() {
        return key.hashCode();
    }

    /** Returns {@code "SessionToken[key=" + key().prefix() + "…]"}: never the token itself. */
    @Override
    public String toString() {
        return "SessionToken[key=" + key.prefix() + "…]";
    }
}
