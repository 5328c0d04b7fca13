package io.platformsessions.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.platformsessions.InvalidationReason;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo in a real browser (headless Debian Chromium): login, cross-tab platform sync, composer
 * limits, cross-tab logout with a dead cookie afterwards, "log out other devices" across two
 * browser profiles, an idle visible tab reaching the idle timeout, a failed logout that says so,
 * and a screenshot of the dashboard. One demo server (fresh in-memory H2) per class, plus one of
 * their own for the tests that move the clock or break the database; a fresh browser per test.
 * Skipped loudly when no browser is installed.
 */
class DemoBrowserTest {
    private static final Duration SYNC_LIMIT = Duration.ofSeconds(2);
    private static final Duration OTHER_DEVICE_LIMIT = Duration.ofSeconds(5);
    /** How long an idle tab is watched: longer than any poll interval a page would plausibly use (2.5 s before). */
    private static final Duration IDLE_WATCH = Duration.ofSeconds(4);

    private static DemoServer server;
    private static String base;
    private Browsers browsers;

    @BeforeAll
    static void startDemo() throws Exception {
        if (!Browsers.available()) {
            return; // every test is reported SKIPPED by newBrowsers()
        }
        server = DemoServer.start(DemoSettings.defaults()
                .withPort(0)
                .withJdbcUrl("jdbc:h2:mem:demo-browser-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
                .withPasswordIterations(PasswordHasher.MIN_ITERATIONS));
        base = server.url();
    }

    @AfterAll
    static void stopDemo() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void newBrowsers() {
        Browsers.assumeAvailable();
        browsers = new Browsers();
    }

    @AfterEach
    void closeBrowsers() {
        if (browsers != null) {
            browsers.close();
        }
    }

    @Test
    void loginShowsTheDashboardWithTheDefaultPlatform() {
        WebDriver d = browsers.newBrowser();
        d.get(base);
        waitUntil(d, Duration.ofSeconds(5), x -> x.getCurrentUrl().startsWith(base + "login"));
        login(d, "alice", "alice-demo-password");

        assertThat(text(d, "current-user")).isEqualTo("alice");
        assertThat(text(d, "platform-name")).isEqualTo("alice@mastodon.social");
        assertThat(d.findElement(By.id("platform-type")).getAttribute("data-type")).isEqualTo("mastodon");
        List<WebElement> options = d.findElements(By.cssSelector(".platform-option"));
        assertThat(options).hasSize(3);
        assertThat(options).filteredOn(o -> "true".equals(o.getAttribute("aria-pressed")))
                .singleElement().satisfies(o -> assertThat(o.getText()).contains("alice@mastodon.social"));
        assertThat(options).filteredOn(o -> !o.isEnabled()).hasSize(1);
        assertThat(d.findElement(By.id("composer")).getAttribute("maxlength")).isEqualTo("500");
        assertThat(d.findElements(By.cssSelector("#devices tr.current"))).hasSize(1);
        assertThat(d.findElement(By.id("logout")).isDisplayed()).isTrue();
        assertThat(d.findElement(By.id("logout-others")).isDisplayed()).isTrue();
    }

    @Test
    void platformSwitchInOneTabShowsInTheOtherWithinTwoSecondsWithoutReload() {
        WebDriver d = browsers.newBrowser();
        login(d, "alice", "alice-demo-password");
        String tab1 = d.getWindowHandle();
        d.switchTo().newWindow(WindowType.WINDOW);
        String tab2 = d.getWindowHandle();
        d.get(base);
        waitUntil(d, Duration.ofSeconds(5), x -> "alice@mastodon.social".equals(text(x, "platform-name")));
        js(d, "window.__noReloadMarker = 'tab2-original-document';");
        // the page has no poll, so only sync.js (BroadcastChannel) can bring the update

        d.switchTo().window(tab1);
        long clicked = System.nanoTime();
        Browsers.option(d, "alice@pixelfed.social").click();
        waitUntil(d, Duration.ofSeconds(5), x -> "alice@pixelfed.social".equals(text(x, "platform-name")));

        d.switchTo().window(tab2);
        Duration left = SYNC_LIMIT.minusNanos(System.nanoTime() - clicked);
        waitUntil(d, left.isNegative() ? Duration.ofMillis(1) : left,
                x -> "alice@pixelfed.social".equals(text(x, "platform-name")));
        assertThat(d.findElement(By.id("platform-type")).getAttribute("data-type")).isEqualTo("pixelfed");
        assertThat(js(d, "return window.__noReloadMarker;")).isEqualTo("tab2-original-document");
    }

    @Test
    void composerLimitFollowsThePlatformType() {
        WebDriver d = browsers.newBrowser();
        login(d, "alice", "alice-demo-password");
        WebElement composer = d.findElement(By.id("composer"));
        assertThat(composer.getAttribute("maxlength")).isEqualTo("500");
        assertThat(text(d, "char-limit")).isEqualTo("500");

        Browsers.option(d, "alice@pixelfed.social").click();
        waitUntil(d, Duration.ofSeconds(5), x -> "2200".equals(text(x, "char-limit")));
        assertThat(composer.getAttribute("maxlength")).isEqualTo("2200");

        String longPost = "p".repeat(600);
        js(d, "const c = document.getElementById('composer'); c.value = arguments[0];"
                + " c.dispatchEvent(new Event('input'));", longPost);
        assertThat(text(d, "char-count")).isEqualTo("600");
        d.findElement(By.id("post-submit")).click();
        waitUntil(d, Duration.ofSeconds(5), x -> text(x, "composer-status").startsWith("Posted 600 characters"));
        assertThat(text(d, "composer-status")).contains("alice@pixelfed.social");

        Browsers.option(d, "alice@mastodon.social").click();
        waitUntil(d, Duration.ofSeconds(5), x -> "500".equals(text(x, "char-limit")));
        assertThat(composer.getAttribute("maxlength")).isEqualTo("500");
        composer.sendKeys("m".repeat(510));
        assertThat(composer.getAttribute("value")).hasSize(500);
        assertThat(text(d, "char-count")).isEqualTo("500");
    }

    @Test
    void logoutInOneTabSendsTheOtherToLoginAndTheOldCookieIsDead() throws Exception {
        WebDriver d = browsers.newBrowser();
        login(d, "alice", "alice-demo-password");
        Cookie cookie = Browsers.sessionCookie(d);
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(stateStatus(cookie)).as("the cookie works before logout").isEqualTo(200);

        String tab1 = d.getWindowHandle();
        d.switchTo().newWindow(WindowType.WINDOW);
        String tab2 = d.getWindowHandle();
        d.get(base);
        waitUntil(d, Duration.ofSeconds(5), x -> "alice".equals(text(x, "current-user")));

        d.switchTo().window(tab1);
        long clicked = System.nanoTime();
        d.findElement(By.id("logout")).click();
        waitUntil(d, Duration.ofSeconds(5), x -> x.getCurrentUrl().startsWith(base + "login"));

        d.switchTo().window(tab2);
        Duration left = SYNC_LIMIT.minusNanos(System.nanoTime() - clicked);
        waitUntil(d, left.isNegative() ? Duration.ofMillis(1) : left,
                x -> x.getCurrentUrl().startsWith(base + "login"));

        assertThat(stateStatus(cookie)).as("replaying the old cookie after logout").isEqualTo(401);
        d.get(base);
        waitUntil(d, Duration.ofSeconds(5), x -> x.getCurrentUrl().startsWith(base + "login"));
    }

    @Test
    void logOutOtherDevicesEndsTheSessionInAnotherBrowserWhichNoticesWhenItsTabIsShownAgain() {
        WebDriver first = browsers.newBrowser();
        WebDriver second = browsers.newBrowser();
        login(first, "alice", "alice-demo-password");
        login(second, "alice", "alice-demo-password");
        Cookie secondCookie = Browsers.sessionCookie(second);
        String secondDashboard = second.getWindowHandle();

        first.navigate().refresh();
        waitUntil(first, Duration.ofSeconds(5), x -> x.findElements(By.cssSelector("#devices tr")).size() >= 2);

        // the second device's user switches to another tab...
        second.switchTo().newWindow(WindowType.TAB);
        second.get("about:blank");

        first.findElement(By.id("logout-others")).click();
        waitUntil(first, Duration.ofSeconds(5), x -> text(x, "devices-status").startsWith("Logged out"));
        assertThat(stateStatus(secondCookie)).isEqualTo(401);
        assertThat(first.getCurrentUrl()).isEqualTo(base);
        waitUntil(first, Duration.ofSeconds(5), x -> x.findElements(By.cssSelector("#devices tr")).size() == 1);

        // ...and comes back: the tab becomes visible, sync.js re-checks and goes to the login page
        second.close();
        second.switchTo().window(secondDashboard);
        waitUntil(second, OTHER_DEVICE_LIMIT, x -> x.getCurrentUrl().startsWith(base + "login"));
    }

    /**
     * Issue 12 item 10: what the page reads in the background (sync.js's state check, app.js's device
     * and platform lists) when the user comes back to the tab is not activity: it does not restart the
     * idle timeout.
     */
    @Test
    void readsOnReturningToTheTabDoNotRestartTheIdleTimeout() throws Exception {
        TestClock clock = new TestClock();
        try (DemoServer idle = startServer(DemoSettings.defaults().withClock(clock))) {
            String idleBase = idle.url();
            WebDriver d = browsers.newBrowser();
            login(d, idleBase, "alice", "alice-demo-password");
            waitUntil(d, Duration.ofSeconds(5), x -> Boolean.TRUE.equals(
                    js(x, "return !!(window.PlatformSessions && window.PlatformSessions.current());")));
            Cookie cookie = Browsers.sessionCookie(d);
            js(d, "window.__urls = []; window.__pending = 0; const f = window.fetch;"
                    + " window.fetch = function (u, i) { window.__urls.push(String(u)); window.__pending++;"
                    + " return f.call(window, u, i).finally(function () { window.__pending--; }); };");

            clock.advance(DemoServer.IDLE_TIMEOUT.minusMinutes(5));
            js(d, "document.dispatchEvent(new Event('visibilitychange'));");
            waitUntil(d, Duration.ofSeconds(5), x -> ((Number) js(x, "return window.__urls.length;")).intValue() >= 3
                    && ((Number) js(x, "return window.__pending;")).intValue() == 0);
            @SuppressWarnings("unchecked")
            List<String> urls = (List<String>) js(d, "return window.__urls;");
            assertThat(urls).hasSize(3).allSatisfy(u -> assertThat(u).endsWith("?activity=false"))
                    .anySatisfy(u -> assertThat(u).contains("/session/state"))
                    .anySatisfy(u -> assertThat(u).contains("/session/devices"))
                    .anySatisfy(u -> assertThat(u).contains("/session/platforms"));
            assertThat(d.getCurrentUrl()).isEqualTo(idleBase);

            // nothing the user did since the login: the session ends on time (it would live on to
            // 25 + 30 minutes had those reads counted)
            clock.advance(Duration.ofMinutes(5).plusSeconds(1));
            assertThat(stateStatus(idleBase + "session/state?activity=false", cookie))
                    .as("the idle timeout ended the session").isEqualTo(401);
        }
    }

    @Test
    void anIdleVisibleTabLetsTheSessionReachItsIdleTimeout() throws Exception {
        TestClock clock = new TestClock();
        try (DemoServer idle = startServer(DemoSettings.defaults().withClock(clock))) {
            String idleBase = idle.url();
            WebDriver d = browsers.newBrowser();
            login(d, idleBase, "alice", "alice-demo-password");
            // sync.js has learned the session: the page is fully running
            waitUntil(d, Duration.ofSeconds(5), x -> Boolean.TRUE.equals(
                    js(x, "return !!(window.PlatformSessions && window.PlatformSessions.current());")));
            Cookie cookie = Browsers.sessionCookie(d);

            // most of the idle timeout passes while the tab stays open and visible; a page that
            // polled the server during the next seconds would count as activity and restart it
            clock.advance(DemoServer.IDLE_TIMEOUT.minusMinutes(10));
            Thread.sleep(IDLE_WATCH.toMillis());
            assertThat(js(d, "return document.visibilityState;")).isEqualTo("visible");
            assertThat(d.getCurrentUrl()).isEqualTo(idleBase);

            clock.advance(Duration.ofMinutes(10).plusSeconds(1));
            assertThat(stateStatus(idleBase, cookie)).as("the idle timeout ended the session").isEqualTo(401);
            d.navigate().refresh();
            waitUntil(d, Duration.ofSeconds(5), x -> x.getCurrentUrl().startsWith(idleBase + "login"));
        }
    }

    @Test
    void aFailedLogoutSaysSoAndLeavesThePageInsteadOfPretending() throws Exception {
        try (DemoServer failing = startServer(DemoSettings.defaults())) {
            String failingBase = failing.url();
            WebDriver d = browsers.newBrowser();
            login(d, failingBase, "alice", "alice-demo-password");
            Cookie cookie = Browsers.sessionCookie(d);

            renameSessionsTable(failing, "ps_sessions", "ps_sessions_away"); // the store now fails: 503
            d.findElement(By.id("logout")).click();
            waitUntil(d, Duration.ofSeconds(10), x -> text(x, "logout-status").startsWith("Logout failed"));
            assertThat(text(d, "logout-status")).contains("HTTP 503").contains("still signed in");
            assertThat(d.getCurrentUrl()).isEqualTo(failingBase);
            assertThat(d.findElement(By.id("logout")).isEnabled()).isTrue();

            renameSessionsTable(failing, "ps_sessions_away", "ps_sessions");
            assertThat(stateStatus(failingBase, cookie)).as("the page told the truth: still signed in").isEqualTo(200);
            d.findElement(By.id("logout")).click();
            waitUntil(d, Duration.ofSeconds(5), x -> x.getCurrentUrl().startsWith(failingBase + "login"));
            assertThat(stateStatus(failingBase, cookie)).isEqualTo(401);
        }
    }

    @Test
    void dashboardScreenshotIsSavedUnderTarget() throws Exception {
        // a tidy picture: alice signed in on this browser and one other device, nothing left from other tests
        server.manager().invalidateAll("alice", InvalidationReason.LOGOUT_ALL);
        login(browsers.newBrowser(), "alice", "alice-demo-password");
        WebDriver d = browsers.newBrowser();
        d.manage().window().setSize(new Dimension(1280, 1000));
        login(d, "alice", "alice-demo-password");
        waitUntil(d, Duration.ofSeconds(5), x -> x.findElements(By.cssSelector("#devices tr")).size() == 2);
        js(d, "const c = document.getElementById('composer'); c.value = arguments[0];"
                + " c.dispatchEvent(new Event('input'));", "Hello from the Platform Sessions demo!");
        byte[] png = ((TakesScreenshot) d).getScreenshotAs(OutputType.BYTES);
        Path out = Paths.get("target", "demo-dashboard.png");
        Files.createDirectories(out.getParent());
        Files.write(out, png);

        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image).isNotNull();
        assertThat(image.getWidth()).isGreaterThanOrEqualTo(1000);
        assertThat(image.getHeight()).isGreaterThanOrEqualTo(700);
        assertThat(Files.size(out)).isGreaterThan(10_000);

        d.findElement(By.id("logout")).click();
        waitUntil(d, Duration.ofSeconds(5), x -> x.getCurrentUrl().startsWith(base + "login"));
        Files.write(Paths.get("target", "demo-login.png"), ((TakesScreenshot) d).getScreenshotAs(OutputType.BYTES));
    }

    // ---- helpers ----

    private static void login(WebDriver d, String username, String password) {
        login(d, base, username, password);
    }

    private static void login(WebDriver d, String at, String username, String password) {
        d.get(at + "login");
        d.findElement(By.id("username")).sendKeys(username);
        d.findElement(By.id("password")).sendKeys(password);
        d.findElement(By.id("login-submit")).click();
        waitUntil(d, Duration.ofSeconds(10), x -> x.getCurrentUrl().equals(at)
                && !x.findElements(By.id("current-user")).isEmpty());
        // app.js draws the switcher from GET /session/platforms
        waitUntil(d, Duration.ofSeconds(5), x -> !x.findElements(By.cssSelector(".platform-option")).isEmpty());
    }

    /** A demo server of its own, for a test that moves its clock or breaks its database. */
    private static DemoServer startServer(DemoSettings settings) throws Exception {
        return DemoServer.start(settings.withPort(0)
                .withJdbcUrl("jdbc:h2:mem:demo-browser-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
                .withPasswordIterations(PasswordHasher.MIN_ITERATIONS));
    }

    private static void renameSessionsTable(DemoServer s, String from, String to) throws Exception {
        try (java.sql.Connection c = s.dataSource().getConnection();
             java.sql.Statement st = c.createStatement()) {
            st.execute("ALTER TABLE " + from + " RENAME TO " + to);
        }
    }

    private static int stateStatus(Cookie cookie) {
        return stateStatus(base, cookie);
    }

    /** The status of {@code GET <at>session/state}, or of {@code at} itself when it names the state endpoint. */
    private static int stateStatus(String at, Cookie cookie) {
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create(at.contains("session/state") ? at
                            : at + "session/state"))
                    .header("Cookie", cookie.getName() + "=" + cookie.getValue())
                    .header("Accept", "application/json")
                    .timeout(Duration.ofSeconds(5))
                    .GET().build();
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String text(WebDriver d, String id) {
        List<WebElement> found = d.findElements(By.id(id));
        return found.isEmpty() ? "" : found.get(0).getText();
    }

    private static Object js(WebDriver d, String script, Object... args) {
        return ((JavascriptExecutor) d).executeScript(script, args);
    }

    private static void waitUntil(WebDriver d, Duration timeout, ExpectedCondition<Boolean> condition) {
        new WebDriverWait(d, timeout, Duration.ofMillis(50)).until(condition);
    }
}
