package org.castellan.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.castellan.protocol.Json;
import org.castellan.server.ratelimit.RateLimitSettings;
import org.castellan.server.ratelimit.RateWindow;
import org.castellan.server.recovery.RecoveryKeyClient;
import org.castellan.server.testing.AdminApi;
import org.castellan.server.testing.Browser;
import org.castellan.server.testing.BrowserConsole;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestClock;
import org.castellan.server.testing.TestServer;
import org.castellan.server.users.Totp;
import org.castellan.testsupport.Chromium;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The rest of the help desk's console in headless Chromium against the real server: password
 * history, "rotate now", a recovery key by the key id off the recovery screen, a reveal a rule
 * guards with a recent second factor (TOTP enrolment, then the step-up page), the page a 429
 * shows, the main pages checked with axe-core, and screenshots at 1280x800 and 390 px wide.
 * One server and one browser for the class; each test a user of its own (the reveal limit, four a
 * minute here, counts per user).
 */
@Browser("help-desk pages, accessibility and screenshots in Chromium")
class HelpDeskBrowserTest {
    static final Path SCREENSHOTS = BrowserConsole.SCREENSHOTS;
    static final int REVEALS_PER_MINUTE = 4;
    /** Each sign-in's code is of a fresh step, and each test's reveals of a fresh minute. */
    @RegisterExtension
    static final BrowserConsole console = BrowserConsole.create()
            .withLimits(RateLimitSettings.defaults().withRevealWindows(List.of(RateWindow.perMinute(REVEALS_PER_MINUTE))))
            .advancingEachTest(Duration.ofSeconds(61)).waitingUpTo(Duration.ofSeconds(30));
    static final TestClock clock = console.clock();
    static TestServer server;
    static AdminApi admin;
    static Chromium chromium;
    static WebDriver browser;

    @BeforeAll
    static void bind() {
        server = console.server();
        admin = console.admin();
        chromium = console.chromium();
        browser = console.browser();
    }

    record Helper(String id, String name, String password) {}

    static Helper helper() throws Exception {
        String name = "hd-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "Help-desk-pass-" + name;
        return new Helper(admin.user(name, password), name, password);
    }

    static TestAgent device(String password) throws Exception {
        TestAgent agent = new TestAgent(server);
        agent.clock = clock;
        agent.registered();
        AdminApi.escrowAndCommit(agent, "Administrator", password);
        return agent;
    }

    static void grant(Helper h, String deviceId, Map<String, Object> extra, String... permissions) throws Exception {
        Map<String, Object> rule = new java.util.HashMap<>(Map.of("principals", List.of("user:" + h.id()),
                "targets", List.of("device:" + deviceId), "permissions", List.of(permissions)));
        rule.putAll(extra);
        admin.rule(rule);
    }

    static WebElement find(String css) {
        return console.find(css);
    }

    static WebDriverWait waiting() {
        return console.waiting();
    }

    static void titled(String prefix) {
        console.titled(prefix);
    }

    /** Password step, then TOTP (enrolling, from the secret on the page); returns the seed. */
    static byte[] signIn(Helper h) {
        return console.signIn(h.name(), h.password());
    }

    static void openDevice(TestAgent agent) {
        browser.get(server.url("/devices/" + agent.deviceId));
        waiting().until(d -> d.findElement(By.id("hostname")).getText().equals(agent.hostname));
    }

    static String shown(WebElement secret) {
        secret.findElement(By.tagName("summary")).click();
        return secret.findElement(By.cssSelector(".secret-value")).getText();
    }

    @Test
    void historyShowsEveryRotationWithItsPasswordAndIsAudited() throws Exception {
        Helper ann = helper();
        TestAgent agent = device("History-old-1");
        clock.advance(Duration.ofMinutes(1));
        AdminApi.escrowAndCommit(agent, "Administrator", "History-new-2");
        grant(ann, agent.deviceId, Map.of("requireReason", true), "password.history");
        signIn(ann);
        openDevice(agent);

        find("#password-history-reason").sendKeys("ticket 314");
        find("#password-history button").click();
        titled("Password history");
        List<WebElement> rows = browser.findElements(By.cssSelector("#history tbody tr"));
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).getText()).startsWith("committed");
        assertThat(rows.get(1).getText()).startsWith("superseded");
        assertThat(shown(find("#history-0"))).isEqualTo("History-new-2");
        assertThat(shown(find("#history-1"))).isEqualTo("History-old-1");
        chromium.screenshot(SCREENSHOTS, "history");

        assertThat(admin.audit("principal=user:" + ann.id() + "&action=password.history")).singleElement()
                .satisfies(row -> {
                    assertThat(row.get("outcome").asText()).isEqualTo("granted");
                    assertThat(row.get("reason").asText()).isEqualTo("ticket 314");
                });
        assertThat(chromium.consoleErrors()).isEmpty();
    }

    @Test
    void rotateNowFromTheDevicePageAsksTheDeviceToRotateAndIsAudited() throws Exception {
        Helper bo = helper();
        TestAgent agent = device("Rotate-now-1");
        grant(bo, agent.deviceId, Map.of(), "device.rotate");
        clock.advance(Duration.ofSeconds(1)); // a request counts when it comes after the last commit
        signIn(bo);
        openDevice(agent);
        assertThat(server.get("/api/v1/devices/" + agent.deviceId).json().get("rotateRequestedAt").isNull()).isTrue();

        find("#rotate button").click();
        waiting().until(d -> d.getCurrentUrl().endsWith("?rotation=requested"));
        assertThat(find("p.notice").getText()).contains("Rotation requested");
        assertThat(browser.getPageSource()).contains("Rotation requested");
        assertThat(server.get("/api/v1/devices/" + agent.deviceId).json().get("rotateRequestedAt").isNull()).isFalse();
        assertThat(admin.audit("principal=user:" + bo.id() + "&action=device.rotate-request"))
                .extracting(r -> r.get("outcome").asText()).containsExactly("granted");
        JsonNode checkIn = agent.checkIn("Administrator").json();
        assertThat(checkIn.get("rotate").asBoolean()).as("the agent is told to rotate").isTrue();
        assertThat(checkIn.get("rotateReason").asText()).isEqualTo("requested");
    }

    @Test
    void aRecoveryKeyIsFoundByTheKeyIdOnTheRecoveryScreenOnlyWhereTheUserMayReadIt() throws Exception {
        Helper cy = helper();
        TestAgent mine = device("Recovery-1");
        TestAgent other = device("Recovery-2");
        String prefix = UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        String protector = "{" + prefix + "-1111-4222-8333-444455556666}";
        String othersProtector = "{" + prefix + "-9999-4888-8777-666655554444}";
        String key = "111111-222222-333333-444444-555555-666666-000011-000022";
        assertThat(new RecoveryKeyClient(mine).escrow(List.of(), new RecoveryKeyClient.Key("C:", "OS volume",
                protector, key)).status()).isEqualTo(200);
        assertThat(new RecoveryKeyClient(other).escrow(List.of(), new RecoveryKeyClient.Key("C:", "OS volume",
                othersProtector, "000033-000044-000055-000066-000077-000088-000099-000110")).status()).isEqualTo(200);
        grant(cy, mine.deviceId, Map.of(), "recovery-key.read");
        signIn(cy);

        find("#recovery-key-lookup").click();
        titled("Recovery key by key id");
        find("#keyId").sendKeys(prefix.toLowerCase());
        find("#keyId-reason").sendKeys("user at the BitLocker screen");
        find("#recovery-key-form button").click();
        WebElement secret = waiting().until(d -> d.findElement(By.id("recovery-key-0")));
        assertThat(browser.findElements(By.cssSelector("details.secret"))).as("not the other device's key").hasSize(1);
        assertThat(browser.getPageSource()).contains(mine.hostname).doesNotContain(other.hostname);
        assertThat(shown(secret)).isEqualTo(key);
        chromium.screenshot(SCREENSHOTS, "recovery-key");

        List<JsonNode> rows = admin.audit("principal=user:" + cy.id() + "&action=recovery-key.reveal");
        assertThat(rows).anySatisfy(r -> {
            assertThat(r.get("outcome").asText()).isEqualTo("granted");
            assertThat(r.get("deviceId").asText()).isEqualTo(mine.deviceId);
            assertThat(r.get("reason").asText()).isEqualTo("user at the BitLocker screen");
        });
        assertThat(rows).anySatisfy(r -> {
            assertThat(r.get("outcome").asText()).isEqualTo("denied");
            assertThat(r.get("deviceId").asText()).isEqualTo(other.deviceId);
        });

        // Too short a key id: a clear message, nothing revealed.
        browser.get(server.url("/recovery-keys"));
        ((JavascriptExecutor) browser).executeScript("document.getElementById('keyId').removeAttribute('minlength');");
        find("#keyId").sendKeys("12ab");
        find("#recovery-key-form button").click();
        titled("Refused");
        assertThat(find("p.error").getText()).contains("at least the first 8 hex digits");
    }

    @Test
    void aRuleWantingARecentSecondFactorAsksForATotpCodeThenReveals() throws Exception {
        Helper di = helper();
        TestAgent agent = device("Step-up-pass-9");
        grant(di, agent.deviceId, Map.of("requireSecondFactorMinutes", 5), "password.read");
        byte[] seed = signIn(di);
        clock.advance(Duration.ofMinutes(6));
        openDevice(agent);

        find("#reveal-password-reason").sendKeys("ticket 2718");
        find("#reveal-password button").click();
        titled("Confirm it is you");
        assertThat(find("#step-up-why").getText()).contains("within the last 5 minutes");
        assertThat(browser.getPageSource()).doesNotContain("Step-up-pass-9");
        chromium.screenshot(SCREENSHOTS, "step-up");
        find("#code").sendKeys(Totp.code(seed, Totp.step(clock.instant()), 6));
        find("#step-up-form button").click();

        titled("Password of");
        assertThat(shown(find("#password"))).isEqualTo("Step-up-pass-9");
        assertThat(admin.audit("principal=user:" + di.id() + "&action=password.reveal"))
                .extracting(r -> r.get("outcome").asText() + " " + r.get("reason").asText())
                .containsExactlyInAnyOrder("denied ticket 2718", "granted ticket 2718");
        assertThat(chromium.consoleErrors()).as("only the refused reveal's own 403")
                .allSatisfy(m -> assertThat(m).contains("403"));
    }

    @Test
    void tooManyRevealsShowAPageThatSaysWhenToRetry() throws Exception {
        Helper ed = helper();
        TestAgent agent = device("Limited-pass-3");
        grant(ed, agent.deviceId, Map.of(), "password.read");
        signIn(ed);
        for (int i = 0; i < REVEALS_PER_MINUTE; i++) {
            openDevice(agent);
            find("#reveal-password button").click();
            titled("Password of");
        }
        openDevice(agent);
        find("#reveal-password button").click();
        titled("Refused");
        assertThat(find("h1").getText()).contains("429").contains("Too many requests");
        String retry = find(".retry").getText();
        assertThat(retry).matches("Try again in \\d+ seconds\\.");
        long seconds = Long.parseLong(retry.replaceAll("\\D", ""));
        assertThat(seconds).isBetween(1L, 60L);
        assertThat(browser.getPageSource()).doesNotContain("Limited-pass-3");
        chromium.screenshot(SCREENSHOTS, "too-many-reveals");
        assertThat(admin.audit("principal=user:" + ed.id() + "&action=password.reveal&outcome=denied"))
                .anySatisfy(r -> assertThat(r.get("detail").asText()).contains("rate-limited"));
    }

    @Test
    void theMainPagesHaveNoSeriousAccessibilityViolationsAndAreShotAtDesktopAndPhoneWidth() throws Exception {
        String axe = axeSource();
        Helper fay = helper();
        TestAgent agent = device("Axe-pass-5!");
        grant(fay, agent.deviceId, Map.of(), "password.read", "password.history", "recovery-key.read",
                "device.rotate");
        List<String> problems = new ArrayList<>();

        browser.get(server.url("/sign-in"));
        problems.addAll(axe(axe, "sign-in"));
        signIn(fay);
        String prefix = agent.hostname.substring(0, 8);
        // Submitted with Enter: this test is about the pages, not the search-as-you-type timing.
        find("#q").sendKeys(prefix + org.openqa.selenium.Keys.ENTER);
        waiting().until(d -> d.getCurrentUrl().contains("q=" + prefix)
                && !d.findElements(By.linkText(agent.hostname)).isEmpty());
        problems.addAll(axe(axe, "search"));
        openDevice(agent);
        problems.addAll(axe(axe, "device"));
        shootBothWidths("device");
        find("#reveal-password button").click();
        titled("Password of");
        find("#password summary").click();
        problems.addAll(axe(axe, "password"));
        shootBothWidths("password");
        openDevice(agent);
        find("#password-history button").click();
        titled("Password history");
        problems.addAll(axe(axe, "history"));
        browser.get(server.url("/recovery-keys"));
        problems.addAll(axe(axe, "recovery-keys"));
        shootBothWidths("recovery-keys");

        assertThat(problems).as("serious or critical axe-core violations").isEmpty();
    }

    /**
     * The page in a 1280x800 viewport, then as a 390x844 phone (Chromium's device emulation, so the
     * page's viewport meta applies), as {@code name-desktop.png} and {@code name-phone.png}; neither
     * may scroll sideways.
     */
    private static void shootBothWidths(String name) {
        shoot(name + "-desktop", 1280, 800, false);
        shoot(name + "-phone", 390, 844, true);
    }

    private static void shoot(String file, int width, int height, boolean mobile) {
        JavascriptExecutor js = (JavascriptExecutor) browser;
        ChromeDriver chrome = (ChromeDriver) browser;
        chrome.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height,
                "deviceScaleFactor", 1, "mobile", mobile));
        try {
            // The emulated viewport applies asynchronously; a page wider than the phone would make a
            // mobile viewport zoom out (innerWidth above the width), so the widths say why it failed.
            try {
                waiting().until(d -> widths(js).get(0) == width);
            } catch (org.openqa.selenium.TimeoutException e) {
                chromium.screenshot(SCREENSHOTS, file + "-failed");
                throw new AssertionError(file + ": the viewport never became " + width
                        + " px wide (innerWidth, clientWidth, scrollWidth) = " + widths(js), e);
            }
            List<Integer> widths = widths(js);
            assertThat(widths.get(2) > widths.get(1)).as(file + ": no sideways scrolling at " + width
                    + " px; (innerWidth, clientWidth, scrollWidth) = " + widths).isEqualTo(false);
            chromium.screenshot(SCREENSHOTS, file);
        } finally {
            chrome.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        }
    }

    /** The window's width, the page's width without its scroll bar, and the width of its content. */
    private static List<Integer> widths(JavascriptExecutor js) {
        List<?> raw = (List<?>) js.executeScript("return [window.innerWidth, document.documentElement.clientWidth,"
                + " document.documentElement.scrollWidth];");
        return raw.stream().map(n -> ((Number) n).intValue()).toList();
    }

    /** axe-core from its WebJar (test scope only; the console serves nothing of it), at the version the pom pins. */
    private static String axeSource() throws IOException {
        ClassLoader loader = HelpDeskBrowserTest.class.getClassLoader();
        java.util.Properties pom = new java.util.Properties();
        try (InputStream in = loader.getResourceAsStream("META-INF/maven/org.webjars.npm/axe-core/pom.properties")) {
            assertThat(in).as("the axe-core WebJar on the test class path").isNotNull();
            pom.load(in);
        }
        String path = "META-INF/resources/webjars/axe-core/" + pom.getProperty("version") + "/axe.min.js";
        try (InputStream in = loader.getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Runs axe-core in the page (injected through the driver, which the page's CSP does not
     * govern) and returns its serious and critical violations, one line each.
     */
    private static List<String> axe(String source, String page) throws IOException {
        JavascriptExecutor js = (JavascriptExecutor) browser;
        // Injected and run in one script: nothing can load another page in between.
        Object result = js.executeAsyncScript("const done = arguments[arguments.length - 1];" + source
                + "\n;window.axe.run(document, {resultTypes: ['violations']})"
                + ".then(r => done(JSON.stringify(r.violations)), e => done('error ' + e));");
        assertThat(result.toString()).as("axe ran on " + page).doesNotStartWith("error");
        List<String> out = new ArrayList<>();
        for (JsonNode v : Json.mapper().readTree(result.toString())) {
            String impact = v.path("impact").asText();
            if (impact.equals("serious") || impact.equals("critical")) {
                List<String> where = new ArrayList<>();
                v.path("nodes").forEach(n -> where.add(n.path("target").toString()));
                out.add(page + ": " + impact + " " + v.path("id").asText() + " (" + v.path("help").asText() + ") at "
                        + where);
            }
        }
        return out;
    }
}
