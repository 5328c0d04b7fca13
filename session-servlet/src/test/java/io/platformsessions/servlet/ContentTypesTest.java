package io.platformsessions.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The raw Content-Type reader: media type and charset, never an exception. */
class ContentTypesTest {

    @Test
    void mediaTypeIsLowerCaseWithoutParameters() {
        assertThat(ContentTypes.mediaType(null)).isEmpty();
        assertThat(ContentTypes.mediaType("  ")).isEmpty();
        assertThat(ContentTypes.mediaType("Application/JSON; charset=utf-8")).isEqualTo("application/json");
        assertThat(ContentTypes.mediaType("application/x-www-form-urlencoded")).isEqualTo(ContentTypes.FORM);
    }

    @Test
    void charsetMustBeKnownAndForJsonUtf8() {
        assertThat(ContentTypes.charsetSupported(null, true)).isTrue();
        assertThat(ContentTypes.charsetSupported("application/json", true)).isTrue();
        assertThat(ContentTypes.charsetSupported("application/json; charset=\"UTF-8\"", true)).isTrue();
        assertThat(ContentTypes.charsetSupported("application/json; charset=ISO-8859-1", true)).isFalse();
        assertThat(ContentTypes.charsetSupported("application/x-www-form-urlencoded; charset=ISO-8859-1", false))
                .isTrue();
        assertThat(ContentTypes.charsetSupported("text/plain; charset=foo", false)).isFalse();
        assertThat(ContentTypes.charsetSupported("text/plain; charset=", false)).isFalse();
        assertThat(ContentTypes.charsetSupported("text/plain; charset=a b", false)).isFalse();
        assertThat(ContentTypes.charsetSupported("text/plain; boundary=x; odd", false)).isTrue();
    }
}
