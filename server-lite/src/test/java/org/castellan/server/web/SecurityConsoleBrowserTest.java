package org.castellan.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.castellan.protocol.AgentPaths;
import org.castellan.protocol.messages.RecoveryKeyEscrowRequest;
import org.castellan.server.testing.AdminApi;
import org.castellan.server.testing.Browser;
import org.castellan.server.testing.BrowserConsole;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestClock;
import org.castellan.server.testing.TestServer;
import org.castellan.testsupport.Chromium;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The security team's pages in headless Chromium against the real server over HTTPS: the audit
 * trail (filters, keyset pages, links, chain status, CSV and JSON export), effective access
 * explained from a device's page, the fleet reports with a stale device, the API documentation,
 * a non-admin who sees nothing outside their rules on any of these pages or API calls, and bad
 * input answered with a clear message. One server and one browser for the class.
 */
@Browser("security pages in Chromium")
class SecurityConsoleBrowserTest {
    static final Path SCREENSHOTS = BrowserConsole.SCREENSHOTS;
    @RegisterExtension
    static final BrowserConsole console = BrowserConsole.create();
    static final TestClock clock = console.clock();
    static TestServer server;
    static AdminApi admin;
    static Chromium chromium;
    static WebDriver browser;
    static Person boss;

    record Person(String id, String name, String password) {}

    @BeforeAll
    static void start() throws Exception {
        server = console.server();
        admin = console.admin();
        chromium = console.chromium();
        browser = console.browser();
        String name = "sec-admin-" + UUID.randomUUID().toString().substring(0, 6);
        TestServer.Reply created = server.post("/api/v1/users", Map.of("name", name, "password", "Admin-pass-" + name,
                "admin", true));
        assertThat(created.status()).isEqualTo(201);
        boss = new Person(created.json().get("id").asText(), name, "Admin-pass-" + name);
    }

    static Person person() throws Exception {
        String name = "sec-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "Browser-pass-" + name;
        return new Person(admin.user(name, password), name, password);
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

    static List<WebElement> all(String css) {
        return console.all(css);
    }

    static WebDriverWait waiting() {
        return console.waiting();
    }

    static void open(String path) {
        console.open(path);
    }

    static void signIn(Person p) {
        console.signIn(p.name(), p.password());
    }

    /** The body of a same-origin GET from the page (the session cookie goes along): "STATUS\nBODY". */
    static String fetch(String href) {
        return (String) ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + " fetch(arguments[0]).then(r => r.text().then(t => done(r.status + '\\n' + t)), e => done('error ' + e));",
                href);
    }

    static TestServer.Reply reveal(TestAgent agent, String token, String reason) throws Exception {
        TestServer.Reply reply = server.getWithToken("/api/v1/devices/" + agent.deviceId + "/password?reason="
                + URLEncoder.encode(reason, StandardCharsets.UTF_8), token);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply;
    }

    static List<String> rowIds() {
        List<String> ids = new ArrayList<>();
        for (WebElement row : all("#audit tbody tr")) {
            ids.add(row.getAttribute("data-id"));
        }
        return ids;
    }

    @Test
    void theAuditTrailFiltersPagesLinksAndExportsTheFilteredView() throws Exception {
        TestAgent laptop = device("Audit-pass-1");
        TestAgent other = device("Audit-pass-2");
        Person ann = person();
        admin.rule(Map.of("principals", List.of("user:" + ann.id()), "targets", List.of("device:" + laptop.deviceId),
                "permissions", List.of("password.read")));
        String annToken = admin.token(ann.id());
        for (int i = 0; i < 54; i++) {
            reveal(laptop, annToken, "ticket " + i);
        }
        reveal(laptop, annToken, "=HYPERLINK(\"http://evil.example\",\"x\")");
        reveal(other, server.adminToken, "someone else's read");
        assertThat(server.server.verifyAuditChainNow().broken()).isFalse();

        signIn(boss);
        find("#nav-audit").click();
        waiting().until(d -> d.getTitle().startsWith("Audit trail"));
        assertThat(find("#chain-status").getAttribute("data-chain")).isEqualTo("intact");
        find("#device").sendKeys(laptop.hostname);
        find("#principal").sendKeys(ann.name());
        find("#action").sendKeys("password.reveal");
        new org.openqa.selenium.support.ui.Select(find("#outcome")).selectByVisibleText("granted");
        find("#audit-filters button").click();
        waiting().until(d -> d.getCurrentUrl().contains("outcome=granted"));
        chromium.screenshot(SCREENSHOTS, "audit");
        List<String> first = rowIds();
        assertThat(first).hasSize(50);
        assertThat(all("#audit a.device")).allSatisfy(a -> {
            assertThat(a.getText()).isEqualTo(laptop.hostname);
            assertThat(a.getAttribute("href")).endsWith("/devices/" + laptop.deviceId);
        });
        assertThat(all("#audit a.principal")).allSatisfy(a -> assertThat(a.getText()).isEqualTo(ann.name()));
        assertThat(find("#audit tbody tr:first-child").getText()).contains("=HYPERLINK").contains("granted");
        find("#next-page").click();
        waiting().until(d -> d.getCurrentUrl().contains("after="));
        List<String> second = rowIds();
        assertThat(second).hasSize(5);
        assertThat(all("#next-page")).isEmpty();
        Set<String> both = new HashSet<>(first);
        both.addAll(second);
        assertThat(both).as("no entry twice, none skipped").hasSize(55);
        assertThat(Long.parseLong(first.get(49))).isGreaterThan(Long.parseLong(second.get(0)));

        String csv = fetch(find("#export-csv").getAttribute("href"));
        assertThat(csv).startsWith("200\n");
        // (RFC 4180 CRLF line ends are checked in AuditCsvTest; the WebDriver wire does not keep the CR.)
        String[] lines = csv.substring(4).split("\r?\n");
        assertThat(lines).hasSize(56);
        assertThat(lines[0]).isEqualTo("\"id\",\"at\",\"principal\",\"action\",\"outcome\",\"deviceId\",\"reason\","
                + "\"clientAddress\",\"detail\",\"hash\"");
        assertThat(lines[1]).contains("\"user:" + ann.id() + "\",\"password.reveal\",\"granted\",\"" + laptop.deviceId + "\"")
                .as("the formula is neutralised, the quotes doubled")
                .contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",");
        assertThat(java.util.Arrays.asList(lines).subList(1, lines.length)).allSatisfy(line -> assertThat(line).contains(laptop.deviceId).doesNotContain(other.deviceId));
        String json = fetch(find("#export-json").getAttribute("href"));
        assertThat(json).startsWith("200\n");
        JsonNode exported = org.castellan.protocol.Json.mapper().readTree(json.substring(4));
        assertThat(exported).hasSize(55);
        assertThat(exported.get(0).get("reason").asText()).startsWith("=HYPERLINK");

        open("/audit?device=" + laptop.deviceId + "&since=" + clock.instant().plus(Duration.ofMinutes(1)));
        assertThat(all("#no-entries")).hasSize(1);
        find("#audit-filters a").click(); // clear
        waiting().until(d -> d.getCurrentUrl().endsWith("/audit"));
        assertThat(rowIds()).hasSize(50);
        find("#audit a.device[href$='" + other.deviceId + "']").click();
        waiting().until(d -> d.findElement(By.id("hostname")).getText().equals(other.hostname));
        assertThat(chromium.consoleErrors()).isEmpty();
    }

    @Test
    void effectiveAccessNamesTheRulesFromTheDevicePageForAUserAndAGroup() throws Exception {
        TestAgent laptop = device("Access-pass-1");
        Person bo = person();
        Person nobody = person();
        String group = "help desk " + UUID.randomUUID().toString().substring(0, 6);
        String groupId = admin.userGroup(group, bo.id());
        String rule = "laptops for the help desk " + UUID.randomUUID().toString().substring(0, 6);
        admin.rule(Map.of("name", rule, "principals", List.of("user-group:" + groupId),
                "targets", List.of("device:" + laptop.deviceId), "permissions", List.of("password.read", "device.rotate"),
                "requireReason", true, "rotateAfterReadMinutes", 60));

        signIn(boss);
        open("/devices/" + laptop.deviceId);
        find("#device-access").click();
        waiting().until(d -> d.getTitle().startsWith("Effective access"));
        assertThat(find("#device").getAttribute("value")).isEqualTo(laptop.deviceId);
        find("#principal").sendKeys(bo.name());
        find("#access-form button").click();
        waiting().until(d -> !d.findElements(By.id("answer")).isEmpty());
        chromium.screenshot(SCREENSHOTS, "effective-access");
        assertThat(find("#permissions").getText()).contains("device.rotate").contains("password.read")
                .doesNotContain("device.manage");
        assertThat(find("#rules").getText()).contains(rule).contains("device.rotate").contains("password.read");
        assertThat(find("#reason-required").isDisplayed()).isTrue();
        assertThat(find("#rotate-after-read").getText()).contains("60 minutes");
        JsonNode api = server.get("/api/v1/access?principal=user:" + bo.id() + "&device=" + laptop.deviceId).json();
        assertThat(api.get("rules").get(0).get("name").asText()).as("the page is the API's answer").isEqualTo(rule);

        open("/access?principal=" + URLEncoder.encode("user-group:" + group, StandardCharsets.UTF_8) + "&device="
                + laptop.hostname);
        assertThat(find("#rules").getText()).contains(rule);
        // From the user list of the administration pages: the user's effective access, the device still to name.
        open("/admin/users");
        find("tr[data-user='" + bo.name() + "'] a.user-access").click();
        waiting().until(d -> d.getTitle().startsWith("Effective access"));
        assertThat(find("#principal").getAttribute("value")).isEqualTo("user:" + bo.id());
        find("#device").sendKeys(laptop.hostname);
        find("#access-form button").click();
        waiting().until(d -> !d.findElements(By.id("answer")).isEmpty());
        assertThat(find("#rules").getText()).contains(rule);
        open("/access?principal=user:" + nobody.id() + "&device=" + laptop.hostname);
        assertThat(find("#no-access").getText()).contains("No permission");
        assertThat(all("#rules")).isEmpty();
        assertThat(chromium.consoleErrors()).isEmpty();
    }

    @Test
    void theReportsListAStaleDeviceAndEachReportFindsItsDevice() throws Exception {
        TestAgent stale = device("Stale-pass-1");
        clock.advance(Duration.ofDays(40));
        TestAgent fresh = device("Fresh-pass-1");
        String rotationId = UUID.randomUUID().toString();
        clock.advance(Duration.ofSeconds(1));
        assertThat(fresh.escrow("Administrator", rotationId, "Never-set-1").status()).isEqualTo(201);
        assertThat(fresh.abort(rotationId, "chpasswd: Authentication token manipulation error").status()).isEqualTo(200);
        reveal(fresh, server.adminToken, "after the incident");
        assertThat(fresh.post(AgentPaths.RECOVERY_KEYS, new RecoveryKeyEscrowRequest(List.of(), List.of("D: data")))
                .status()).isLessThan(300);

        signIn(boss);
        find("#nav-reports").click();
        waiting().until(d -> d.getTitle().startsWith("Reports"));
        browser.findElement(By.linkText("Devices not seen for N days")).click();
        waiting().until(d -> d.getTitle().startsWith("Devices not seen"));
        chromium.screenshot(SCREENSHOTS, "report-stale");
        assertThat(find("#days").getAttribute("value")).isEqualTo("30");
        assertThat(reportHosts()).contains(stale.hostname).doesNotContain(fresh.hostname);
        find("#days").clear();
        find("#days").sendKeys("50");
        find("#report-form button").click();
        waiting().until(d -> d.getCurrentUrl().contains("days=50"));
        assertThat(reportHosts()).doesNotContain(stale.hostname);

        open("/reports/overdue-rotations");
        assertThat(reportHosts()).contains(stale.hostname).doesNotContain(fresh.hostname);
        open("/reports/failing-rotations");
        assertThat(reportHosts()).contains(fresh.hostname).doesNotContain(stale.hostname);
        assertThat(find("tr[data-device='" + fresh.deviceId + "']").getText()).contains("Authentication token manipulation");
        open("/reports/read-not-rotated");
        assertThat(reportHosts()).contains(fresh.hostname).doesNotContain(stale.hostname);
        open("/reports/unprotected-volumes");
        assertThat(find("tr[data-device='" + fresh.deviceId + "']").getText()).contains("D: data");
        open("/reports/agent-versions");
        assertThat(find("#report").getText()).contains("0.1.0");
        open("/reports/os-versions");
        assertThat(find("#report").getText()).contains("linux");
        find("#report").isDisplayed();

        JsonNode api = server.get("/api/v1/reports/stale-devices?days=30").json();
        List<String> ids = new ArrayList<>();
        api.forEach(e -> ids.add(e.get("deviceId").asText()));
        assertThat(ids).contains(stale.deviceId).doesNotContain(fresh.deviceId);
        assertThat(chromium.consoleErrors()).isEmpty();
    }

    static List<String> reportHosts() {
        List<String> hosts = new ArrayList<>();
        for (WebElement a : all("#report tbody td:first-child a")) {
            hosts.add(a.getText());
        }
        return hosts;
    }

    @Test
    void aNonAdminSeesNoDeviceOutsideItsRulesOnAnyPageOrApiCall() throws Exception {
        TestAgent mine = device("Mine-pass-1");
        TestAgent hidden = device("Hidden-pass-1");
        Person cy = person();
        Person dee = person();
        // Both rules rotate a read password a minute later: once read, both devices' passwords are overdue.
        admin.rule(Map.of("principals", List.of("user:" + cy.id()), "targets", List.of("device:" + mine.deviceId),
                "permissions", List.of("password.read"), "rotateAfterReadMinutes", 1));
        admin.rule(Map.of("principals", List.of("user:" + dee.id()), "targets", List.of("device:" + hidden.deviceId),
                "permissions", List.of("password.read"), "rotateAfterReadMinutes", 1));
        String cyToken = admin.token(cy.id());
        reveal(mine, cyToken, "mine");
        reveal(hidden, admin.token(dee.id()), "theirs");
        clock.advance(Duration.ofSeconds(1));
        for (TestAgent a : List.of(hidden, mine)) {
            String r = UUID.randomUUID().toString();
            assertThat(a.escrow("Administrator", r, "Pending-1").status()).isEqualTo(201);
            assertThat(a.abort(r, "failed on " + a.hostname).status()).isEqualTo(200);
            assertThat(a.post(AgentPaths.RECOVERY_KEYS, new RecoveryKeyEscrowRequest(List.of(), List.of("E:"))).status())
                    .isLessThan(300);
        }
        clock.advance(Duration.ofDays(2));

        for (String report : List.of("stale-devices?days=1", "overdue-rotations", "failing-rotations", "read-not-rotated",
                "unprotected-volumes")) {
            TestServer.Reply reply = server.getWithToken("/api/v1/reports/" + report, cyToken);
            assertThat(reply.status()).isEqualTo(200);
            List<String> ids = new ArrayList<>();
            reply.json().forEach(e -> ids.add(e.get("deviceId").asText()));
            assertThat(ids).as(report).containsOnly(mine.deviceId).doesNotContain(hidden.deviceId);
            assertThat(reply.body()).doesNotContain(hidden.hostname);
            assertThat(server.get("/api/v1/reports/" + report).body()).as("the admin sees both").contains(hidden.deviceId);
        }
        for (String count : List.of("agent-versions", "os-versions")) {
            JsonNode tallies = server.getWithToken("/api/v1/reports/" + count, cyToken).json();
            long devices = 0;
            for (JsonNode t : tallies) {
                devices += t.get("devices").asLong();
            }
            assertThat(devices).as(count + " counts only the caller's one device").isEqualTo(1);
        }
        assertThat(server.getWithToken("/api/v1/audit", cyToken).status()).isEqualTo(403);
        assertThat(server.getWithToken("/api/v1/access?principal=user:" + cy.id() + "&device=" + hidden.deviceId, cyToken)
                .status()).isEqualTo(403);

        signIn(cy);
        assertThat(all("#nav-audit")).as("no audit link for a non-admin").isEmpty();
        for (String page : List.of("/reports", "/reports/stale-devices?days=1", "/reports/overdue-rotations",
                "/reports/failing-rotations", "/reports/read-not-rotated", "/reports/unprotected-volumes",
                "/reports/agent-versions", "/reports/os-versions")) {
            open(page);
            assertThat(browser.getPageSource()).as(page).doesNotContain(hidden.hostname).doesNotContain(hidden.deviceId);
        }
        open("/reports/stale-devices?days=1");
        assertThat(reportHosts()).containsExactly(mine.hostname);
        for (String page : List.of("/audit", "/audit?device=" + hidden.deviceId, "/access?principal=user:" + cy.id()
                + "&device=" + hidden.hostname)) {
            open(page);
            assertThat(browser.getTitle()).as(page).startsWith("Refused");
            assertThat(find("p.error").getAttribute("data-code")).isEqualTo("forbidden");
            assertThat(browser.getPageSource()).doesNotContain(hidden.hostname).doesNotContain(hidden.deviceId);
        }
        assertThat(fetch("/audit/export.csv")).startsWith("403\n").doesNotContain(hidden.deviceId);
        assertThat(fetch("/audit/export.json?device=" + hidden.deviceId)).startsWith("403\n");
    }

    @Test
    void badInputThroughTheFormsGetsAClearMessageAndChangesNothing() throws Exception {
        TestAgent laptop = device("Bad-input-1");
        signIn(boss);
        String newestBefore = server.get("/api/v1/audit?limit=1").json().get(0).get("id").asText();
        String[][] cases = {
                {"/audit", "#device", "laptop\u0007x", "#audit-filters button", "contains control characters"},
                {"/audit", "#principal", "p".repeat(300), "#audit-filters button", "longer than 200"},
                {"/audit", "#since", "yesterday", "#audit-filters button", "must be a UTC time"},
                {"/audit", "#device", "no-such-host", "#audit-filters button", "no device has that id or host name"},
                {"/access?device=" + laptop.deviceId, "#principal", "x\u202Ey", "#access-form button", "contains control characters"},
                {"/access?device=" + laptop.deviceId, "#principal", "nobody-at-all", "#access-form button", "no user has that id or name"},
                {"/reports/stale-devices", "#days", "0", "#report-form button", "from 1 to 3650"},
        };
        for (String[] c : cases) {
            open(c[0]);
            // Past what the form itself allows (maxlength, number type), as a hand-made request would be.
            ((JavascriptExecutor) browser).executeScript("const f = document.querySelector(arguments[0]);"
                    + " f.removeAttribute('maxlength'); f.removeAttribute('min'); f.type = 'text'; f.value = arguments[1];"
                    + " f.form.noValidate = true;", c[1], c[2]);
            find(c[3]).click();
            try {
                waiting().until(d -> d.getTitle().startsWith("Refused"));
            } catch (org.openqa.selenium.TimeoutException e) {
                throw new AssertionError(c[0] + " " + c[1] + "=" + c[2] + ": " + browser.getCurrentUrl() + " "
                        + browser.getPageSource(), e);
            }
            assertThat(find("p.error").getText()).as(c[2]).contains(c[4]);
        }
        open("/reports/stale-devices?after=not-a-cursor");
        assertThat(find("p.error").getText()).contains("X-Next-Cursor");
        open("/audit?after=12abc");
        assertThat(find("p.error").getText()).contains("page link is not valid");
        // A forged cross-site post to a page of this console: refused for its missing CSRF token, nothing done.
        ((JavascriptExecutor) browser).executeScript("const f = document.createElement('form'); f.method = 'post';"
                + " f.action = '/devices/" + laptop.deviceId + "/rotate'; document.body.appendChild(f); f.submit();");
        waiting().until(d -> d.getTitle().startsWith("Refused"));
        assertThat(find("p.error").getText()).contains("did not come from this site");
        assertThat(server.get("/api/v1/devices/" + laptop.deviceId).json().get("rotateRequestedAt").isNull()).isTrue();
        assertThat(server.get("/api/v1/audit?limit=1").json().get(0).get("id").asText())
                .as("nothing was written: no audit entry since").isEqualTo(newestBefore);
    }

    @Test
    void theApiDocumentationRendersEveryOperationFromTheJarUnderTheStrictPolicy() throws Exception {
        open("/api/docs");
        waiting().until(d -> d.findElements(By.cssSelector(".opblock")).size() > 60);
        chromium.screenshot(SCREENSHOTS, "api-docs");
        assertThat(browser.getPageSource()).contains("listStaleDevices").contains("/api/v1/reports/stale-devices");
        TestServer.Reply page = server.getWithToken("/api/docs", null);
        assertThat(page.header("Content-Security-Policy")).contains("script-src 'self'").doesNotContain("unsafe");
        assertThat(page.body()).doesNotContain("<script>").contains("src=\"/api/docs/initializer.js\"")
                .doesNotContain("http://").doesNotContain("https://");
        assertThat(server.getWithToken("/api/docs/swagger-ui-bundle.js", null).status()).isEqualTo(200);
        assertThat(server.getWithToken("/api/docs/../openapi.json", null).status()).isEqualTo(404);
        assertThat(chromium.consoleErrors()).as("no CSP violation, no script error").isEmpty();
    }
}
