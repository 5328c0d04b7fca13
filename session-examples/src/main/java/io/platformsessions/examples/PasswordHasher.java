package io.platformsessions.examples;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.KeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashing with the JDK's {@code PBKDF2WithHmacSHA256}: a fresh 16-byte random salt per
 * password, a 256-bit derived key, and verification in constant time
 * ({@link MessageDigest#isEqual(byte[], byte[])}).
 *
 * <p>Hashes are self-describing strings {@code pbkdf2-sha256$<iterations>$<salt>$<hash>} (salt and
 * hash in unpadded base64url), so the iteration count can be raised later without invalidating
 * stored hashes. Thread-safe and immutable.
 */
public final class PasswordHasher {
    /** Iterations used by the demo: the OWASP (2023) recommendation for PBKDF2-HMAC-SHA256. */
    public static final int DEFAULT_ITERATIONS = 600_000;
    /** The lowest iteration count accepted, for hashing and for verifying stored hashes. */
    public static final int MIN_ITERATIONS = 1_000;
    /** Longest password accepted, in characters (longer input is refused without hashing). */
    public static final int MAX_PASSWORD_LENGTH = 1024;

    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final String PREFIX = "pbkdf2-sha256";
    private static final int SALT_BYTES = 16;
    private static final int KEY_BITS = 256;
    private static final int MAX_ITERATIONS = 10_000_000;

    private final int iterations;
    private final SecureRandom random;
    private final String dummyHash;
    private final LongAdder derivations = new LongAdder();

    /**
     * Creates a hasher.
     *
     * @param iterations PBKDF2 iterations for new hashes, from {@value #MIN_ITERATIONS}; the demo
     *     uses {@link #DEFAULT_ITERATIONS}, tests may use fewer to run faster
     * @throws IllegalArgumentException if {@code iterations} is out of range
     */
    public PasswordHasher(int iterations) {
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations must be in [" + MIN_ITERATIONS + ", " + MAX_ITERATIONS
                    + "], was " + iterations);
        }
        this.iterations = iterations;
        this.random = new SecureRandom();
        this.dummyHash = hash("not-a-real-password-" + random.nextLong());
    }

    /**
     * Hashes a password with a new random salt.
     *
     * @param password the password, 1 to {@value #MAX_PASSWORD_LENGTH} characters
     * @return the self-describing hash string
     * @throws IllegalArgumentException if the password is null, empty or too long
     * @throws IllegalStateException if the JDK lacks PBKDF2WithHmacSHA256 (it never does on Java 17)
     */
    public String hash(String password) {
        checkPassword(password);
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] key = derive(password, salt, iterations);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return PREFIX + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(key);
    }

    /**
     * Checks a password against a stored hash in constant time. A malformed stored hash, or a
     * null/empty/over-long password, simply does not match. A null or empty password still costs
     * one derivation (as a wrong one does), so a missing password field does not make known users
     * answer faster than unknown ones; an over-long one is never hashed, for any user.
     *
     * @param password the presented password, may be null
     * @param storedHash a string made by {@link #hash(String)}, may be null
     * @return {@code true} only if the password matches
     */
    public boolean verify(String password, String storedHash) {
        if (storedHash == null || (password != null && password.length() > MAX_PASSWORD_LENGTH)) {
            return false;
        }
        String[] parts = storedHash.split("\\$", -1);
        if (parts.length != 4 || !PREFIX.equals(parts[0])) {
            return false;
        }
        int storedIterations;
        byte[] salt;
        byte[] expected;
        try {
            storedIterations = Integer.parseInt(parts[1]);
            Base64.Decoder b64 = Base64.getUrlDecoder();
            salt = b64.decode(parts[2]);
            expected = b64.decode(parts[3]);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (storedIterations < MIN_ITERATIONS || storedIterations > MAX_ITERATIONS
                || salt.length == 0 || expected.length != KEY_BITS / 8) {
            return false;
        }
        boolean empty = password == null || password.isEmpty();
        byte[] actual = derive(empty ? "x" : password, salt, storedIterations);
        return MessageDigest.isEqual(actual, expected) && !empty;
    }

    /**
     * Spends the same time as verifying a password, and returns {@code false}: call it for unknown
     * user names so a login's timing does not tell whether the user exists.
     *
     * @param password the presented password, may be null
     * @return always {@code false}
     */
    public boolean verifyAgainstDummy(String password) {
        verify(password, dummyHash);
        return false;
    }

    /**
     * How many PBKDF2 derivations this hasher has run, for new hashes and for checks. Tests use it
     * to see that every login path costs the same work and that a refused login costs none.
     *
     * @return the count since construction
     */
    public long derivations() {
        return derivations.sum();
    }

    /**
     * The iteration count used for new hashes.
     *
     * @return the iterations
     */
    public int iterations() {
        return iterations;
    }

    private static void checkPassword(String password) {
        Objects.requireNonNull(password, "password");
        if (password.isEmpty() || password.length() > MAX_PASSWORD_LENGTH) {
            throw new IllegalArgumentException("password must have 1 to " + MAX_PASSWORD_LENGTH + " characters");
        }
    }

    private byte[] derive(String password, byte[] salt, int iterations) {
        derivations.increment();
        char[] chars = password.toCharArray();
        PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, KEY_BITS);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret((KeySpec) spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is not available", e);
        } finally {
            spec.clearPassword();
            Arrays.fill(chars, '\0');
        }
    }

    @Override
    public String toString() {
        return "PasswordHasher[" + ALGORITHM + ", iterations=" + iterations + "]";
    }
}
