package org.castellan.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.castellan.server.config.ConsoleSettings;
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
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in headless Chromium against the real server over HTTPS (its self-signed
 * certificate trusted by its SPKI pin, nothing else): sign-in with password and TOTP, search,
 * reveal with a reason, copy, auto-hide, CSRF, CSP, expiry and sign-out. One browser for the class.
 */
@Browser("sign-in, reveal, copy and auto-hide in Chromium; the flows' requests are ConsoleTest's")
class ConsoleBrowserTest {
    static final Path SCREENSHOTS = BrowserConsole.SCREENSHOTS;
    static final String SESSION_COOKIE = "__Host-castellan-session";
    @RegisterExtension
    static final BrowserConsole console = BrowserConsole.create()
            .withConsole(ConsoleSettings.defaults().withHideSecretsAfter(Duration.ofSeconds(3)));
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
        String name = "web-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "Browser-pass-" + name;
        return new Helper(admin.user(name, password), name, password);
    }

    static TestAgent device(String password) throws Exception {
        TestAgent agent = new TestAgent(server);
        agent.clock = clock;
        agent.registered();
        AdminApi.escrowAndCommit(agent, "Administrator", password);
        return agent;
    }

    static WebElement find(String css) {
        return console.find(css);
    }

    static WebDriverWait waiting() {
        return console.waiting();
    }

    /** Password step, then the TOTP step; enrols (reading the secret off the page) when {@code seed} is null. */
    static byte[] signIn(Helper h, byte[] seed) {
        passwordStep(h);
        byte[] used = seed;
        if (used == null) {
            used = console.seedShown();
            assertThat(find("#totp-uri").getText()).startsWith("otpauth://totp/Castellan:" + h.name());
        }
        find("#code").sendKeys(Totp.code(used, Totp.step(clock.instant()), 6));
        find("#second-factor-form button").click();
        waiting().until(d -> d.getTitle().startsWith("Find a machine"));
        return used;
    }

    static void passwordStep(Helper h) {
        console.passwordStep(h.name(), h.password());
    }

    @Test
    void signInSearchRevealWithAReasonCopyAndAutoHide() throws Exception {
        Helper ann = helper();
        TestAgent agent = device("Tr0ub4dor&3x");
        admin.rule(Map.of("principals", List.of("user:" + ann.id()), "targets", List.of("device:" + agent.deviceId),
                "permissions", List.of("password.read"), "requireReason", true));

        browser.get(server.url("/sign-in"));
        chromium.screenshot(SCREENSHOTS, "sign-in");
        signIn(ann, null);
        Cookie session = browser.manage().getCookieNamed(SESSION_COOKIE);
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.isSecure()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Strict");

        // Search as you type: no button press.
        find("#q").sendKeys(agent.hostname.substring(0, 7));
        waiting().until(d -> d.getCurrentUrl().contains("q=" + agent.hostname.substring(0, 7))
                && !d.findElements(By.linkText(agent.hostname)).isEmpty());
        chromium.screenshot(SCREENSHOTS, "search");
        browser.findElement(By.linkText(agent.hostname)).click();
        waiting().until(d -> d.findElement(By.id("hostname")).getText().equals(agent.hostname));
        chromium.screenshot(SCREENSHOTS, "device");

        find("#reveal-password-reason").sendKeys("ticket 99");
        find("#reveal-password button").click();
        WebElement secret = waiting().until(d -> d.findElement(By.cssSelector("#password")));
        WebElement value = secret.findElement(By.cssSelector(".secret-value"));
        assertThat(value.isDisplayed()).as("hidden until clicked").isFalse();
        secret.findElement(By.tagName("summary")).click();
        assertThat(value.isDisplayed()).isTrue();
        assertThat(value.getText()).isEqualTo("Tr0ub4dor&3x");
        assertThat(secret.findElement(By.cssSelector(".phonetic")).getText())
                .startsWith("capital TANGO · romeo · zero · uniform").contains("ampersand · three · x-ray");
        chromium.screenshot(SCREENSHOTS, "revealed");

        String origin = server.server.url();
        chromium.allowClipboard(origin);
        secret.findElement(By.cssSelector("[data-copy]")).click();
        waiting().until(d -> d.findElement(By.cssSelector("[data-copy]")).getText().equals("Copied"));
        Object clipboard = ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1]; navigator.clipboard.readText().then(done, e => done('error ' + e));");
        assertThat(clipboard).isEqualTo("Tr0ub4dor&3x");

        waiting().until(d -> d.findElement(By.id("password")).getAttribute("class").contains("expired"));
        assertThat(browser.getPageSource()).as("gone from the page, not just hidden").doesNotContain("Tr0ub4dor&amp;3x")
                .doesNotContain("Tr0ub4dor&3x");

        assertThat(admin.audit("principal=user:" + ann.id() + "&action=password.reveal")).singleElement()
                .satisfies(row -> {
                    assertThat(row.get("outcome").asText()).isEqualTo("granted");
                    assertThat(row.get("reason").asText()).isEqualTo("ticket 99");
                    assertThat(row.get("deviceId").asText()).isEqualTo(agent.deviceId);
                });
        assertThat(chromium.consoleErrors()).as("no CSP violation, no script error").isEmpty();
    }

    @Test
    void aWrongTotpCodeIsRefusedAndTheRightOneSignsIn() throws Exception {
        Helper bob = helper();
        byte[] seed = signIn(bob, null);
        find("#sign-out").click();
        waiting().until(d -> d.getTitle().startsWith("Sign in"));
        clock.advance(Duration.ofSeconds(31));

        passwordStep(bob);
        String right = Totp.code(seed, Totp.step(clock.instant()), 6);
        find("#code").sendKeys(right.equals("123456") ? "654321" : "123456");
        find("#second-factor-form button").click();
        waiting().until(d -> !d.findElements(By.cssSelector("p.error")).isEmpty());
        assertThat(find("p.error").getText()).contains("Wrong code");
        assertThat(browser.getTitle()).startsWith("Second factor");
        assertThat(chromium.consoleErrors()).as("the refusal is a real 401, and nothing else went wrong")
                .singleElement().satisfies(m -> assertThat(m).contains("/sign-in/second-factor").contains("401"));
        browser.get(server.url("/"));
        assertThat(browser.getTitle()).as("not signed in").startsWith("Sign in");

        browser.get(server.url("/sign-in/second-factor"));
        find("#code").sendKeys(right);
        find("#second-factor-form button").click();
        waiting().until(d -> d.getTitle().startsWith("Find a machine"));
        assertThat(chromium.consoleErrors()).isEmpty();
    }

    @Test
    void theCspHeaderIsSentAndAViolationWouldBeSeen() throws Exception {
        TestServer.Reply page = server.getWithToken("/sign-in", null);
        assertThat(page.header("Content-Security-Policy")).isEqualTo("default-src 'self'; script-src 'self';"
                + " style-src 'self'; img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none';"
                + " form-action 'self'; frame-ancestors 'none'");
        browser.get(server.url("/sign-in"));
        assertThat(chromium.consoleErrors()).isEmpty();
        // The check can fail: an inline script is refused by the policy, and the browser says so.
        ((JavascriptExecutor) browser).executeScript(
                "const s = document.createElement('script'); s.textContent = 'window.x = 1'; document.body.appendChild(s);");
        assertThat(chromium.consoleErrors()).anySatisfy(m -> assertThat(m).contains("Content Security Policy"));
    }

    @Test
    void aFormWhoseCsrfTokenWasRemovedIsRefusedAndChangesNothing() throws Exception {
        Helper cy = helper();
        TestAgent agent = device("Csrf-Browser-1");
        admin.rule(Map.of("principals", List.of("user:" + cy.id()), "targets", List.of("device:" + agent.deviceId),
                "permissions", List.of("device.rotate")));
        signIn(cy, null);
        browser.get(server.url("/devices/" + agent.deviceId));
        ((JavascriptExecutor) browser).executeScript("document.querySelector('#rotate input[name=csrf]').remove();");
        find("#rotate button").click();
        waiting().until(d -> d.getTitle().startsWith("Refused"));
        assertThat(find("p.error").getText()).contains("did not come from this site");
        assertThat(server.get("/api/v1/devices/" + agent.deviceId).json().get("rotateRequestedAt").isNull()).isTrue();

        browser.get(server.url("/devices/" + agent.deviceId));
        find("#rotate button").click();
        waiting().until(d -> d.getPageSource().contains("Rotation requested"));
        assertThat(server.get("/api/v1/devices/" + agent.deviceId).json().get("rotateRequestedAt").isNull()).isFalse();
    }

    @Test
    void anIdleSessionEndsAndSignOutEndsItOnTheServer() throws Exception {
        Helper di = helper();
        byte[] seed = signIn(di, null);
        clock.advance(Duration.ofMinutes(16));
        browser.navigate().refresh();
        assertThat(browser.getTitle()).as("idle for 16 minutes").startsWith("Sign in");

        clock.advance(Duration.ofSeconds(31));
        signIn(di, seed);
        String cookie = browser.manage().getCookieNamed(SESSION_COOKIE).getValue();
        find("#sign-out").click();
        waiting().until(d -> d.getTitle().startsWith("Sign in"));
        assertThat(browser.manage().getCookieNamed(SESSION_COOKIE)).isNull();
        // The cookie put back: the server ended the session, it opens nothing.
        browser.manage().addCookie(new Cookie.Builder(SESSION_COOKIE, cookie).path("/").isSecure(true)
                .isHttpOnly(true).sameSite("Strict").build());
        browser.get(server.url("/"));
        assertThat(browser.getTitle()).startsWith("Sign in");
        chromium.screenshot(SCREENSHOTS, "signed-out");
    }
}
