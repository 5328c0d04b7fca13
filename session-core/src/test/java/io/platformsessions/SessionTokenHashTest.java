package io.platformsessions;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The token hash's two paths (token length, other lengths) and what it leaves behind in its per-thread buffer. */
class SessionTokenHashTest {
    private static byte[] reference(String s) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void everyLengthAndCharacterHashesAsTheTextsAsciiBytes() throws Exception {
        int n = SessionToken.ENCODED_LENGTH;
        for (String s : List.of("", "a", "x".repeat(n - 1), "x".repeat(n), "x".repeat(n + 1), "y".repeat(2 * n),
                "\u007f".repeat(n), "\u0080" + "a".repeat(n - 1), "a".repeat(n - 1) + "\u00ff", "\u00e9".repeat(n),
                "\u20ac".repeat(n))) {
            assertThat(SessionToken.sha256(s)).as("%d characters starting %s", s.length(),
                    s.isEmpty() ? "-" : Integer.toHexString(s.charAt(0))).isEqualTo(reference(s));
        }
    }

    @Test
    void theReusedBufferHoldsNoTokenCharactersAfterHashing() throws Exception {
        SessionToken.sha256("Q".repeat(SessionToken.ENCODED_LENGTH));
        Field perThread = SessionToken.class.getDeclaredField("SHA256");
        perThread.setAccessible(true);
        Object hasher = ((ThreadLocal<?>) perThread.get(null)).get();
        Field ascii = hasher.getClass().getDeclaredField("ascii");
        ascii.setAccessible(true);
        assertThat((byte[]) ascii.get(hasher)).as("zeroed after use").containsOnly((byte) 0);
    }
}
