package io.platformsessions.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PathPatternsTest {
    @Test
    void exactAndPrefixPatterns() {
        PathPatterns p = PathPatterns.of(List.of("/compose", "/api/posts/*"));
        assertThat(p.matches("/compose")).isTrue();
        assertThat(p.matches("/compose/")).as("exemptions stay exact").isFalse();
        assertThat(p.matches("/composer")).isFalse();
        assertThat(p.matches("/api/posts")).isTrue();
        assertThat(p.matches("/api/posts/1/edit")).isTrue();
        assertThat(p.matches("/api/postsx")).isFalse();
        assertThat(p.matches(null)).isFalse();
        assertThat(PathPatterns.of(List.of("/*")).matches("/anything/at/all")).isTrue();
        assertThat(PathPatterns.none().matches("/")).isFalse();
    }

    @Test
    void guardsAlsoMatchAnExactPatternWithATrailingSlash() {
        PathPatterns g = PathPatterns.guard(List.of("/compose", "/api/posts/*"));
        assertThat(g.matches("/compose")).isTrue();
        assertThat(g.matches("/compose/")).isTrue();
        assertThat(g.matches("/compose//")).isFalse();
        assertThat(g.matches("/composer")).isFalse();
        assertThat(g.matches("/compose/x")).isFalse();
        assertThat(g.matches("/api/posts/")).isTrue();
        assertThat(g.matches("/api/postsx")).isFalse();
    }

    @Test
    void rejectsMalformedPatterns() {
        for (String bad : new String[] {"", " ", "compose", "/a*", "/a/*/b", "*.html", "/*/x/*"}) {
            assertThatThrownBy(() -> PathPatterns.of(List.of(bad))).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
