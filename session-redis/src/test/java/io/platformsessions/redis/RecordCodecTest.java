package io.platformsessions.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platformsessions.spi.SessionAttributes;
import io.platformsessions.spi.SessionRecord;
import io.platformsessions.spi.StoredAttribute;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The record/hash mapping, without Redis. */
class RecordCodecTest {
    @Test
    void attributesAreChunkedIntoCompactValuesAndJoinedBack() {
        Random random = new Random(42);
        String[] pieces = {"a", "é", "✓", "😀", "\\\"", "x"};
        for (int round = 0; round < 200; round++) {
            StringBuilder text = new StringBuilder();
            int n = random.nextInt(random.nextBoolean() ? 300 : 3000);
            for (int i = 0; i < n; i++) {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            SessionRecord r = SampleSessions.typical("alice", Instant.now()).withAttributes(SessionAttributes.empty()
                    .with("note", new StoredAttribute("\"" + text + "\"", null, null)));
            List<String> fields = RecordCodec.encode(r, r.attributes().encode());
            Map<String, String> hash = new HashMap<>();
            for (int i = 0; i < fields.size(); i += 2) {
                hash.put(fields.get(i), fields.get(i + 1));
                boolean whole = !fields.contains(RecordCodec.ATTRIBUTES + 1) && fields.get(i).startsWith(RecordCodec.ATTRIBUTES);
                if (!fields.get(i).equals(RecordCodec.PLATFORM_URL) && !whole) {
                    assertThat(fields.get(i + 1).getBytes(StandardCharsets.UTF_8).length).as(fields.get(i))
                            .isLessThanOrEqualTo(RecordCodec.CHUNK_BYTES);
                }
                assertThat(Character.isHighSurrogate(fields.get(i + 1).charAt(fields.get(i + 1).length() - 1))).isFalse();
            }
            assertThat(RecordCodec.decode(r.key(), hash)).isEqualTo(r);
        }
    }

    @Test
    void largeAttributeSetsAreStoredWhole() {
        SessionRecord r = SampleSessions.typical("carol", Instant.now()).withAttributes(SessionAttributes.empty()
                .with("blob", new StoredAttribute("\"" + "é".repeat(100_000) + "\"", null, null)));
        List<String> fields = RecordCodec.encode(r, r.attributes().encode());
        assertThat(fields).contains(RecordCodec.ATTRIBUTES + 0).doesNotContain(RecordCodec.ATTRIBUTES + 1);
        assertThat(fields.size()).isLessThan(60);
        Map<String, String> hash = new HashMap<>();
        for (int i = 0; i < fields.size(); i += 2) {
            hash.put(fields.get(i), fields.get(i + 1));
        }
        assertThat(RecordCodec.decode(r.key(), hash)).isEqualTo(r);
    }

    @Test
    void missingOrBrokenFieldsAreMalformed() {
        SessionRecord r = SampleSessions.typical("bob", Instant.now());
        List<String> fields = RecordCodec.encode(r, r.attributes().encode());
        Map<String, String> hash = new HashMap<>();
        for (int i = 0; i < fields.size(); i += 2) {
            hash.put(fields.get(i), fields.get(i + 1));
        }
        for (String field : new String[] {RecordCodec.VERSION, RecordCodec.USER_ID, RecordCodec.EXPIRES,
            RecordCodec.CSRF_SECRET, RecordCodec.PLATFORM_NAME}) {
            Map<String, String> broken = new HashMap<>(hash);
            broken.remove(field);
            assertThatThrownBy(() -> RecordCodec.decode(r.key(), broken)).as(field)
                    .isInstanceOf(RecordCodec.MalformedEntryException.class);
        }
        Map<String, String> badLevel = new HashMap<>(hash);
        badLevel.put(RecordCodec.ELEVATION_LEVEL, "ROOT");
        assertThatThrownBy(() -> RecordCodec.decode(r.key(), badLevel)).hasMessageContaining("ROOT");
        Map<String, String> badJson = new HashMap<>(hash);
        badJson.put(RecordCodec.ATTRIBUTES + 0, "{not json");
        assertThatThrownBy(() -> RecordCodec.decode(r.key(), badJson))
                .isInstanceOf(RecordCodec.MalformedEntryException.class);
    }
}
