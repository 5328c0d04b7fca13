package io.platformsessions;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secret attribute values with AES-256-GCM (JDK crypto): a fresh 12-byte random nonce per
 * value, a 128-bit tag, and associated data (AAD) that binds the value to where it belongs. Keys are
 * looked up by id, so old keys keep opening values sealed before a key rotation while the active key
 * seals new ones. Thread-safe.
 *
 * <p>Two formats, told apart by a prefix that base64url never produces:
 * <ul>
 * <li><b>v2</b> (every value sealed now): {@code "v2." + base64url(nonce ‖ ciphertext ‖ tag)}, with the
 *     AAD {@code 0x02 ‖ sessionId ‖ name ‖ keyId ‖ expiry}: the session's stable id, the attribute
 *     name and the key id, each length-prefixed, then the attribute's expiry in epoch milliseconds
 *     ({@link Long#MIN_VALUE} for none). Moving the value to another session or name, relabelling its
 *     key id, or changing or removing its expiry in the store makes it fail to open.</li>
 * <li><b>v1</b> (values sealed before v2; still opened, never written): {@code base64url(nonce ‖
 *     ciphertext ‖ tag)} with the AAD {@code sessionId ‖ name} only. A v1 value's key id and expiry are
 *     not authenticated; it becomes v2 when the attribute is written again.</li>
 * </ul>
 * The stable session id, not the session key, is bound because the key changes on every rotation and
 * sealed values must survive rotation. A v2 value cannot be turned into a v1 one without the key (the
 * AADs differ from their first byte).
 */
final class AttributeCipher {
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    /** Longest sealed text opened: a generous bound above any attribute the size limit allows. */
    private static final int MAX_SEALED_CHARS = 4 * 1024 * 1024;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    /** Marks the v2 format; '.' is outside the base64url alphabet, so no v1 value starts with it. */
    static final String V2_PREFIX = "v2.";
    private static final byte FORMAT_V2 = 2;

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
     * Encrypts in the v2 format with the active key.
     *
     * @param plaintext the JSON text
     * @param sessionId the session's stable id (bound as associated data)
     * @param name the attribute name (bound as associated data)
     * @param expiresAt the attribute's expiry, or {@code null} (bound as associated data, to the millisecond)
     * @return {@code "v2."} and base64url of nonce followed by ciphertext and tag
     * @throws IllegalStateException if no key is configured
     */
    String seal(String plaintext, String sessionId, String name, Instant expiresAt) {
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
            cipher.updateAAD(associatedDataV2(sessionId, name, activeKeyId, expiresAt));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return V2_PREFIX + ENCODER.encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * Decrypts and checks integrity, in either format (see the class comment).
     *
     * @param sealed what {@link #seal} returned (or a v1 value)
     * @param keyId the key id stored with it
     * @param sessionId the session's stable id
     * @param name the attribute name
     * @param expiresAt the attribute's expiry as stored, or {@code null}
     * @return the JSON text
     * @throws SealedAttributeException if the key id is unknown, or the value is malformed, was tampered
     *     with (v2: its key id or expiry too), or belongs to another session or attribute; the message never
     *     contains the value
     */
    String open(String sealed, String keyId, String sessionId, String name, Instant expiresAt) {
        byte[] key = keys.key(keyId);
        if (key == null) {
            throw new SealedAttributeException("secret attribute '" + name + "' was sealed with key '"
                    + printable(keyId) + "', which is not configured (SessionConfig.encryptionKey)");
        }
        if (sealed == null || sealed.length() > MAX_SEALED_CHARS) {
            throw new SealedAttributeException("secret attribute '" + name + "' is malformed");
        }
        boolean v2 = sealed.startsWith(V2_PREFIX);
        byte[] in;
        try {
            in = DECODER.decode(v2 ? sealed.substring(V2_PREFIX.length()) : sealed);
        } catch (IllegalArgumentException e) {
            throw new SealedAttributeException("secret attribute '" + name + "' is malformed (not base64url)");
        }
        if (in.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new SealedAttributeException("secret attribute '" + name + "' is malformed (too short)");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            cipher.updateAAD(v2 ? associatedDataV2(sessionId, name, keyId, expiresAt) : associatedDataV1(sessionId, name));
            return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new SealedAttributeException("secret attribute '" + name + "' failed authentication: altered (value, "
                    + "key id or expiry), or copied from another session or attribute", e);
        } catch (GeneralSecurityException e) {
            throw new SealedAttributeException("secret attribute '" + name + "' could not be opened", e);
        }
    }

    /** v1: length-prefixed so that ("ab", "c") and ("a", "bc") never give the same bytes. */
    private static byte[] associatedDataV1(String sessionId, String name) {
        byte[] id = sessionId.getBytes(StandardCharsets.UTF_8);
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(4 + id.length + n.length);
        out.putInt(id.length).put(id).put(n);
        return out.array();
    }

    /** v2: a format byte, then every field length-prefixed, then the expiry (a fixed 8 bytes). */
    private static byte[] associatedDataV2(String sessionId, String name, String keyId, Instant expiresAt) {
        byte[] id = sessionId.getBytes(StandardCharsets.UTF_8);
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] k = keyId.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(1 + 4 + id.length + 4 + n.length + 4 + k.length + 8);
        out.put(FORMAT_V2).putInt(id.length).put(id).putInt(n.length).put(n).putInt(k.length).put(k)
                .putLong(expiresAt == null ? Long.MIN_VALUE : expiresAt.toEpochMilli());
        return out.array();
    }

    private static String printable(String keyId) {
        if (keyId == null) {
            return "(none)";
        }
        return keyId.length() <= 32 && keyId.matches("[A-Za-z0-9_-]*") ? keyId : "(invalid id)";
    }
}
