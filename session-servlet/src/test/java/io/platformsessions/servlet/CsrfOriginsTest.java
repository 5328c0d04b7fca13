package io.platformsessions.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How the CSRF policy reads an {@code Origin} and the configured origins, and when a query string
 * counts as carrying the token field (which is then refused): the pure parts of {@link CsrfPolicy}.
 * The filter-level behaviour is {@code CsrfTest}'s.
 */
class CsrfOriginsTest {

    @Test
    void anOriginIsSchemeHostAndPortOnlyLowerCasedWithoutDefaultPorts() {
        assertThat(CsrfPolicy.normalizeOrigin("HTTPS://Example.COM:443")).isEqualTo("https://example.com");
        assertThat(CsrfPolicy.normalizeOrigin("http://example.com:80")).isEqualTo("http://example.com");
        assertThat(CsrfPolicy.normalizeOrigin("http://example.com:443")).isEqualTo("http://example.com:443");
        assertThat(CsrfPolicy.normalizeOrigin("https://example.com:80")).isEqualTo("https://example.com:80");
        assertThat(CsrfPolicy.normalizeOrigin(" https://example.com/ ")).as("trimmed, root path allowed")
                .isEqualTo("https://example.com");
        assertThat(CsrfPolicy.normalizeOrigin("https://[::1]:8443")).isEqualTo("https://[::1]:8443");
        assertThat(CsrfPolicy.origin("http", "::1", 8080)).isEqualTo("http://[::1]:8080");
        assertThat(CsrfPolicy.origin("HTTP", "Example.com", 0)).as("port 0 is not a default port")
                .isEqualTo("http://example.com:0");
        assertThat(CsrfPolicy.origin("https", "example.com", -1)).isEqualTo("https://example.com");
    }

    @Test
    void anythingThatIsNotAnHttpOriginIsNone() {
        for (String bad : new String[] {null, "", "   ", "null", "https://exa mple.com", "//example.com", "https:///x",
            "mailto:a@example.com", "https://user@example.com", "https://example.com/path", "https://example.com?q",
            "https://example.com/?q", "https://example.com#f", "ftp://example.com", "javascript://example.com"}) {
            assertThat(CsrfPolicy.normalizeOrigin(bad)).as(String.valueOf(bad)).isNull();
        }
    }

    @Test
    void originsAreReadUpTo2048Characters() {
        String prefix = "https://";
        String suffix = ".example";
        String host = "a".repeat(2048 - prefix.length() - suffix.length());
        String at2048 = prefix + host + suffix;
        assertThat(at2048).hasSize(2048);
        assertThat(CsrfPolicy.normalizeOrigin(at2048)).isEqualTo(at2048);
        String over = prefix + "a" + host + suffix;
        assertThat(CsrfPolicy.normalizeOrigin(over)).isNull();
    }

    @Test
    void configuredOriginsAreNormalizedAndTheFirstBadOneIsNamed() {
        assertThat(CsrfPolicy.normalizeOrigins(List.of("https://App.example.com:443", "http://localhost:8080")))
                .containsExactlyInAnyOrder("https://app.example.com", "http://localhost:8080");
        assertThat(CsrfPolicy.normalizeOrigins(List.of())).isEmpty();
        assertThatThrownBy(() -> CsrfPolicy.normalizeOrigins(List.of("https://ok.example", "https://x.example/path")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'https://x.example/path'");
    }

    @Test
    void aQueryStringCarriesTheFieldWhenAnyNameDecodesToIt() {
        assertThat(CsrfPolicy.queryNamesField(null)).isFalse();
        assertThat(CsrfPolicy.queryNamesField("")).isFalse();
        assertThat(CsrfPolicy.queryNamesField("a=1&b=_csrf")).isFalse();
        assertThat(CsrfPolicy.queryNamesField("csrf=1")).isFalse();
        assertThat(CsrfPolicy.queryNamesField("_csrf=abc")).isTrue();
        assertThat(CsrfPolicy.queryNamesField("a=1&_csrf")).isTrue();
        assertThat(CsrfPolicy.queryNamesField("a=1&%5Fcsrf=abc")).as("percent-encoded name").isTrue();
        assertThat(CsrfPolicy.queryNamesField("%zz=1")).as("undecodable: refused to be safe").isTrue();
    }
}
