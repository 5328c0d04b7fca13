package io.platformsessions.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secret attribute values with AES-256-GCM (JDK crypto): a fresh 12-byte nonce per value,
 * a 128-bit tag, and the session's stable id as associated data, so a sealed value copied into
 * another session does not open. Keys are looked up by id, so old keys keep opening values sealed
 * before a rotation. Thread-safe.
 */
public final class AttributeCipher {
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final Map<String, byte[]> keys;
    private final String activeKeyId;
    private final SecureRandom random;

    /**
     * Creates a cipher over a key ring.
     *
     * @param keys key id to 32-byte key
     * @param activeKeyId the key that seals new values, or {@code null} if none
     * @param random nonce source
     */
    public AttributeCipher(Map<String, byte[]> keys, String activeKeyId, SecureRandom random) {
        this.keys = keys;
        this.activeKeyId = activeKeyId;
        this.random = random;
    }

    /**
     * Whether a key is configured for sealing.
     *
     * @return {@code true} if {@link #seal} can be used
     */
    public boolean canSeal() {
        return activeKeyId != null;
    }

    /**
     * The id of the key {@link #seal} uses.
     *
     * @return the active key id, or {@code null}
     */
    public String activeKeyId() {
        return activeKeyId;
    }

    /**
     * Encrypts.
     *
     * @param plaintext the JSON text
     * @param associatedData the session id
     * @return base64url of nonce followed by ciphertext and tag
     * @throws IllegalStateException if no key is configured
     */
    public String seal(String plaintext, String associatedData) {
        if (activeKeyId == null) {
            throw new IllegalStateException("secret attributes need an encryption key: configure "
                    + "SessionConfig.builder().encryptionKey(id, 32 bytes)");
        }
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keys.get(activeKeyId), "AES"),
                    new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return ENCODER.encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * Decrypts.
     *
     * @param sealed what {@link #seal} returned
     * @param keyId the key id stored with it
     * @param associatedData the session id
     * @return the JSON text
     * @throws IllegalArgumentException if the key id is unknown or the value was tampered with
     */
    public String open(String sealed, String keyId, String associatedData) {
        byte[] key = keys.get(keyId);
        if (key == null) {
            throw new IllegalArgumentException("secret attribute was sealed with key '" + keyId
                    + "', which is no longer configured");
        }
        try {
            byte[] in = DECODER.decode(sealed);
            if (in.length < NONCE_BYTES + TAG_BITS / 8) {
                throw new IllegalArgumentException("sealed attribute is too short");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("sealed attribute failed authentication", e);
        }
    }
}
