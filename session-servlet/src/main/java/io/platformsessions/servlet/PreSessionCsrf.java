package io.platformsessions.servlet;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * CSRF protection before a session exists (the login form): a random secret lives in an HttpOnly,
 * SameSite=Strict cookie ({@code __Host-psid-csrf}); pages get the secret masked with a fresh
 * random pad (so it never repeats in a response body: BREACH); the filter accepts an unsafe request
 * without a session only if the presented token unmasks to the cookie's secret (double submit).
 * Thread-safe.
 */
final class PreSessionCsrf {
    static final int SECRET_BYTES = 32;
    static final int SECRET_LENGTH = 43;
    static final int TOKEN_LENGTH = 86;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private PreSessionCsrf() {
    }

    static String newSecret() {
        byte[] b = new byte[SECRET_BYTES];
        RANDOM.nextBytes(b);
        return ENCODER.encodeToString(b);
    }

    /** Whether a cookie value has the exact shape of a secret. */
    static boolean isSecret(String value) {
        return value != null && value.length() == SECRET_LENGTH && isBase64Url(value) && decode(value) != null;
    }

    static String mask(String secret) {
        byte[] s = DECODER.decode(secret);
        byte[] pad = new byte[SECRET_BYTES];
        RANDOM.nextBytes(pad);
        byte[] out = new byte[SECRET_BYTES * 2];
        for (int i = 0; i < SECRET_BYTES; i++) {
            out[i] = pad[i];
            out[SECRET_BYTES + i] = (byte) (pad[i] ^ s[i]);
        }
        return ENCODER.encodeToString(out);
    }

    /** Constant-time check that {@code presented} unmasks to {@code secret}; never throws. */
    static boolean verify(String secret, String presented) {
        if (!isSecret(secret) || presented == null || presented.length() != TOKEN_LENGTH || !isBase64Url(presented)) {
            return false;
        }
        byte[] raw = decode(presented);
        byte[] s = decode(secret);
        if (raw == null || s == null || raw.length != SECRET_BYTES * 2 || s.length != SECRET_BYTES) {
            return false;
        }
        byte[] unmasked = new byte[SECRET_BYTES];
        for (int i = 0; i < SECRET_BYTES; i++) {
            unmasked[i] = (byte) (raw[i] ^ raw[SECRET_BYTES + i]);
        }
        return MessageDigest.isEqual(unmasked, s);
    }

    private static byte[] decode(String value) {
        try {
            return DECODER.decode(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean isBase64Url(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }
}
