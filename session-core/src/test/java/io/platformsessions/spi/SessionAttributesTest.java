package io.platformsessions.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platformsessions.SessionStoreException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one-column attribute encoding every store keeps, and the immutable copy operations. */
class SessionAttributesTest {
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    private static SessionAttributes sample() {
        Map<String, StoredAttribute> m = new LinkedHashMap<>();
        m.put("plain", new StoredAttribute("\"hello\"", null, null));
        m.put("timed", new StoredAttribute("42", T0.plusSeconds(60), null));
        m.put("sealed", new StoredAttribute("Y2lwaGVy", null, "k1"));
        return SessionAttributes.of(m);
    }

    @Test
    void encodeWritesOnlyTheFieldsThatAreSetAndDecodeReadsThemBack() {
        SessionAttributes a = sample();
        String json = a.encode();
        assertThat(json).isEqualTo("{\"plain\":{\"v\":\"\\\"hello\\\"\"},\"timed\":{\"v\":\"42\",\"e\":"
                + T0.plusSeconds(60).toEpochMilli() + "},\"sealed\":{\"v\":\"Y2lwaGVy\",\"k\":\"k1\"}}");
        assertThat(a.encode()).as("stable on repeated calls").isEqualTo(json);
        SessionAttributes back = SessionAttributes.decode(json);
        assertThat(back).isEqualTo(a).hasSameHashCodeAs(a);
        assertThat(back.asMap().keySet()).containsExactly("plain", "timed", "sealed");
        assertThat(back.get("timed").expiresAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(back.get("sealed").keyId()).isEqualTo("k1");
        assertThat(back.get("sealed").sealed()).isTrue();
        assertThat(back.get("plain").sealed()).isFalse();
        assertThat(back.encode()).as("a decoded set re-encodes to the same text").isEqualTo(json);
    }

    @Test
    void nothingStoredDecodesAsTheEmptySet() {
        for (String none : new String[] {null, "", "  ", "{}"}) {
            assertThat(SessionAttributes.decode(none)).as(String.valueOf(none)).isSameAs(SessionAttributes.empty());
        }
        assertThat(SessionAttributes.empty().isEmpty()).isTrue();
        assertThat(SessionAttributes.empty().encode()).isEqualTo("{}");
        assertThat(SessionAttributes.of(Map.of())).isSameAs(SessionAttributes.empty());
        assertThat(sample().isEmpty()).isFalse();
    }

    @Test
    void corruptStoredTextIsAPermanentStoreFailureNamingNoValue() {
        for (String bad : List.of("not json", "[1,2]", "{\"a\":1}", "{\"a\":{\"e\":5}}", "{\"a\":{\"v\":7}}",
                "{\"a\":{\"v\":\"secret-value\"}", "{\"a\":\"secret-value\"}")) {
            assertThatThrownBy(() -> SessionAttributes.decode(bad)).as(bad)
                    .isInstanceOfSatisfying(SessionStoreException.class, e -> {
                        assertThat(e.isTransient()).as("retrying cannot help").isFalse();
                        assertThat(e.getMessage()).doesNotContain("secret-value");
                    });
        }
    }

    @Test
    void ignoresFieldsOfTheWrongTypeRatherThanMisreadingThem() {
        SessionAttributes a = SessionAttributes.decode("{\"x\":{\"v\":\"1\",\"e\":\"soon\",\"k\":7}}");
        assertThat(a.get("x")).isEqualTo(new StoredAttribute("1", null, null));
    }

    @Test
    void copiesLeaveTheOriginalUnchanged() {
        SessionAttributes a = sample();
        SessionAttributes b = a.with("new", new StoredAttribute("1", null, null));
        assertThat(b.asMap()).containsKeys("plain", "timed", "sealed", "new");
        assertThat(a.get("new")).isNull();
        assertThat(b).isNotEqualTo(a);
        assertThat(b.encode()).contains("\"new\"");
        assertThat(a.encode()).doesNotContain("\"new\"");

        assertThat(a.without("absent")).isSameAs(a);
        SessionAttributes c = a.without("plain");
        assertThat(c.asMap().keySet()).containsExactly("timed", "sealed");
        assertThat(a.get("plain")).isNotNull();
        assertThat(SessionAttributes.of(Map.of("x", new StoredAttribute("1", null, null))).without("x"))
                .isSameAs(SessionAttributes.empty());
        assertThatThrownBy(() -> a.asMap().put("y", new StoredAttribute("1", null, null)))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void withoutExpiredDropsExactlyTheAttributesExpiredAtThatInstant() {
        SessionAttributes a = sample();
        assertThat(a.withoutExpired(T0.plusSeconds(59))).isSameAs(a);
        SessionAttributes after = a.withoutExpired(T0.plusSeconds(60));
        assertThat(after.asMap().keySet()).containsExactly("plain", "sealed");
        assertThat(after.encode()).doesNotContain("timed");
        SessionAttributes onlyTimed = SessionAttributes.of(Map.of("t", new StoredAttribute("1", T0, null)));
        assertThat(onlyTimed.withoutExpired(T0)).isSameAs(SessionAttributes.empty());
    }

    @Test
    void equalityIsByContentAndToStringNamesNoValue() {
        assertThat(sample()).isEqualTo(sample()).hasSameHashCodeAs(sample())
                .isNotEqualTo(sample().without("plain")).isNotEqualTo("plain");
        assertThat(sample().toString()).isEqualTo("SessionAttributes[plain, timed, sealed]")
                .doesNotContain("hello").doesNotContain("Y2lwaGVy");
    }
}
