package io.platformsessions.spring.boot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AES-256 keys for secret attributes. The values are never logged and are masked by Actuator.
 * These are the properties under {@code platform.sessions.encryption}, a group of {@link PlatformSessionsProperties}.
 *
 * <p>A mutable JavaBean for Spring's binder: not thread-safe while it is being bound, read-only afterwards.
 */
public class PlatformSessionsEncryptionProperties {
    /** Key id to key: 32 random bytes in Base64 (for example from {@code openssl rand -base64 32}); the first is active unless active-key says otherwise. */
    private Map<String, String> keys = new LinkedHashMap<>();

    /** Id of the key that seals new secret values; older keys still open old ones. */
    private String activeKey;

    /** Attribute names whose values are always sealed. */
    private List<String> secretAttributes = new ArrayList<>();

    /**
     * The keys by id, Base64.
     *
     * @return the keys
     */
    public Map<String, String> getKeys() {
        return keys;
    }

    /**
     * Sets the keys by id, Base64.
     *
     * @param keys the keys
     */
    public void setKeys(Map<String, String> keys) {
        this.keys = keys;
    }

    /**
     * The active key id.
     *
     * @return the id, or {@code null} for the first key
     */
    public String getActiveKey() {
        return activeKey;
    }

    /**
     * Sets the active key id.
     *
     * @param activeKey the id
     */
    public void setActiveKey(String activeKey) {
        this.activeKey = activeKey;
    }

    /**
     * The attribute names always sealed.
     *
     * @return the names
     */
    public List<String> getSecretAttributes() {
        return secretAttributes;
    }

    /**
     * Sets the attribute names always sealed.
     *
     * @param secretAttributes the names
     */
    public void setSecretAttributes(List<String> secretAttributes) {
        this.secretAttributes = secretAttributes;
    }
}
