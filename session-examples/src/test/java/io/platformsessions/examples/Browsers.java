package io.platformsessions.examples;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts headless Debian Chromium through Debian's chromedriver, never anything downloaded: the
 * driver executable and the browser binary are given explicitly, so Selenium Manager is not asked
 * to find (or fetch) either. Each browser gets a fresh profile directory, deleted on {@link #close()}.
 * When either binary is missing the calling tests are skipped loudly (a WARN line and a JUnit
 * assumption with the reason), never passed.
 */
final class Browsers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Browsers.class);
    static final Path CHROMIUM = Paths.get(System.getProperty("ps.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Paths.get(System.getProperty("ps.chromedriver", "/usr/bin/chromedriver"));

    /** Kept referenced so the level sticks: Selenium warns at every start that it has no CDP for this Chromium. */
    private static final java.util.logging.Logger SELENIUM_LOG = java.util.logging.Logger.getLogger("org.openqa.selenium");

    static {
        SELENIUM_LOG.setLevel(java.util.logging.Level.SEVERE);
    }

    private static volatile boolean warned;

    private final List<WebDriver> drivers = new ArrayList<>();
    private final List<Path> profiles = new ArrayList<>();

    /**
     * Whether both Debian Chromium and chromedriver are installed.
     *
     * @return {@code true} if the browser tests can run
     */
    static boolean available() {
        return missing().isEmpty();
    }

    /**
     * Skips the calling test when Chromium or chromedriver is missing: a JUnit assumption saying
     * what is missing and how to install it (so the test is reported as skipped, never as passed),
     * and a WARN line on the console the first time.
     */
    static void assumeAvailable() {
        List<String> missing = missing();
        if (!missing.isEmpty()) {
            String message = "SKIPPED browser test: " + String.join(" and ", missing) + " not found. Install Debian's "
                    + "browser with `apt-get install -y chromium chromium-driver` (.ci/run does this) to run it.";
            if (!warned) {
                warned = true;
                LOG.warn(message);
            }
            Assumptions.assumeTrue(false, message);
        }
    }

    private static List<String> missing() {
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(CHROMIUM)) {
            missing.add(CHROMIUM.toString());
        }
        if (!Files.isExecutable(CHROMEDRIVER)) {
            missing.add(CHROMEDRIVER.toString());
        }
        return missing;
    }

    /**
     * Starts a new headless browser with its own fresh profile (a separate "device").
     *
     * @return the driver; closed by {@link #close()}
     */
    WebDriver newBrowser() {
        Path profile;
        try {
            profile = Files.createTempDirectory("ps-chromium-profile-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a browser profile directory", e);
        }
        profiles.add(profile);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1280,900", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .withSilent(true)
                .build();
        WebDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
        drivers.add(driver);
        return driver;
    }

    /** Quits every browser started here and deletes their profiles. */
    @Override
    public void close() {
        for (WebDriver d : drivers) {
            try {
                d.quit();
            } catch (RuntimeException e) {
                LOG.warn("quitting a browser failed: {}", e.toString());
            }
        }
        drivers.clear();
        for (Path p : profiles) {
            deleteTree(p);
        }
        profiles.clear();
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("cannot delete browser profile {}: {}", root, e.toString());
        }
    }

    /** The platform picker's option whose text contains {@code name}, on the page open in {@code d}. */
    static WebElement option(WebDriver d, String name) {
        return d.findElements(By.cssSelector(".platform-option")).stream()
                .filter(o -> o.getText().contains(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no platform option " + name));
    }

    /** The demo's session cookie ({@code psid}, or with a {@code __Host-}/{@code __Secure-} prefix) in {@code d}. */
    static Cookie sessionCookie(WebDriver d) {
        return d.manage().getCookies().stream()
                .filter(c -> c.getName().equals("psid") || c.getName().endsWith("-psid"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no session cookie in " + d.manage().getCookies()));
    }
}
