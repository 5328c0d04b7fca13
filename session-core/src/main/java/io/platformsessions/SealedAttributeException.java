package io.platformsessions;

/**
 * A secret (sealed) session attribute could not be opened: its ciphertext was altered, it was
 * copied from another session or another attribute name, it was sealed with a key that is no
 * longer in {@link SessionConfig#attributeKeys()}, or a name declared secret holds a value that was
 * never sealed. The message names the attribute and, for a missing key, the key id; it never
 * contains the value, the ciphertext or key material.
 *
 * <p>Treat it as tampering or misconfiguration: the value is lost for this session, but the session
 * itself is intact. Removing or overwriting the attribute clears the condition.
 */
public class SealedAttributeException extends SessionException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed (never the value or key material)
     */
    public SealedAttributeException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what failed (never the value or key material)
     * @param cause the crypto or decoding failure
     */
    public SealedAttributeException(String message, Throwable cause) {
        super(message, cause);
    }
}
