package io.platformsessions.internal;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Per-session CSRF secrets and the masked tokens handed to pages. A token is
 * {@code base64url(pad || pad XOR secret)} with a fresh random pad per call, so the same secret
 * never appears twice in a response body (BREACH). Verification is constant-time. Thread-safe.
 */
public final class CsrfTokens {
    /** Bytes in a CSRF secret. */
    public static final int SECRET_BYTES = 32;
    /** Length of a masked token: base64url of 64 bytes, no padding. */
    public static final int TOKEN_LENGTH = 86;

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecureRandom random;

    /**
     * Creates the service.
     *
     * @param random source of secrets and pads
     */
    public CsrfTokens(SecureRandom random) {
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
     * @param encodedSecret the session's secret
     * @return an 86-character token
     */
    public String mask(String encodedSecret) {
        byte[] secret = DECODER.decode(encodedSecret);
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
     * Whether a presented token unmasks to the secret. Never throws.
     *
     * @param encodedSecret the session's secret
     * @param presented anything, may be null
     * @return {@code true} only for a token made by {@link #mask(String)} from this secret
     */
    public static boolean verify(String encodedSecret, String presented) {
        if (presented == null || presented.length() != TOKEN_LENGTH || encodedSecret == null) {
            return false;
        }
        for (int i = 0; i < TOKEN_LENGTH; i++) {
            char c = presented.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) {
                return false;
            }
        }
        byte[] raw;
        byte[] secret;
        try {
            raw = DECODER.decode(presented);
            secret = DECODER.decode(encodedSecret);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (raw.length != SECRET_BYTES * 2 || secret.length != SECRET_BYTES) {
            return false;
        }
        byte[] unmasked = new byte[SECRET_BYTES];
        for (int i = 0; i < SECRET_BYTES; i++) {
            unmasked[i] = (byte) (raw[i] ^ raw[SECRET_BYTES + i]);
        }
        return MessageDigest.isEqual(unmasked, secret);
    }
}
