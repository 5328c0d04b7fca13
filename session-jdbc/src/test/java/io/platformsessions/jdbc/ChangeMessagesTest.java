package io.platformsessions.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.platformsessions.SessionKey;
import io.platformsessions.spi.SessionChangeBus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The announcement format: round trip, size, and refusal of anything not exactly in it. */
class ChangeMessagesTest {
    private static final String KEY_HEX = "ab".repeat(32);

    @Test
    void aPayloadCarriesNodeVersionAndKeyOnly() {
        SessionKey key = SessionKey.ofHex(KEY_HEX);
        String payload = ChangeMessages.payload(-2L, key.bytes(), 42);
        assertThat(payload).isEqualTo("fffffffffffffffe:42:" + KEY_HEX);
        ChangeMessages.Message m = ChangeMessages.parse(payload);
        assertThat(m.nodeId()).isEqualTo(-2L);
        assertThat(m.change()).isEqualTo(new SessionChangeBus.Change(key, 42));
        String ended = ChangeMessages.payload(7, key.bytes(), SessionChangeBus.DELETED);
        assertThat(ChangeMessages.parse(ended).change().version()).isEqualTo(SessionChangeBus.DELETED);
        assertThat(ChangeMessages.payload(Long.MIN_VALUE, key.bytes(), Long.MAX_VALUE).length())
                .isEqualTo(ChangeMessages.MAX_PAYLOAD);
    }

    static java.util.List<String> malformed() {
        return java.util.List.of("", "garbage", "0000000000000001:1:", "0000000000000001:1:" + "ab", "000000000000001:1:" + KEY_HEX,
            "0000000000000001::" + KEY_HEX, "0000000000000001:0:" + KEY_HEX, "0000000000000001:-2:" + KEY_HEX,
            "0000000000000001:01:" + KEY_HEX, "0000000000000001:+1:" + KEY_HEX, "0000000000000001:1:" + KEY_HEX + "00",
            "000000000000000g:1:" + KEY_HEX, "0000000000000001:1:" + "zz".repeat(32),
            "0000000000000001:99999999999999999999:" + KEY_HEX, "0000000000000001:1:1:" + KEY_HEX.substring(2));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void anythingElseIsMalformed(String payload) {
        assertThat(ChangeMessages.parse(payload)).isNull();
    }

    @Test
    void nullAndOversizedAreMalformed() {
        assertThat(ChangeMessages.parse(null)).isNull();
        assertThat(ChangeMessages.parse("1".repeat(8000))).isNull();
        assertThat(ChangeMessages.change(1, new byte[31], 1)).isNull();
        assertThat(ChangeMessages.change(1, null, 1)).isNull();
        assertThat(ChangeMessages.change(1, new byte[32], 0)).isNull();
    }
}
