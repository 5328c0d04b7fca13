package io.platformsessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The stored identity of a session: parsing, equality, hash code and what it prints. */
class SessionKeyTest {

    private static byte[] bytes(int... first) {
        byte[] b = new byte[SessionKey.LENGTH];
        for (int i = 0; i < first.length; i++) {
            b[i] = (byte) first[i];
        }
        return b;
    }

    @Test
    void hashCodeUsesAllBitsOfTheFirstFourBytesInOrder() {
        // the key is uniformly random, so its first four bytes (big-endian) are the hash: every bit of
        // them must count, including the high bit of each byte (a sign-extension or shift slip would
        // put many keys in the same HashMap bucket)
        int[][] firsts = {{0x12, 0x34, 0x56, 0x78}, {0xff, 0xfe, 0x80, 0x81}, {0x80, 0, 0, 0}, {0, 0, 0, 0xff},
            {0, 0, 0xff, 0}, {0, 0xff, 0, 0}, {0x01, 0x02, 0x04, 0x08}};
        Set<Integer> seen = new HashSet<>();
        for (int[] first : firsts) {
            byte[] b = bytes(first);
            SessionKey k = SessionKey.ofBytes(b);
            assertThat(k.hashCode()).as("hash of %s", k.hex()).isEqualTo(ByteBuffer.wrap(b).getInt());
            assertThat(SessionKey.ofHex(k.hex()).hashCode()).isEqualTo(k.hashCode());
            seen.add(k.hashCode());
        }
        assertThat(seen).as("distinct first bytes, distinct hashes").hasSize(firsts.length);
    }

    @Test
    void equalityIsByContentAndDistinguishesTheLastByte() {
        byte[] a = bytes(1, 2, 3, 4);
        byte[] b = a.clone();
        b[SessionKey.LENGTH - 1] = 1; // same hash code, different key
        assertThat(SessionKey.ofBytes(a)).isEqualTo(SessionKey.ofBytes(a.clone()))
                .isEqualTo(SessionKey.ofHex(SessionKey.ofBytes(a).hex()))
                .isNotEqualTo(SessionKey.ofBytes(b))
                .isNotEqualTo(SessionKey.ofBytes(a).hex())
                .isNotEqualTo(null);
        assertThat(SessionKey.ofBytes(a).hashCode()).isEqualTo(SessionKey.ofBytes(b).hashCode());
    }

    @Test
    void hexPrefixAndToStringShowOnlyWhatTheyPromise() {
        SessionKey k = SessionKey.ofBytes(bytes(0xab, 0xcd, 0xef, 0x01, 0x23));
        assertThat(k.hex()).hasSize(64).startsWith("abcdef0123").endsWith("00");
        assertThat(k.prefix()).isEqualTo("abcdef01");
        assertThat(k.toString()).isEqualTo("SessionKey[abcdef01…]");
        assertThat(k.bytes()).isEqualTo(bytes(0xab, 0xcd, 0xef, 0x01, 0x23));
        byte[] out = k.bytes();
        out[0] = 0;
        assertThat(k.bytes()[0]).as("bytes() returns a copy").isEqualTo((byte) 0xab);
    }

    @Test
    void malformedKeysAreRefusedWithIllegalArgument() {
        assertThatThrownBy(() -> SessionKey.ofBytes(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionKey.ofBytes(new byte[33])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionKey.ofHex(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionKey.ofHex("a".repeat(63))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionKey.ofHex("a".repeat(65))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionKey.ofHex("z".repeat(64))).isInstanceOf(IllegalArgumentException.class);
        assertThat(SessionKey.ofHex("A".repeat(64))).as("hex is case-insensitive")
                .isEqualTo(SessionKey.ofHex("a".repeat(64)));
    }

    @Test
    void aTokenHashesAndComparesLikeItsKey() {
        SessionToken t = SessionToken.generate(new java.security.SecureRandom());
        SessionToken same = SessionToken.parse(t.value());
        assertThat(same).isEqualTo(t).isNotEqualTo(t.key());
        assertThat(same.hashCode()).isEqualTo(t.hashCode()).isEqualTo(t.key().hashCode());
        assertThat(t.toString()).isEqualTo("SessionToken[key=" + t.key().prefix() + "…]");
    }
}
