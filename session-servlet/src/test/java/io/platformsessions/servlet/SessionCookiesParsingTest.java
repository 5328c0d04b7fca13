package io.platformsessions.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The raw {@code Cookie} header reader and the {@code Set-Cookie} writer at their edges: value length,
 * empty pairs, how many duplicates are kept, and which earlier Set-Cookie a new one replaces. (Over
 * HTTP: {@code DuplicateSessionCookieTest}, {@code CookieAndLoginTest}.) The servlet interfaces are
 * stubbed with only the header calls these methods make.
 */
class SessionCookiesParsingTest {
    private static final String NAME = "__Host-psid";

    private static HttpServletRequest withCookieHeaders(String... lines) {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getHeaders("Cookie")).thenAnswer(i -> Collections.enumeration(List.of(lines)));
        return request;
    }

    @Test
    void aValueOfExactlyTheMaximumLengthIsReadAndOneMoreIsOverlong() {
        String max = "v".repeat(SessionCookies.MAX_VALUE_LENGTH);
        SessionCookies.Presented p = SessionCookies.read(withCookieHeaders("a=1; " + NAME + "=" + max), NAME);
        assertThat(p.kind()).isEqualTo(SessionCookies.Kind.ONE);
        assertThat(p.value()).isEqualTo(max);
        assertThat(SessionCookies.read(withCookieHeaders(NAME + "=" + max + "v"), NAME).kind())
                .isEqualTo(SessionCookies.Kind.OVERLONG);
    }

    @Test
    void emptyPairsAndNamesAreSkippedNotMisread() {
        SessionCookies.Presented p = SessionCookies.read(withCookieHeaders(";" + NAME + "=abc"), NAME);
        assertThat(p).isEqualTo(new SessionCookies.Presented(SessionCookies.Kind.ONE, "abc"));
        assertThat(SessionCookies.read(withCookieHeaders("=x; ;\t" + NAME + " = abc ;"), NAME))
                .isEqualTo(new SessionCookies.Presented(SessionCookies.Kind.ONE, "abc"));
        assertThat(SessionCookies.read(withCookieHeaders("x" + NAME + "=abc", NAME + "x=abc"), NAME).present()).isFalse();
        assertThat(SessionCookies.read(withCookieHeaders(NAME + "=a", NAME + "=b"), NAME).kind())
                .as("over two header lines").isEqualTo(SessionCookies.Kind.DUPLICATE);
        HttpServletRequest none = mock(HttpServletRequest.class);
        assertThat(SessionCookies.read(none, NAME)).isEqualTo(SessionCookies.Presented.ABSENT);
    }

    @Test
    void allKeepsAtMostSixteenValuesAndLeavesOutOverlongOnes() {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            pairs.add(NAME + "=v" + i);
        }
        String max = "m".repeat(SessionCookies.MAX_VALUE_LENGTH);
        List<String> values = SessionCookies.all(withCookieHeaders(
                NAME + "=" + max + "; " + NAME + "=" + max + "x", String.join("; ", pairs)), NAME);
        assertThat(values).hasSize(16).first().isEqualTo(max);
        assertThat(values.get(1)).isEqualTo("v0");
        assertThat(values).doesNotContain(max + "x").last().isEqualTo("v14");

        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            lines.add(NAME + "=line" + i);
        }
        assertThat(SessionCookies.all(withCookieHeaders(lines.toArray(new String[0])), NAME))
                .as("sixteen over many header lines").hasSize(16).endsWith("line15");
    }

    @Test
    void aNewSetCookieReplacesOnlyTheOneOfTheSameName() {
        HttpServletResponse response = mock(HttpServletResponse.class);
        List<String> headers = new ArrayList<>(List.of("psidx=keep; Path=/", "psid=old; Path=/", "other=1"));
        when(response.getHeaders("Set-Cookie")).thenAnswer(i -> new ArrayList<>(headers));
        doAnswer(i -> {
            headers.clear();
            return null;
        }).when(response).setHeader("Set-Cookie", null);
        doAnswer(i -> headers.add(i.getArgument(1))).when(response).addHeader(eq("Set-Cookie"), anyString());
        SessionCookies.put(response, "psid=new; Path=/");
        assertThat(headers).containsExactly("psidx=keep; Path=/", "other=1", "psid=new; Path=/");
        verify(response).setHeader("Cache-Control", "no-store");
    }
}
