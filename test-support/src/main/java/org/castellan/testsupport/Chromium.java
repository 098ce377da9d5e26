package org.castellan.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Chromium for browser tests: Debian's {@code chromium} driven through Debian's
 * {@code /usr/bin/chromedriver} by Selenium (never Selenium Manager, which would download a
 * driver). A fresh profile directory per instance, no background networking, no component
 * updates. Start one per test class ({@code @BeforeAll}); it is slow to start, quick to reuse.
 * Missing packages skip the test with how to install them (a failure under {@code CI=true}).
 *
 * <p>The browser's console (CSP violations, script errors) is collected: {@link #consoleErrors}.
 */
public final class Chromium implements AutoCloseable {
    public static final String BROWSER = "/usr/bin/chromium";
    public static final String DRIVER = "/usr/bin/chromedriver";
    private final ChromeDriver driver;
    private final Path profile;

    private Chromium(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Skips (or fails under CI) unless Debian's chromium and chromium-driver are installed. */
    public static void require() {
        Prerequisite.require(Files.isExecutable(Path.of(BROWSER)) && Files.isExecutable(Path.of(DRIVER)),
                "headless Chromium (" + BROWSER + " and " + DRIVER + ")",
                "apt-get install -y chromium chromium-driver");
    }

    /**
     * A new browser at 1280x800. {@code spkiPins}: base64 SHA-256 hashes of server public keys whose
     * self-signed certificates are trusted (Chromium's own pinning switch); every other
     * certificate error still fails the page.
     */
    public static Chromium start(String... spkiPins) {
        require();
        try {
            Path profile = Files.createTempDirectory("castellan-chromium-");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(BROWSER);
            options.addArguments("--headless=new", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--no-first-run", "--no-default-browser-check",
                    "--disable-dev-shm-usage", "--window-size=1280,800", "--user-data-dir=" + profile);
            if (Prerequisite.isRoot()) {
                options.addArguments("--no-sandbox");
            }
            if (spkiPins.length > 0) {
                options.addArguments("--ignore-certificate-errors-spki-list=" + String.join(",", spkiPins));
            }
            LoggingPreferences logs = new LoggingPreferences();
            logs.enable(LogType.BROWSER, Level.ALL);
            options.setCapability("goog:loggingPrefs", logs);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File(DRIVER)).usingAnyFreePort().build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
            return new Chromium(driver, profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public WebDriver driver() {
        return driver;
    }

    /** Grants the page's origin clipboard access (headless Chromium asks nobody), so a copy button can be tested. */
    public void allowClipboard(String origin) {
        driver.executeCdpCommand("Browser.grantPermissions", java.util.Map.of("origin", origin,
                "permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
    }

    /** The console messages of level SEVERE since the last call (CSP violations are among them). */
    public List<String> consoleErrors() {
        List<String> out = new ArrayList<>();
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
                out.add(entry.getMessage());
            }
        }
        return out;
    }

    /** Every console message since the last call, whatever its level. */
    public List<String> consoleMessages() {
        List<String> out = new ArrayList<>();
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            out.add(entry.getLevel() + " " + entry.getMessage());
        }
        return out;
    }

    /** Saves a PNG of the viewport as {@code dir/name.png}. */
    public Path screenshot(Path dir, String name) {
        try {
            Files.createDirectories(dir);
            Path target = dir.resolve(name + ".png");
            Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(shot);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Forgets every cookie of the current site (a new visitor, same browser). */
    public void clearCookies() {
        driver.manage().deleteAllCookies();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a leftover temp profile is harmless
            }
        }
    }
}
