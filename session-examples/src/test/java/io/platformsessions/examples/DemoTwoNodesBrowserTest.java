package io.platformsessions.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.platformsessions.jdbc.JdbcChangeBus;
import io.platformsessions.jdbc.JdbcSessionStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two demo nodes on one shared database, in one headless Chromium: each node is a {@link DemoServer} of its own
 * (its own pool, store, change bus and engine) on the database of {@code PS_TEST_POSTGRES_URL} (NOTIFY bus) or
 * {@code PS_TEST_MARIADB_URL} (polling bus), with a random table prefix whose tables are dropped afterwards. The
 * browser logs in on node A, opens node B's dashboard with the same cookie (same host, other port: cookies are per
 * host), switches platform on A and sees it on B, logs out on A and sees B refuse a copy of the old cookie (sent
 * over HTTP: the browser itself dropped the cookie at A's logout) within {@link #REFUSAL_BOUND}. Skipped, loudly, without the database or without a browser.
 */
class DemoTwoNodesBrowserTest {
    private static final Logger LOG = LoggerFactory.getLogger(DemoTwoNodesBrowserTest.class);
    /**
     * How soon node B must show a change made on node A (docs/demo.md). Below the engine's 2 s staleness bound
     * without a bus, so only the bus can make it pass (the test also checks that B's bus received the change).
     */
    static final Duration REFUSAL_BOUND = Duration.ofSeconds(1);

    private final List<DemoServer> nodes = new ArrayList<>();
    private Browsers browsers;
    private String jdbcUrl;
    private String prefix;

    @AfterEach
    void stopNodesAndDropTables() throws Exception {
        if (browsers != null) {
            browsers.close();
        }
        for (DemoServer node : nodes) {
            node.close();
        }
        if (prefix != null) {
            dropTables(jdbcUrl, prefix);
        }
    }

    @Test
    void logoutAndSwitchOnNodeAAreSeenOnNodeBOverPostgresNotify() throws Exception {
        twoNodes("PS_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres",
                DemoSettings.ChangeBus.POSTGRES);
    }

    @Test
    void logoutAndSwitchOnNodeAAreSeenOnNodeBOverMariaDbPolling() throws Exception {
        twoNodes("PS_TEST_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test?user=root", DemoSettings.ChangeBus.POLLING);
    }

    private void twoNodes(String env, String example, DemoSettings.ChangeBus expectedBus) throws Exception {
        String url = System.getenv(env);
        if (url == null || url.isBlank()) {
            String message = "SKIPPED: the two-node demo test needs a database; set " + env + " (for example "
                    + example + ")";
            LOG.warn(message);
            System.err.println("WARNING: " + message);
            Assumptions.abort(message);
        }
        Browsers.assumeAvailable();
        jdbcUrl = url;
        byte[] b = new byte[4];
        new SecureRandom().nextBytes(b);
        prefix = "ps_demo2_" + HexFormat.of().formatHex(b) + "_";
        DemoSettings settings = DemoSettings.defaults()
                .withPort(0)
                .withJdbcUrl(url)
                .withTablePrefix(prefix)
                .withPasswordIterations(PasswordHasher.MIN_ITERATIONS);
        assertThat(settings.effectiveChangeBus()).isEqualTo(expectedBus);
        DemoServer nodeA = start(settings);
        DemoServer nodeB = start(settings); // after A: A created the tables and the demo data, B finds them
        String atA = nodeA.url();
        String atB = nodeB.url();
        JdbcChangeBus busA = bus(nodeA);
        JdbcChangeBus busB = bus(nodeB);
        // until a bus is live its node reads every session from the database, which would pass without a bus
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!(busA.isLive() && busB.isLive()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(busA.isLive() && busB.isLive()).as("both buses live").isTrue();
        assertThat(nodeA.platforms().findByUser("alice")).as("the demo data is seeded once").hasSize(3);

        browsers = new Browsers();
        WebDriver d = browsers.newBrowser();
        login(d, atA, "alice", "alice-demo-password");
        Cookie cookie = Browsers.sessionCookie(d);
        // the demo's development cookie: no Secure, no __Host- prefix, host-only (so both ports share it)
        assertThat(cookie.getName()).isEqualTo("psid");
        assertThat(cookie.isSecure()).isFalse();
        assertThat(cookie.getDomain()).isEqualTo("localhost");
        String windowA = d.getWindowHandle();

        // node B, same browser, same cookie: the session is found (and now cached on B)
        d.switchTo().newWindow(WindowType.WINDOW);
        String windowB = d.getWindowHandle();
        d.get(atB);
        waitUntil(d, Duration.ofSeconds(5), x -> "alice".equals(text(x, "current-user"))
                && "alice@mastodon.social".equals(text(x, "platform-name")));
        assertThat(d.getCurrentUrl()).isEqualTo(atB);

        // switch platform on A; B shows it at its next page load
        d.switchTo().window(windowA);
        long received = busB.changesReceived();
        Browsers.option(d, "alice@pixelfed.social").click();
        waitUntil(d, Duration.ofSeconds(5), x -> "alice@pixelfed.social".equals(text(x, "platform-name")));
        long switched = System.nanoTime();
        d.switchTo().window(windowB);
        Seen switchSeen = reloadUntil(d, atB, x -> "alice@pixelfed.social".equals(text(x, "platform-name")),
                switched);
        assertThat(d.findElement(By.id("platform-type")).getAttribute("data-type")).isEqualTo("pixelfed");
        assertThat(busB.changesReceived()).as("B heard the switch on its bus").isGreaterThan(received);

        // log out on A; B refuses the cookie
        d.switchTo().window(windowA);
        received = busB.changesReceived();
        d.findElement(By.id("logout")).click();
        waitUntil(d, Duration.ofSeconds(5), x -> x.getCurrentUrl().startsWith(atA + "login"));
        long loggedOut = System.nanoTime(); // A has confirmed the logout (its page went to the login page)
        d.switchTo().window(windowB);
        // The browser shows B's login page at once: A's logout expired the cookie, and both ports share it.
        Seen loginPage = reloadUntil(d, atB, x -> x.getCurrentUrl().startsWith(atB + "login"), loggedOut);
        // What the bus is for: a copy of the old cookie (another tab's request in flight, a stolen cookie) sent to B,
        // which holds the session in its cache, is refused once B's bus has delivered the logout.
        int status = stateStatus(atB, cookie);
        while (status != 401 && System.nanoTime() - loggedOut < REFUSAL_BOUND.toNanos()) {
            Thread.sleep(10);
            status = stateStatus(atB, cookie);
        }
        long refusedAfter = Duration.ofNanos(System.nanoTime() - loggedOut).toMillis();
        assertThat(status).as("node B refuses the old cookie within %s of A's logout", REFUSAL_BOUND).isEqualTo(401);
        assertThat(busB.changesReceived()).as("B heard the logout on its bus").isGreaterThan(received);
        String line = String.format(Locale.ROOT, "two demo nodes (%s): platform switch on A seen on B %d ms after A "
                + "showed it (%d page loads on B); B refused the old cookie %d ms after A confirmed the logout "
                + "(bound %d ms; B's page showed the login page after %d ms, the browser having dropped the cookie)",
                expectedBus, switchSeen.after().toMillis(), switchSeen.loads(), refusedAfter,
                REFUSAL_BOUND.toMillis(), loginPage.after().toMillis());
        LOG.info(line);
        System.out.println(line);
    }

    private DemoServer start(DemoSettings settings) throws Exception {
        DemoServer s = DemoServer.start(settings);
        nodes.add(s);
        return s;
    }

    private static JdbcChangeBus bus(DemoServer node) {
        return (JdbcChangeBus) ((JdbcSessionStore) node.store()).changeBus()
                .orElseThrow(() -> new AssertionError("no change bus on " + node.url()));
    }

    /**
     * Loads {@code at} in the current window until the condition holds or {@link #REFUSAL_BOUND} has passed since
     * {@code since}, then asserts it holds.
     *
     * @return the time from {@code since} to the page load that satisfied the condition, and how many loads it took
     */
    private static Seen reloadUntil(WebDriver d, String at, ExpectedCondition<Boolean> condition, long since) {
        for (int loads = 1; ; loads++) {
            d.get(at);
            long now = System.nanoTime();
            if (Boolean.TRUE.equals(condition.apply(d))) {
                return new Seen(Duration.ofNanos(now - since), loads);
            }
            if (now - since > REFUSAL_BOUND.toNanos()) {
                throw new AssertionError("node B did not show the change made on node A within " + REFUSAL_BOUND
                        + "; page " + d.getCurrentUrl());
            }
        }
    }

    /** When node B showed a change: time since the action on A, and the page loads on B it took. */
    private record Seen(Duration after, int loads) {
    }

    private static void login(WebDriver d, String at, String username, String password) {
        d.get(at + "login");
        d.findElement(By.id("username")).sendKeys(username);
        d.findElement(By.id("password")).sendKeys(password);
        d.findElement(By.id("login-submit")).click();
        waitUntil(d, Duration.ofSeconds(10), x -> x.getCurrentUrl().equals(at)
                && !x.findElements(By.id("current-user")).isEmpty());
        waitUntil(d, Duration.ofSeconds(5), x -> !x.findElements(By.cssSelector(".platform-option")).isEmpty());
    }

    private static int stateStatus(String at, Cookie cookie) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(at + "session/state"))
                .header("Cookie", cookie.getName() + "=" + cookie.getValue())
                .header("Accept", "application/json")
                .timeout(Duration.ofSeconds(5))
                .GET().build();
        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String text(WebDriver d, String id) {
        List<WebElement> found = d.findElements(By.id(id));
        return found.isEmpty() ? "" : found.get(0).getText();
    }

    private static void waitUntil(WebDriver d, Duration timeout, ExpectedCondition<Boolean> condition) {
        new WebDriverWait(d, timeout, Duration.ofMillis(50)).until(condition);
    }

    /** Drops every table whose name starts with the test's random prefix. */
    private static void dropTables(String url, String prefix) throws Exception {
        List<String> tables = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url)) {
            try (ResultSet rs = c.getMetaData().getTables(c.getCatalog(), null, "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    String name = rs.getString("TABLE_NAME");
                    if (name.toLowerCase(Locale.ROOT).startsWith(prefix)) {
                        tables.add(name);
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                if (url.startsWith("jdbc:mariadb:")) {
                    s.execute("SET FOREIGN_KEY_CHECKS = 0"); // this connection only
                }
                for (String t : tables) {
                    s.execute("DROP TABLE IF EXISTS " + t + (url.startsWith("jdbc:postgresql:") ? " CASCADE" : ""));
                }
            }
        }
        LOG.info("dropped {} tables with prefix {}", tables.size(), prefix);
    }
}
