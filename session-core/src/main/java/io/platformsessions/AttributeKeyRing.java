package io.platformsessions;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The AES-256 keys that seal secret attributes, by key id, and which of them seals new values.
 * Built by {@link SessionConfig.Builder#encryptionKey(String, byte[])}; read with
 * {@link SessionConfig#attributeKeys()}. Opaque: it holds its own copies of the keys and no public
 * method returns key bytes, only ids; {@link #toString()} names the ids and nothing else. Immutable
 * and thread-safe.
 */
public final class AttributeKeyRing {
    private static final AttributeKeyRing EMPTY = new AttributeKeyRing(Map.of(), null);

    private final Map<String, byte[]> keys;
    private final String activeKeyId;

    private AttributeKeyRing(Map<String, byte[]> keys, String activeKeyId) {
        Map<String, byte[]> copies = new LinkedHashMap<>();
        keys.forEach((id, key) -> copies.put(id, key.clone()));
        this.keys = Collections.unmodifiableMap(copies);
        this.activeKeyId = activeKeyId;
    }

    /** A ring of copies of {@code keys}; the caller has validated ids, lengths and the active id. */
    static AttributeKeyRing of(Map<String, byte[]> keys, String activeKeyId) {
        return keys.isEmpty() ? EMPTY : new AttributeKeyRing(keys, activeKeyId);
    }

    /**
     * The configured key ids, in the order they were added.
     *
     * @return an unmodifiable set, empty if no key is configured
     */
    public Set<String> keyIds() {
        return keys.keySet();
    }

    /**
     * The id of the key that seals new secret values.
     *
     * @return the active key id, or empty if no key is configured
     */
    public Optional<String> activeKeyId() {
        return Optional.ofNullable(activeKeyId);
    }

    /**
     * Whether no key is configured (then secret attributes cannot be set).
     *
     * @return {@code true} if the ring holds no key
     */
    public boolean isEmpty() {
        return keys.isEmpty();
    }

    /** The key for an id, or {@code null}: this ring's own array, for {@link AttributeCipher} only; never modified. */
    byte[] key(String keyId) {
        return keyId == null ? null : keys.get(keyId);
    }

    /** The active key id or {@code null}, for package code that does not want an Optional. */
    String activeKeyIdOrNull() {
        return activeKeyId;
    }

    /** Hands a copy of each key to {@code sink} (to refill a builder). */
    void copyKeysTo(BiConsumer<String, byte[]> sink) {
        keys.forEach((id, key) -> sink.accept(id, key.clone()));
    }

    /** Names the key ids and the active one; never key material. */
    @Override
    public String toString() {
        return "AttributeKeyRing[keyIds=" + keys.keySet() + ", active=" + (activeKeyId == null ? "none" : activeKeyId)
                + "]";
    }
}
