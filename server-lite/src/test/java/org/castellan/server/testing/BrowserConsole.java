package org.castellan.server.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.bouncycastle.util.encoders.Base32;
import org.castellan.server.config.ConsoleSettings;
import org.castellan.server.notify.DispatcherSettings;
import org.castellan.server.ratelimit.RateLimitSettings;
import org.castellan.server.users.Totp;
import org.castellan.testsupport.Chromium;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The browser tests' set-up, once: for a test class (registered as a static
 * {@code @RegisterExtension} field), a real server over HTTPS on its own data directory and test
 * clock, headless Chromium trusting only that server's certificate (by its SPKI pin), and before
 * each test a fresh visitor (no cookies, console messages drained) with the clock moved on so that
 * each sign-in's TOTP code is of a new step. Signs people in through the real pages, enrolling
 * their second factor the first time (the seed is read off the enrolment page and kept).
 */
public final class BrowserConsole implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
    public static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private final TestClock clock = TestClock.now();
    private final Map<String, byte[]> seeds = new ConcurrentHashMap<>();
    private RateLimitSettings limits = TestServer.GENEROUS;
    private ConsoleSettings console = ConsoleSettings.defaults();
    private Duration eachTest = Duration.ofSeconds(31);
    private Duration patience = Duration.ofSeconds(10);
    private Duration polling = Duration.ofMillis(500);
    private Path dataDir;
    private TestServer server;
    private AdminApi admin;
    private Chromium chromium;

    private BrowserConsole() {}

    /** Generous limits, the default console settings, 31 s between tests, waits of up to 10 s polling every 0.5 s. */
    public static BrowserConsole create() {
        return new BrowserConsole();
    }

    public BrowserConsole withLimits(RateLimitSettings limits) {
        this.limits = limits;
        return this;
    }

    public BrowserConsole withConsole(ConsoleSettings console) {
        this.console = console;
        return this;
    }

    /** How far the clock moves before each test (TOTP steps, rate-limit windows). */
    public BrowserConsole advancingEachTest(Duration by) {
        this.eachTest = by;
        return this;
    }

    /** How long {@link #waiting()} waits for a page. */
    public BrowserConsole waitingUpTo(Duration patience) {
        this.patience = patience;
        return this;
    }

    /** How often {@link #waiting()} looks again (Selenium's default is every half second). */
    public BrowserConsole pollingEvery(Duration polling) {
        this.polling = polling;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Chromium.require();
        dataDir = Files.createTempDirectory("castellan-browser-");
        server = TestServer.start(dataDir, limits, clock, DispatcherSettings.defaults(), console);
        admin = new AdminApi(server);
        chromium = Chromium.start(server.spkiPin());
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (chromium != null) {
            chromium.close();
            chromium = null;
        }
        if (server != null) {
            server.close();
            server = null;
        }
        if (dataDir != null) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
            dataDir = null;
        }
        seeds.clear();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        browser().get(server.url("/sign-in"));
        chromium.clearCookies();
        chromium.consoleMessages();
        clock.advance(eachTest);
    }

    public TestClock clock() {
        return clock;
    }

    public TestServer server() {
        return server;
    }

    public AdminApi admin() {
        return admin;
    }

    public Chromium chromium() {
        return chromium;
    }

    public WebDriver browser() {
        return chromium.driver();
    }

    public void open(String path) {
        browser().get(server.url(path));
    }

    public WebElement find(String css) {
        return browser().findElement(By.cssSelector(css));
    }

    public List<WebElement> all(String css) {
        return browser().findElements(By.cssSelector(css));
    }

    public WebDriverWait waiting() {
        return new WebDriverWait(browser(), patience, polling);
    }

    public void titled(String prefix) {
        waiting().until(d -> d.getTitle().startsWith(prefix));
    }

    /** The sign-in page's first step: name and password, then the second-factor page. */
    public void passwordStep(String name, String password) {
        open("/sign-in");
        find("#name").sendKeys(name);
        find("#password").sendKeys(password);
        find("#sign-in-form button").click();
        titled("Second factor");
    }

    /**
     * Both steps, landing on the search page; the first time for {@code name} enrols TOTP from the
     * secret on the page. Returns the seed in use.
     */
    public byte[] signIn(String name, String password) {
        passwordStep(name, password);
        byte[] seed = seeds.computeIfAbsent(name, n -> seedShown());
        find("#code").sendKeys(Totp.code(seed, Totp.step(clock.instant()), 6));
        find("#second-factor-form button").click();
        titled("Find a machine");
        return seed;
    }

    /** The TOTP seed the enrolment page shows. */
    public byte[] seedShown() {
        String b32 = find("#totp-secret").getText();
        return Base32.decode(b32 + "=".repeat((8 - b32.length() % 8) % 8));
    }
}
