package io.platformsessions;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secret attribute values with AES-256-GCM (JDK crypto): a fresh 12-byte random nonce per
 * value, a 128-bit tag, and as associated data the session's stable id plus the attribute name, so
 * a sealed value copied into another session, or under another name in the same session, does not
 * open. (The stable id rather than the session key is bound because the key changes on every
 * rotation, and sealed values must survive rotation.) Keys are looked up by id, so old keys keep
 * opening values sealed before a key rotation while the active key seals new ones. Thread-safe.
 */
final class AttributeCipher {
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    /** Longest sealed text opened: a generous bound above any attribute the size limit allows. */
    private static final int MAX_SEALED_CHARS = 4 * 1024 * 1024;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final AttributeKeyRing keys;
    private final String activeKeyId;
    private final SecureRandom random;

    /**
     * Creates a cipher over a key ring.
     *
     * @param keys the keys, by id, and the one that seals new values
     * @param random nonce source
     */
    AttributeCipher(AttributeKeyRing keys, SecureRandom random) {
        this.keys = keys;
        this.activeKeyId = keys.activeKeyIdOrNull();
        this.random = random;
    }

    /**
     * Whether a key is configured for sealing.
     *
     * @return {@code true} if {@link #seal} can be used
     */
    boolean canSeal() {
        return activeKeyId != null;
    }

    /**
     * The id of the key {@link #seal} uses.
     *
     * @return the active key id, or {@code null}
     */
    String activeKeyId() {
        return activeKeyId;
    }

    /**
     * Encrypts.
     *
     * @param plaintext the JSON text
     * @param sessionId the session's stable id (bound as associated data)
     * @param name the attribute name (bound as associated data)
     * @return base64url of nonce followed by ciphertext and tag
     * @throws IllegalStateException if no key is configured
     */
    String seal(String plaintext, String sessionId, String name) {
        if (activeKeyId == null) {
            throw new IllegalStateException("secret attributes need an encryption key: configure "
                    + "SessionConfig.builder().encryptionKey(id, 32 bytes)");
        }
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keys.key(activeKeyId), "AES"),
                    new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(sessionId, name));
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
     * Decrypts and checks integrity.
     *
     * @param sealed what {@link #seal} returned
     * @param keyId the key id stored with it
     * @param sessionId the session's stable id
     * @param name the attribute name
     * @return the JSON text
     * @throws SealedAttributeException if the key id is unknown, or the value is malformed, was tampered
     *     with, or belongs to another session or attribute; the message never contains the value
     */
    String open(String sealed, String keyId, String sessionId, String name) {
        byte[] key = keys.key(keyId);
        if (key == null) {
            throw new SealedAttributeException("secret attribute '" + name + "' was sealed with key '"
                    + printable(keyId) + "', which is not configured (SessionConfig.encryptionKey)");
        }
        if (sealed == null || sealed.length() > MAX_SEALED_CHARS) {
            throw new SealedAttributeException("secret attribute '" + name + "' is malformed");
        }
        byte[] in;
        try {
            in = DECODER.decode(sealed);
        } catch (IllegalArgumentException e) {
            throw new SealedAttributeException("secret attribute '" + name + "' is malformed (not base64url)");
        }
        if (in.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new SealedAttributeException("secret attribute '" + name + "' is malformed (too short)");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData(sessionId, name));
            return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new SealedAttributeException("secret attribute '" + name + "' failed authentication: altered, or "
                    + "copied from another session or attribute", e);
        } catch (GeneralSecurityException e) {
            throw new SealedAttributeException("secret attribute '" + name + "' could not be opened", e);
        }
    }

    private static byte[] associatedData(String sessionId, String name) {
        // length-prefixed so that ("ab", "c") and ("a", "bc") never give the same bytes
        byte[] id = sessionId.getBytes(StandardCharsets.UTF_8);
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[4 + id.length + n.length];
        out[0] = (byte) (id.length >>> 24);
        out[1] = (byte) (id.length >>> 16);
        out[2] = (byte) (id.length >>> 8);
        out[3] = (byte) id.length;
        System.arraycopy(id, 0, out, 4, id.length);
        System.arraycopy(n, 0, out, 4 + id.length, n.length);
        return out;
    }

    private static String printable(String keyId) {
        if (keyId == null) {
            return "(none)";
        }
        return keyId.length() <= 32 && keyId.matches("[A-Za-z0-9_-]*") ? keyId : "(invalid id)";
    }
}
