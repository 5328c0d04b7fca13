package io.platformsessions;

/**
 * The one shape check for the unpadded base64url text (RFC 4648 §5) this library hands out: session
 * tokens, CSRF secrets and masked CSRF tokens. Stateless and thread-safe.
 *
 * <p>Canonical means the exact text {@code Base64.getUrlEncoder().withoutPadding()} writes for
 * some byte string of the expected length: the right length, only {@code A-Z a-z 0-9 - _}, and
 * zero bits in the unused low bits of the last character. The JDK decoder ignores those bits, so
 * without the last rule every value would have up to 16 valid spellings.
 */
public final class Base64Url {

    private Base64Url() {
    }

    /**
     * Length of the unpadded base64url text of {@code decodedBytes} bytes.
     *
     * @param decodedBytes number of bytes, 0 or more
     * @return the number of characters
     * @throws IllegalArgumentException if {@code decodedBytes} is negative or too large to encode in a String
     */
    public static int encodedLength(int decodedBytes) {
        if (decodedBytes < 0 || decodedBytes > Integer.MAX_VALUE / 8) {
            throw new IllegalArgumentException("decodedBytes must be 0 to " + Integer.MAX_VALUE / 8 + ", was "
                    + decodedBytes);
        }
        return (decodedBytes * 8 + 5) / 6;
    }

    /**
     * Whether {@code value} is the canonical unpadded base64url text of exactly {@code decodedBytes}
     * bytes. Never throws for any {@code value}; no allocation. Its running time depends only on the
     * length and characters of {@code value}, never on a secret.
     *
     * @param value any string, may be {@code null}
     * @param decodedBytes the byte length the text must decode to
     * @return {@code true} if {@code value} is canonical text of that many bytes
     * @throws IllegalArgumentException if {@code decodedBytes} is negative
     */
    public static boolean isCanonical(String value, int decodedBytes) {
        int length = encodedLength(decodedBytes);
        if (value == null || value.length() != length) {
            return false;
        }
        int last = 0;
        for (int i = 0; i < length; i++) {
            last = sixBits(value.charAt(i));
            if (last < 0) {
                return false;
            }
        }
        int unusedBits = length * 6 - decodedBytes * 8;
        return length == 0 || (last & ((1 << unusedBits) - 1)) == 0;
    }

    /** The 6-bit value of each ASCII character in the base64url alphabet, -1 for the others. */
    private static final byte[] SIX_BITS = new byte[128];

    static {
        java.util.Arrays.fill(SIX_BITS, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < alphabet.length(); i++) {
            SIX_BITS[alphabet.charAt(i)] = (byte) i;
        }
    }

    /** The 6-bit value of a base64url character, or -1 for any other character (one table read). */
    private static int sixBits(char c) {
        return c < 128 ? SIX_BITS[c] : -1;
    }
}
