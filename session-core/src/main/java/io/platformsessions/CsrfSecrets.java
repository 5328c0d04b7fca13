package io.platformsessions;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The CSRF primitive: secrets and the masked tokens handed to pages. The engine uses it for each
 * session's secret ({@link SessionManager#csrfToken(PlatformContext)}); the servlet adapter uses it
 * for the pre-session secret of a login form. Stateless and thread-safe.
 *
 * <p>A secret is 32 random bytes written as 43 characters of base64url. A token is
 * {@code base64url(pad || pad XOR secret)}, 86 characters, with a fresh random pad per call, so the
 * same secret never appears twice in a response body (BREACH) while every token made from it stays
 * valid. Verification checks length, alphabet and canonical encoding ({@link Base64Url#isCanonical})
 * first, so each token has exactly one valid spelling, and compares in constant time
 * ({@link MessageDigest#isEqual}).
 */
public final class CsrfSecrets {
    /** Bytes in a CSRF secret. */
    public static final int SECRET_BYTES = 32;
    /** Length of an encoded secret: base64url of 32 bytes, no padding. */
    public static final int SECRET_LENGTH = 43;
    /** Length of a masked token: base64url of 64 bytes, no padding. */
    public static final int TOKEN_LENGTH = 86;

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private CsrfSecrets() {
    }

    /**
     * A new secret.
     *
     * @param random source of the secret
     * @return 43 base64url characters
     * @throws NullPointerException if {@code random} is null
     */
    public static String newSecret(SecureRandom random) {
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        return ENCODER.encodeToString(secret);
    }

    /**
     * Masks a secret with a fresh random pad: a different token on every call, all valid.
     *
     * @param secret a secret as made by {@link #newSecret(SecureRandom)}
     * @param random source of the pad
     * @return an 86-character token
     * @throws IllegalArgumentException if {@code secret} is null or not a canonical 32-byte base64url value
     * @throws NullPointerException if {@code random} is null
     */
    public static String mask(String secret, SecureRandom random) {
        if (!isSecret(secret)) {
            throw new IllegalArgumentException("the CSRF secret is missing or malformed");
        }
        byte[] s = DECODER.decode(secret);
        byte[] pad = new byte[SECRET_BYTES];
        random.nextBytes(pad);
        byte[] out = new byte[SECRET_BYTES * 2];
        for (int i = 0; i < SECRET_BYTES; i++) {
            out[i] = pad[i];
            out[SECRET_BYTES + i] = (byte) (pad[i] ^ s[i]);
        }
        return ENCODER.encodeToString(out);
    }

    /**
     * Whether a presented token unmasks to the secret. Never throws: null, empty, over-long,
     * non-ASCII, non-canonical or foreign tokens all give {@code false}. The shape checks depend only
     * on the presented value's length and characters; the secret comparison is constant-time.
     *
     * @param secret the expected secret, may be null (then nothing verifies)
     * @param presented anything, may be null
     * @return {@code true} only for a token made by {@link #mask(String, SecureRandom)} from this secret
     */
    public static boolean verify(String secret, String presented) {
        if (!isWellFormedToken(presented) || !isSecret(secret)) {
            return false;
        }
        byte[] raw = DECODER.decode(presented);
        byte[] s = DECODER.decode(secret);
        byte[] unmasked = new byte[SECRET_BYTES];
        for (int i = 0; i < SECRET_BYTES; i++) {
            unmasked[i] = (byte) (raw[i] ^ raw[SECRET_BYTES + i]);
        }
        return MessageDigest.isEqual(unmasked, s);
    }

    /**
     * Whether a string has the exact shape of a secret: 43 base64url characters in canonical encoding.
     * No allocation.
     *
     * @param value any string, may be null
     * @return {@code true} if it could be a secret
     */
    public static boolean isSecret(String value) {
        return Base64Url.isCanonical(value, SECRET_BYTES);
    }

    /**
     * Whether a string has the exact shape of a masked token: 86 base64url characters in canonical
     * encoding. No allocation.
     *
     * @param presented any string, may be null
     * @return {@code true} if it could be a token
     */
    public static boolean isWellFormedToken(String presented) {
        return Base64Url.isCanonical(presented, SECRET_BYTES * 2);
    }
}
