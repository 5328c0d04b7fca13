package io.platformsessions.internal;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Per-session CSRF secrets and the masked tokens handed to pages. A token is
 * {@code base64url(pad || pad XOR secret)} with a fresh random pad per call, so the same secret
 * never appears twice in a response body (BREACH). Verification checks length, alphabet and
 * canonical encoding first and compares in constant time ({@link MessageDigest#isEqual}).
 * Thread-safe.
 */
public final class CsrfTokens {
    /** Bytes in a CSRF secret. */
    public static final int SECRET_BYTES = 32;
    /** Length of an encoded secret: base64url of 32 bytes, no padding. */
    public static final int SECRET_LENGTH = 43;
    /** Length of a masked token: base64url of 64 bytes, no padding. */
    public static final int TOKEN_LENGTH = 86;

    // 86 characters carry 516 bits for 512 data bits: the last character holds 2 data bits and 4 zero bits,
    // so only these four are canonical. Rejecting the others makes exactly one spelling of each token valid.
    private static final String CANONICAL_LAST = "AQgw";

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecureRandom random;

    /**
     * Creates the service.
     *
     * @param random source of secrets and pads
     * @throws NullPointerException if {@code random} is null
     */
    public CsrfTokens(SecureRandom random) {
        if (random == null) {
            throw new NullPointerException("random");
        }
        this.random = random;
    }

    /**
     * A new secret, base64url encoded.
     *
     * @return 43 characters
     */
    public String newSecret() {
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        return ENCODER.encodeToString(secret);
    }

    /**
     * Masks the secret with a fresh pad.
     *
     * @param encodedSecret the session's secret, as made by {@link #newSecret()}
     * @return an 86-character token
     * @throws IllegalArgumentException if {@code encodedSecret} is null or not a 32-byte base64url value
     */
    public String mask(String encodedSecret) {
        byte[] secret = decodeSecret(encodedSecret);
        if (secret == null) {
            throw new IllegalArgumentException("the session's CSRF secret is missing or malformed");
        }
        byte[] out = new byte[SECRET_BYTES * 2];
        byte[] pad = new byte[SECRET_BYTES];
        random.nextBytes(pad);
        for (int i = 0; i < SECRET_BYTES; i++) {
            out[i] = pad[i];
            out[SECRET_BYTES + i] = (byte) (pad[i] ^ secret[i]);
        }
        return ENCODER.encodeToString(out);
    }

    /**
     * Whether a presented token unmasks to the secret. Never throws: null, empty, over-long,
     * non-ASCII, wrongly encoded or foreign tokens all give {@code false}. The shape checks depend
     * only on the presented value's length and characters; the secret comparison is constant-time.
     *
     * @param encodedSecret the session's secret, may be null (then nothing verifies)
     * @param presented anything, may be null
     * @return {@code true} only for a token made by {@link #mask(String)} from this secret
     */
    public static boolean verify(String encodedSecret, String presented) {
        if (!isWellFormedToken(presented)) {
            return false;
        }
        byte[] secret = decodeSecret(encodedSecret);
        if (secret == null) {
            return false;
        }
        byte[] raw = DECODER.decode(presented);
        byte[] unmasked = new byte[SECRET_BYTES];
        for (int i = 0; i < SECRET_BYTES; i++) {
            unmasked[i] = (byte) (raw[i] ^ raw[SECRET_BYTES + i]);
        }
        return MessageDigest.isEqual(unmasked, secret);
    }

    /**
     * Whether a string has the exact shape of a masked token: 86 base64url characters in canonical
     * encoding. No allocation.
     *
     * @param presented any string, may be null
     * @return {@code true} if it could be a token
     */
    public static boolean isWellFormedToken(String presented) {
        if (presented == null || presented.length() != TOKEN_LENGTH) {
            return false;
        }
        for (int i = 0; i < TOKEN_LENGTH - 1; i++) {
            if (!isBase64Url(presented.charAt(i))) {
                return false;
            }
        }
        return CANONICAL_LAST.indexOf(presented.charAt(TOKEN_LENGTH - 1)) >= 0;
    }

    private static byte[] decodeSecret(String encodedSecret) {
        if (encodedSecret == null || encodedSecret.length() != SECRET_LENGTH) {
            return null;
        }
        for (int i = 0; i < SECRET_LENGTH; i++) {
            if (!isBase64Url(encodedSecret.charAt(i))) {
                return null;
            }
        }
        try {
            byte[] secret = DECODER.decode(encodedSecret);
            return secret.length == SECRET_BYTES ? secret : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean isBase64Url(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }
}
