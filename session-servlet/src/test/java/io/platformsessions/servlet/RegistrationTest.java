package io.platformsessions.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.platformsessions.PlatformConnection;
import io.platformsessions.SessionConfig;
import io.platformsessions.SessionManager;
import io.platformsessions.memory.InMemoryPlatformDirectory;
import io.platformsessions.memory.InMemorySessionStore;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The other two ways to register the filter, in one Jetty with two web applications:
 * {@code ServletContext.addFilter(name, builtFilter)} (context /built) and the web.xml way,
 * {@code addFilter(name, PlatformSessionFilter.class)} with init-parameters and the manager in a
 * servlet-context attribute (context /xml). Both use the development cookie {@code psid}.
 */
class RegistrationTest {
    static Server server;
    static URI base;
    static SessionManager manager;
    static String warnings;

    @BeforeAll
    static void start() throws Exception {
        manager = SessionManager.builder(new InMemorySessionStore()).config(SessionConfig.defaults()).build();
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);

        ServletContextHandler built = new ServletContextHandler();
        built.setContextPath("/built");
        built.addServlet(new ServletHolder(new AppServlet()), "/*");
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        PlatformSessionFilter filter;
        try {
            filter = PlatformSessionFilter.builder(manager).secureCookie(false).loginPage("/login-page").build();
        } finally {
            System.setErr(err);
        }
        warnings = captured.toString(StandardCharsets.UTF_8);
        built.addServletContainerInitializer((ServletContainerInitializer) (classes, ctx) ->
                ctx.addFilter("platformSessions", filter)
                        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*"));

        ServletContextHandler xml = new ServletContextHandler();
        xml.setContextPath("/xml");
        xml.addServlet(new ServletHolder(new AppServlet()), "/*");
        xml.addServletContainerInitializer((ServletContainerInitializer) (classes, ctx) -> {
            ctx.setAttribute(PlatformSessionFilter.MANAGER_ATTRIBUTE, manager);
            ctx.setAttribute(PlatformSessionFilter.PLATFORM_DIRECTORY_ATTRIBUTE, new InMemoryPlatformDirectory()
                    .put(new PlatformConnection(7, "carol", "carol@example.social", "mastodon", "https://example.social",
                            true, false)));
            FilterRegistration.Dynamic d = ctx.addFilter("platformSessions", PlatformSessionFilter.class);
            d.setInitParameter("secureCookie", "false");
            d.setInitParameter("loginPage", "/login-page");
            d.setInitParameter("platformRequiredPaths", "/compose, /api/posts/*");
            d.setInitParameter("csrfExemptPaths", "/webhooks/*");
            d.setInitParameter("endpointPrefix", "/auth");
            d.setInitParameter("retryAfterSeconds", "9");
            d.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
        });

        server.setHandler(new org.eclipse.jetty.server.handler.ContextHandlerCollection(built, xml));
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
        manager.close();
    }

    @Test
    void nonSecureCookieLogsAWarning() {
        assertThat(warnings).contains("WARN").contains("NOT Secure").contains("psid");
    }

    @Test
    void exemptingEveryPathFromCsrfLogsAWarning() {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            PlatformSessionFilter.builder(manager).csrfExemptPaths("/webhooks/*").build();
            assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain("csrfExemptPaths");
            PlatformSessionFilter.builder(manager).csrfExemptPaths("/*").build();
        } finally {
            System.setErr(err);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("WARN").contains("csrfExemptPaths")
                .contains("OFF for every application path");
    }

    @Test
    void trustingEveryAddressAsAProxyLogsAWarning() {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            PlatformSessionFilter.builder(manager).trustedProxies("10.0.0.0/8").build();
            assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain("trustedProxies");
            PlatformSessionFilter.builder(manager).trustedProxies("0.0.0.0/0").build();
        } finally {
            System.setErr(err);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("WARN").contains("trustedProxies")
                .contains("X-Forwarded-For");
    }

    @Test
    void programmaticRegistrationWithDevCookie() {
        Browser b = new Browser(base);
        String token = b.get("/built/login-form").body();
        HttpResponse<String> r = b.post("/built/login", "application/x-www-form-urlencoded",
                "user=dev&_csrf=" + Browser.enc(token));
        assertThat(r.statusCode()).isEqualTo(200);
        SetCookie c = Browser.setCookie(r, "psid");
        assertThat(c.has("Secure")).isFalse();
        assertThat(c.has("HttpOnly")).isTrue();
        assertThat(c.attr("SameSite")).isEqualTo("Lax");
        assertThat(c.attr("Path")).isEqualTo("/");
        assertThat(Browser.setCookies(r)).noneMatch(x -> x.name().startsWith("__Host-"));
        assertThat(b.get("/built/whoami").body()).isEqualTo("dev none");
        Map<String, Object> state = Json.map(b.get("/built/session/state").body());
        assertThat(state).containsEntry("userId", "dev");
        // no directory on the filter: the platforms endpoint lists the manager's (an empty one here)
        HttpResponse<String> platforms = b.get("/built/session/platforms");
        assertThat(platforms.statusCode()).isEqualTo(200);
        assertThat(Json.map(platforms.body())).containsEntry("platforms", List.of());
    }

    @Test
    void webXmlStyleRegistrationReadsInitParameters() {
        Browser b = new Browser(base);
        HttpResponse<String> noSession = b.get("/xml/compose", "Accept", "text/html");
        assertThat(noSession.statusCode()).isEqualTo(302);
        assertThat(noSession.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/xml/login-page"));
        String token = b.get("/xml/login-form").body();
        assertThat(b.post("/xml/login", "application/x-www-form-urlencoded", "user=carol&_csrf=" + Browser.enc(token))
                .statusCode()).isEqualTo(200);
        assertThat(b.cookies).containsKey("psid");
        // endpoint prefix from init-param
        assertThat(Json.map(b.get("/xml/auth/state").body())).containsEntry("userId", "carol");
        assertThat(b.get("/xml/session/state").statusCode()).isEqualTo(404);
        // a platform directory in the (deprecated) servlet-context attribute is still used instead of the manager's
        assertThat(b.get("/xml/auth/platforms").body()).contains("carol@example.social");
        // platform-required from init-param: carol has no platform
        assertThat(b.get("/xml/compose", "Accept", "application/json").statusCode()).isEqualTo(409);
        // CSRF exemption from init-param
        assertThat(b.post("/xml/webhooks/hook", "application/json", "{}").body()).isEqualTo("hook ok");
        assertThat(b.post("/xml/echo", "application/json", "{}").statusCode()).isEqualTo(403);
    }

    @Test
    void initWithoutManagerFailsClearly() {
        FilterConfig config = mock(FilterConfig.class);
        ServletContext context = mock(ServletContext.class);
        when(config.getServletContext()).thenReturn(context);
        assertThatThrownBy(() -> new PlatformSessionFilter().init(config)).isInstanceOf(ServletException.class)
                .hasMessageContaining(PlatformSessionFilter.MANAGER_ATTRIBUTE);
    }

    @Test
    void initWithBadParameterFailsClearly() {
        FilterConfig config = mock(FilterConfig.class);
        ServletContext context = mock(ServletContext.class);
        when(config.getServletContext()).thenReturn(context);
        when(context.getAttribute(PlatformSessionFilter.MANAGER_ATTRIBUTE)).thenReturn(manager);
        when(config.getInitParameter("secureCookie")).thenReturn("maybe");
        assertThatThrownBy(() -> new PlatformSessionFilter().init(config)).isInstanceOf(ServletException.class)
                .hasMessageContaining("secureCookie");
        when(config.getInitParameter("secureCookie")).thenReturn(null);
        when(config.getInitParameter("platformRequiredPaths")).thenReturn("compose");
        assertThatThrownBy(() -> new PlatformSessionFilter().init(config)).isInstanceOf(ServletException.class)
                .hasMessageContaining("must start with '/'");
        when(config.getInitParameter("platformRequiredPaths")).thenReturn(null);
        when(config.getInitParameter("trustedProxies")).thenReturn("10.0.0.0/8, proxy.local");
        assertThatThrownBy(() -> new PlatformSessionFilter().init(config)).isInstanceOf(ServletException.class)
                .hasMessageContaining("trustedProxies").hasMessageContaining("proxy.local");
        when(config.getInitParameter("trustedProxies")).thenReturn(null);
        when(config.getInitParameter("platformDirectoryAttribute")).thenReturn("my.platforms");
        assertThatThrownBy(() -> new PlatformSessionFilter().init(config)).isInstanceOf(ServletException.class)
                .hasMessageContaining("platformDirectoryAttribute").hasMessageContaining("my.platforms");
    }

    @Test
    void builderValidatesItsArguments() {
        PlatformSessionFilter.Builder b = PlatformSessionFilter.builder(manager);
        assertThatThrownBy(() -> b.endpointPrefix("session")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.endpointPrefix("/session/")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.retryAfterSeconds(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.loginPage("/x\r\nSet-Cookie: a=b")).isInstanceOf(IllegalArgumentException.class);
        // rejected by the setter itself, before build()
        assertThatThrownBy(() -> PlatformSessionFilter.builder(manager).allowedOrigins("evil"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PlatformSessionFilter.builder(manager).csrfExemptPaths("/a*b"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PlatformSessionFilter.builder(manager).platformRequiredPaths("compose"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PlatformSessionFilter.builder(manager).allowedOrigins((String[]) null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> PlatformSessionFilter.builder(manager).trustedProxies("10.0.0.0/40"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PlatformSessionFilter.builder(manager).clientAddressHeader("X-Forwarded-For:"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PlatformSessionFilter.builder(manager).loginPaths("login"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PlatformSessionFilter.builder(manager).csrfExemptPathsWithSession("/a*"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PlatformSessionFilter.builder(null)).isInstanceOf(NullPointerException.class);
    }
}
