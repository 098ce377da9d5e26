package org.castellan.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.castellan.server.audit.AuditActions;
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
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The administration and just-in-time pages in headless Chromium against the real server over
 * HTTPS: a rule made on the page takes effect, a registration key is shown once, a deleted device
 * stays revealable, a pattern group is previewed before it is saved, a just-in-time request is
 * approved by a second person (never by its requester) and revoked, a non-admin gets no admin page
 * and no device outside its rules, and bad or forged form posts change nothing. One server and one
 * browser for the class; each test signs in its own users.
 */
@Browser("administration pages in Chromium")
class AdminConsoleBrowserTest {
    static final Path SCREENSHOTS = BrowserConsole.SCREENSHOTS;
    /** Each sign-in moves the clock itself (a test signs in several people); polls often: a page answers in ms. */
    @RegisterExtension
    static final BrowserConsole console = BrowserConsole.create().advancingEachTest(Duration.ZERO)
            .pollingEvery(Duration.ofMillis(25));
    static final TestClock clock = console.clock();
    static TestServer server;
    static AdminApi api;
    static Chromium chromium;
    static WebDriver browser;

    @BeforeAll
    static void bind() {
        server = console.server();
        api = console.admin();
        chromium = console.chromium();
        browser = console.browser();
    }

    record Person(String id, String name, String password) {}

    static Person person(boolean admin) throws Exception {
        String name = (admin ? "adm-" : "web-") + UUID.randomUUID().toString().substring(0, 8);
        String password = "Browser-pass-" + name;
        Map<String, Object> body = new LinkedHashMap<>(Map.of("name", name, "password", password, "admin", admin));
        TestServer.Reply reply = server.post("/api/v1/users", body);
        assertThat(reply.status()).isEqualTo(201);
        return new Person(reply.json().get("id").asText(), name, password);
    }

    static TestAgent device(String hostname, String password) throws Exception {
        TestAgent agent = new TestAgent(server);
        agent.clock = clock;
        if (hostname != null) {
            agent.hostname = hostname;
        }
        agent.registered();
        if (password != null) {
            AdminApi.escrowAndCommit(agent, "Administrator", password);
        }
        return agent;
    }

    static WebElement find(String css) {
        return console.find(css);
    }

    static WebDriverWait waiting() {
        return console.waiting();
    }

    static void js(String script, Object... args) {
        ((JavascriptExecutor) browser).executeScript(script, args);
    }

    /** Signs in (a fresh browser session), enrolling TOTP the first time, and lands on the search. */
    static void signIn(Person p) {
        browser.get(server.url("/sign-in"));
        chromium.clearCookies();
        clock.advance(Duration.ofSeconds(31)); // each sign-in's code is of a fresh step
        console.signIn(p.name(), p.password());
    }

    static void open(String path) {
        console.open(path);
    }

    static void submit(String formId) {
        find("#" + formId + " button[type=submit]").click();
    }

    static void waitFor(String text) {
        waiting().until(d -> d.getPageSource().contains(text));
    }

    static String errorShown() {
        waiting().until(d -> d.getTitle().startsWith("Refused"));
        return find("p.error").getText();
    }

    @Test
    void aRuleCreatedOnThePageShowsNamesAndLetsTheUserReveal() throws Exception {
        Person admin = person(true);
        Person ann = person(false);
        TestAgent agent = device(null, "Rule-made-1");
        signIn(admin);
        find("#nav-admin").click();
        waiting().until(d -> d.getTitle().startsWith("Administration"));
        browser.findElement(By.linkText("Rules")).click();
        waiting().until(d -> d.getTitle().startsWith("Rules"));
        String ruleName = "help desk " + ann.name();
        find("#rule-name").sendKeys(ruleName);
        new Select(find("#rule-principals")).selectByVisibleText("user " + ann.name());
        find("#rule-devices").sendKeys(agent.hostname);
        find("#perm-password-read").click();
        find("#rule-require-reason").click();
        submit("rule-form");
        waitFor("Rule created");
        WebElement row = browser.findElements(By.cssSelector("#rules tr[data-rule]")).stream()
                .filter(r -> r.getText().contains(ruleName)).findFirst().orElseThrow();
        assertThat(row.getText()).as("names beside the ids").contains("user " + ann.name()).contains(ann.id())
                .contains("device " + agent.hostname).contains(agent.deviceId).contains("password.read")
                .contains("reason required");
        chromium.screenshot(SCREENSHOTS, "admin-rules");
        assertThat(api.audit("principal=user:" + admin.id() + "&action=" + AuditActions.RULE_CREATE)).hasSize(1);

        signIn(ann);
        open("/devices/" + agent.deviceId);
        find("#reveal-password-reason").sendKeys("ticket 7");
        find("#reveal-password button").click();
        WebElement secret = waiting().until(d -> d.findElement(By.cssSelector("#password")));
        secret.findElement(By.tagName("summary")).click();
        assertThat(secret.findElement(By.cssSelector(".secret-value")).getText()).isEqualTo("Rule-made-1");
        assertThat(chromium.consoleErrors()).isEmpty();
    }

    @Test
    void aRegistrationKeyIsShownOnceAndNotOnReloadOrInTheList() throws Exception {
        Person admin = person(true);
        signIn(admin);
        open("/admin/registration-keys");
        String name = "build farm " + admin.name();
        find("#key-name").sendKeys(name);
        find("#key-max-uses").sendKeys("3");
        submit("registration-key-form");
        WebElement shown = waiting().until(d -> d.findElement(By.id("registration-key")));
        String key = shown.getText();
        assertThat(key).hasSizeGreaterThan(20);
        assertThat(browser.getCurrentUrl()).as("history entry replaced by the list").endsWith("/admin/registration-keys");
        chromium.screenshot(SCREENSHOTS, "admin-registration-key-once");

        browser.navigate().refresh();
        waiting().until(d -> d.getTitle().startsWith("Registration keys"));
        assertThat(browser.getPageSource()).as("not on reload").doesNotContain(key);
        assertThat(find("#registration-keys").getText()).contains(name).contains("0 of 3");
        assertThat(server.get("/api/v1/registration-keys").body()).doesNotContain(key);
        assertThat(api.audit("principal=user:" + admin.id() + "&action=" + AuditActions.REGISTRATION_KEY_CREATE))
                .as("one key made: the reload did not post again").hasSize(1);

        TestAgent agent = new TestAgent(server);
        assertThat(agent.register(key).status()).as("the key shown is the real one").isEqualTo(201);

        WebElement row = browser.findElements(By.cssSelector("#registration-keys tr[data-key]")).stream()
                .filter(r -> r.getText().contains(name)).findFirst().orElseThrow();
        row.findElement(By.cssSelector("button")).click();
        waitFor("Registration key revoked");
        assertThat(browser.findElements(By.cssSelector("#registration-keys tr[data-key]")).stream()
                .filter(r -> r.getText().contains(name)).findFirst().orElseThrow()
                .findElement(By.cssSelector(".status")).getText()).startsWith("revoked");
        assertThat(new TestAgent(server).register(key).status()).as("revoked").isEqualTo(403);
        assertThat(chromium.consoleErrors()).isEmpty();
    }

    @Test
    void aDeviceDeletedOnThePageStaysRevealableUntilTheRetentionEnds() throws Exception {
        Person admin = person(true);
        TestAgent agent = device(null, "Kept-after-delete-1");
        signIn(admin);
        open("/devices/" + agent.deviceId);
        find("#manage-link").click();
        waiting().until(d -> d.getTitle().startsWith("Manage"));

        find("#delete-confirm").sendKeys("not-the-name");
        submit("delete");
        assertThat(errorShown()).contains("type its host name");
        assertThat(server.get("/api/v1/devices/" + agent.deviceId).json().get("status").asText()).isEqualTo("active");

        find("#back-to-form").click();
        find("#delete-confirm").sendKeys(agent.hostname);
        find("#delete-reason").sendKeys("laptop returned");
        submit("delete");
        waitFor("Device deleted.");
        assertThat(find("#status").getText()).isEqualTo("deleted");
        assertThat(find("#retention").getText()).contains("stay revealable");
        JsonNode deleted = server.get("/api/v1/devices/" + agent.deviceId).json();
        assertThat(deleted.get("status").asText()).isEqualTo("deleted");
        assertThat(find("#retention").getText()).contains(deleted.get("purgeAfter").asText());
        assertThat(api.audit("device=" + agent.deviceId + "&action=" + AuditActions.DEVICE_DELETE)).singleElement()
                .satisfies(r -> assertThat(r.get("reason").asText()).isEqualTo("laptop returned"));

        open("/?q=" + agent.hostname);
        assertThat(browser.findElements(By.linkText(agent.hostname))).as("out of the search").isEmpty();
        open("/admin/devices?deleted=true");
        assertThat(find("#devices").getText()).contains(agent.hostname);
        chromium.screenshot(SCREENSHOTS, "admin-deleted-devices");

        browser.findElement(By.linkText(agent.hostname)).click();
        find("#reveal-link").click();
        find("#reveal-password-reason").sendKeys("restore from backup");
        find("#reveal-password button").click();
        WebElement secret = waiting().until(d -> d.findElement(By.cssSelector("#password")));
        secret.findElement(By.tagName("summary")).click();
        assertThat(secret.findElement(By.cssSelector(".secret-value")).getText()).isEqualTo("Kept-after-delete-1");

        open("/devices/" + agent.deviceId + "/manage");
        js("document.getElementById('purge-reason').removeAttribute('required');");
        submit("purge");
        assertThat(errorShown()).contains("a reason is required");
        assertThat(server.get("/api/v1/devices/" + agent.deviceId).status()).isEqualTo(200);
        find("#back-to-form").click();
        find("#purge-reason").sendKeys("disk shredded");
        submit("purge");
        waitFor("Deleted device purged");
        assertThat(server.get("/api/v1/devices/" + agent.deviceId).status()).isEqualTo(404);
    }

    @Test
    void aWaitingDeviceIsApprovedThenDisabledAndEnabledOnItsManagePage() throws Exception {
        Person admin = person(true);
        TestServer.Reply key = server.post("/api/v1/registration-keys", Map.of("name", "needs approval",
                "requireApproval", true));
        TestAgent agent = new TestAgent(server);
        assertThat(agent.register(key.json().get("key").asText()).status()).isEqualTo(201);
        signIn(admin);
        open("/devices/" + agent.deviceId + "/manage");
        assertThat(find("#status").getText()).isEqualTo("pending-approval");
        submit("approve");
        waitFor("Device approved.");
        assertThat(find("#status").getText()).isEqualTo("active");
        submit("disable");
        waitFor("Device disabled");
        assertThat(server.get("/api/v1/devices/" + agent.deviceId).json().get("status").asText()).isEqualTo("disabled");
        submit("enable");
        waitFor("Device enabled.");
        assertThat(server.get("/api/v1/devices/" + agent.deviceId).json().get("status").asText()).isEqualTo("active");
        assertThat(api.audit("device=" + agent.deviceId + "&action=" + AuditActions.DEVICE_APPROVE)).singleElement()
                .satisfies(r -> assertThat(r.get("principal").asText()).isEqualTo("user:" + admin.id()));
    }

    @Test
    void usersWithTheirSecondFactorAndGroupsWithTheirMembersAreManagedOnThePages() throws Exception {
        Person admin = person(true);
        String name = "new-" + UUID.randomUUID().toString().substring(0, 8);
        signIn(admin);
        open("/admin/users");
        find("#user-name").sendKeys(name);
        find("#user-password").sendKeys("Fresh-password-123");
        submit("user-form");
        waitFor("User created.");
        assertThat(find("tr[data-user='" + name + "'] .mfa").getText()).startsWith("none yet");
        String id = null;
        for (JsonNode u : server.get("/api/v1/users?limit=1000").json()) {
            if (u.get("name").asText().equals(name)) {
                id = u.get("id").asText();
            }
        }
        assertThat(id).isNotNull();
        signIn(new Person(id, name, "Fresh-password-123")); // enrols TOTP
        signIn(admin);
        open("/admin/users");
        assertThat(find("tr[data-user='" + name + "'] .mfa").getText()).startsWith("TOTP since");
        assertThat(browser.findElements(By.id("disable-" + admin.name()))).as("an admin cannot disable themselves")
                .isEmpty();
        submit("disable-" + name);
        waitFor("User disabled.");
        assertThat(find("tr[data-user='" + name + "']").getText()).contains("disabled since");
        assertThat(server.get("/api/v1/users/" + id).json().get("disabledAt").isNull()).isFalse();

        open("/admin/user-groups");
        String group = "desk " + name;
        find("#group-name").sendKeys(group);
        new Select(find("#group-members")).selectByVisibleText(name);
        submit("user-group-form");
        waitFor("User group created.");
        WebElement section = find("section[data-group='" + group + "']");
        assertThat(section.findElement(By.cssSelector(".members")).getText()).isEqualTo("Members: " + name);
        String groupId = section.findElement(By.cssSelector("form[id^=members-]")).getAttribute("id").substring(8);
        new Select(find("#members-select-" + groupId)).selectByVisibleText(admin.name());
        submit("members-" + groupId);
        waitFor("Members saved.");
        assertThat(server.get("/api/v1/user-groups/" + groupId).json().get("members").toString()).contains(id)
                .contains(admin.id());
        submit("delete-group-" + groupId);
        waitFor("User group deleted.");
        assertThat(server.get("/api/v1/user-groups/" + groupId).status()).isEqualTo(404);
    }

    @Test
    void aChannelKeepsItsSecretWriteOnlyAndARuleNotifyingItIsDeleted() throws Exception {
        Person admin = person(true);
        String tag = UUID.randomUUID().toString().substring(0, 8);
        signIn(admin);
        open("/admin/channels");
        find("#channel-name").sendKeys("hook " + tag);
        find("#channel-url").sendKeys("https://hooks.example.com/castellan/" + tag);
        find("#channel-secret").sendKeys("write-only-secret-" + tag);
        submit("channel-form");
        waitFor("Channel created.");
        assertThat(find("tr[data-channel='hook " + tag + "']").getText()).contains("https://hooks.example.com/castellan/" + tag);
        assertThat(browser.getPageSource()).doesNotContain("write-only-secret-" + tag);
        String channelId = null;
        for (JsonNode ch : server.get("/api/v1/channels").json()) {
            if (ch.get("name").asText().equals("hook " + tag)) {
                channelId = ch.get("id").asText();
            }
        }
        assertThat(channelId).isNotNull();
        String ruleId = api.rule(Map.of("name", "notify " + tag, "principals", List.of("user:" + admin.id()),
                "targets", List.of("all"), "permissions", List.of("password.read"), "channels", List.of(channelId)));
        open("/admin/rules");
        assertThat(find("tr[data-rule='" + ruleId + "']").getText()).contains("notifies hook " + tag);
        submit("delete-rule-" + ruleId);
        waitFor("Rule deleted.");
        assertThat(server.get("/api/v1/rules/" + ruleId).status()).isEqualTo(404);
        open("/admin/channels");
        submit("delete-channel-" + channelId);
        waitFor("Channel deleted.");
        assertThat(server.get("/api/v1/channels").body()).doesNotContain(channelId);
    }

    @Test
    void aPatternGroupPreviewsItsMatchingDevicesBeforeItIsSaved() throws Exception {
        Person admin = person(true);
        String tag = UUID.randomUUID().toString().substring(0, 6);
        TestAgent one = device("pv-" + tag + "-web1", null);
        TestAgent two = device("pv-" + tag + "-web2", null);
        TestAgent other = device("pv-" + tag + "-db1", null);
        signIn(admin);
        open("/admin/device-groups");
        String name = "web servers " + tag;
        find("#dg-name").sendKeys(name);
        find("#dg-hostname").sendKeys("pv-" + tag + "-web*");
        new Select(find("#dg-os")).selectByVisibleText("Linux");
        find("#dg-preview").click();
        WebElement preview = waiting().until(d -> d.findElement(By.id("preview-devices")));
        assertThat(preview.getText()).contains(one.hostname).contains(two.hostname).doesNotContain(other.hostname);
        assertThat(find("#dg-hostname").getAttribute("value")).as("the form keeps what was typed")
                .isEqualTo("pv-" + tag + "-web*");
        assertThat(server.get("/api/v1/device-groups").body()).as("a preview saves nothing").doesNotContain(name);
        chromium.screenshot(SCREENSHOTS, "admin-device-group-preview");

        find("#dg-save").click();
        waitFor("Device group created");
        JsonNode group = null;
        for (JsonNode g : server.get("/api/v1/device-groups").json()) {
            if (g.get("name").asText().equals(name)) {
                group = g;
            }
        }
        assertThat(group).isNotNull();
        assertThat(group.get("match").get("hostname").asText()).isEqualTo("pv-" + tag + "-web*");
        assertThat(group.get("match").get("os").asText()).isEqualTo("linux");
        assertThat(server.get("/api/v1/devices/" + one.deviceId).json().get("groups").toString())
                .contains(group.get("id").asText());
        assertThat(server.get("/api/v1/devices/" + other.deviceId).json().get("groups").toString())
                .doesNotContain(group.get("id").asText());
    }

    @Test
    void aDeviceGroupsDevicesArePagedOnItsPageAndAListedOneIsRemovedByItsButton() throws Exception {
        Person admin = person(true);
        String tag = UUID.randomUUID().toString().substring(0, 6);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < DeviceGroupPages.MEMBERS + 3; i++) {
            expected.add(device("pg-" + tag + "-" + i, null).hostname);
        }
        TestAgent listed = device("pl-" + tag, null);
        expected.add(listed.hostname);
        String id = api.deviceGroup("paged " + tag, List.of(listed.deviceId), Map.of("hostname", "pg-" + tag + "-*"),
                null);
        signIn(admin);
        open("/admin/device-groups");
        assertThat(find("#device-groups tr[data-group=\"paged " + tag + "\"]").getText())
                .as("the list counts, it does not list").contains("1 listed").contains((expected.size() - 1) + " matching")
                .doesNotContain(listed.hostname);
        find("#edit-device-group-" + id).click();
        waiting().until(d -> d.getTitle().startsWith("Device group paged " + tag));
        List<String> shown = new ArrayList<>();
        List<String> first = memberRows();
        assertThat(first).as("one page").hasSize(DeviceGroupPages.MEMBERS);
        shown.addAll(first);
        int buttons = browser.findElements(By.cssSelector("#dg-member-table form")).size();
        find("#members-next-page").click();
        waiting().until(d -> d.getCurrentUrl().contains("after="));
        List<String> second = memberRows();
        buttons += browser.findElements(By.cssSelector("#dg-member-table form")).size();
        assertThat(browser.findElements(By.id("members-next-page"))).as("the last page").isEmpty();
        shown.addAll(second);
        assertThat(shown).as("every device once").doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);

        // Only a listed device has a Remove button; it leaves, the matched ones stay.
        assertThat(buttons).as("one Remove button, for the one listed device").isEqualTo(1);
        open("/admin/device-groups/" + id + "/edit");
        if (browser.findElements(By.id("dg-remove-" + listed.deviceId)).isEmpty()) {
            find("#members-next-page").click();
        }
        find("#dg-remove-" + listed.deviceId + " button").click();
        waitFor("Members changed");
        assertThat(find("#dg-member-count").getText()).isEqualTo("0 listed, " + (expected.size() - 1) + " matching");
        assertThat(server.get("/api/v1/device-groups/" + id).json().get("memberCount").asLong()).isZero();
        assertThat(api.audit("action=" + AuditActions.DEVICE_GROUP_UPDATE)).anySatisfy(r -> assertThat(
                r.get("detail").asText()).contains("removed [" + listed.deviceId + "]"));
    }

    /** The host names of the members table's rows on the page shown. */
    private static List<String> memberRows() {
        return browser.findElements(By.cssSelector("#dg-member-table tr[data-member]")).stream()
                .map(r -> r.getAttribute("data-member")).toList();
    }

    @Test
    void aDeviceGroupIsEditedOnItsPageWithAPreviewAndBadEditsChangeNothing() throws Exception {
        Person admin = person(true);
        String tag = UUID.randomUUID().toString().substring(0, 6);
        TestAgent web = device("ed-" + tag + "-web1", null);
        TestAgent db = device("ed-" + tag + "-db1", null);
        TestAgent named = device("ed-" + tag + "-named", null);
        String id = api.deviceGroup("edit me " + tag, List.of(), Map.of("hostname", "ed-" + tag + "-web*"), null);
        signIn(admin);
        open("/admin/device-groups");
        find("#edit-device-group-" + id).click();
        waiting().until(d -> d.getTitle().startsWith("Device group edit me " + tag));
        assertThat(find("#dg-hostname").getAttribute("value")).as("the form shows the group as it is")
                .isEqualTo("ed-" + tag + "-web*");
        assertThat(find("#dg-member-table").getText()).contains(web.hostname).contains("matching")
                .doesNotContain(named.hostname);

        // Members change apart from the group's fields, through the API's member change.
        find("#dg-add").sendKeys(named.hostname);
        find("#dg-members-save").click();
        waitFor("Members changed");
        assertThat(find("#dg-member-table tr[data-member=\"" + named.hostname + "\"]").getText()).contains(named.deviceId)
                .contains("listed");
        assertThat(find("#dg-member-count").getText()).isEqualTo("1 listed, 1 matching");

        find("#dg-hostname").clear();
        find("#dg-hostname").sendKeys("ed-" + tag + "-db*");
        find("#dg-preview").click();
        WebElement preview = waiting().until(d -> d.findElement(By.id("preview-devices")));
        assertThat(preview.getText()).contains(db.hostname).doesNotContain(web.hostname);
        assertThat(server.get("/api/v1/device-groups/" + id).json().get("match").get("hostname").asText())
                .as("a preview saves nothing").isEqualTo("ed-" + tag + "-web*");

        find("#dg-name").clear();
        find("#dg-name").sendKeys("databases " + tag);
        find("#dg-save").click();
        waitFor("Device group saved");
        JsonNode group = server.get("/api/v1/device-groups/" + id).json();
        assertThat(group.get("name").asText()).isEqualTo("databases " + tag);
        assertThat(group.get("match").get("hostname").asText()).isEqualTo("ed-" + tag + "-db*");
        assertThat(group.get("memberCount").asLong()).as("saving the form kept the members").isEqualTo(1);
        assertThat(server.get("/api/v1/devices/" + named.deviceId).json().get("groups").toString()).contains(id);
        assertThat(server.get("/api/v1/devices/" + db.deviceId).json().get("groups").toString()).contains(id);
        assertThat(server.get("/api/v1/devices/" + web.deviceId).json().get("groups").toString()).doesNotContain(id);
        assertThat(api.audit("action=" + AuditActions.DEVICE_GROUP_UPDATE)).anySatisfy(r -> assertThat(
                r.get("principal").asText()).isEqualTo("user:" + admin.id()));

        // Bad edits: a control character, an oversized name, a bad pattern, a forged post; nothing changes.
        open("/admin/device-groups/" + id + "/edit");
        js("document.getElementById('dg-name').value = 'bad\\u0007name';");
        find("#dg-save").click();
        assertThat(errorShown()).contains("field 'name' must be 1-100 characters");
        find("#back-to-form").click();
        waiting().until(d -> d.getTitle().startsWith("Device group databases " + tag));
        js("document.getElementById('dg-name').value = 'n'.repeat(" + (Forms.MAX_VALUE + 1) + ");");
        find("#dg-save").click();
        assertThat(errorShown()).contains("longer than " + Forms.MAX_VALUE);
        open("/admin/device-groups/" + id + "/edit");
        find("#dg-hostname").clear();
        find("#dg-hostname").sendKeys("web[1]");
        find("#dg-save").click();
        assertThat(errorShown()).contains("may only contain");
        open("/admin/device-groups/" + id + "/edit");
        find("#dg-name").clear();
        find("#dg-name").sendKeys("forged " + tag);
        js("document.querySelector('#device-group-edit-form input[name=csrf]').remove();");
        find("#dg-save").click();
        assertThat(errorShown()).contains("did not come from this site");
        assertThat(server.get("/api/v1/device-groups/" + id).json()).isEqualTo(group);
    }

    @Test
    void aJitRequestIsApprovedByASecondPersonNeverItsRequesterAndThenRevoked() throws Exception {
        Person ann = person(false);
        Person bob = person(false);
        TestAgent agent = device(null, null);
        api.rule(Map.of("principals", List.of("user:" + ann.id(), "user:" + bob.id()), "targets",
                List.of("device:" + agent.deviceId), "permissions", List.of("device.jit"), "requireApproval", true));

        signIn(ann);
        open("/devices/" + agent.deviceId);
        find("#jit-link").click();
        waiting().until(d -> d.getTitle().startsWith("Admin rights on"));
        find("#jit-user").sendKeys("deploy");
        new Select(find("#jit-minutes")).selectByVisibleText("2 hours");
        find("#jit-reason").sendKeys("ticket 4711");
        submit("jit-request");
        waitFor("Request recorded");
        WebElement row = find("#jit-device-requests tr[data-jit]");
        String grantId = row.getAttribute("data-jit");
        assertThat(row.getText()).contains("deploy").contains("120 min").contains("pending approval")
                .contains(ann.name()).contains("ticket 4711");
        assertThat(row.findElements(By.id("approve-" + grantId))).as("no approve button for the requester").isEmpty();

        // The requester forges the approval (with a valid CSRF token): the server refuses it.
        js("const f = document.createElement('form'); f.method = 'post'; f.action = arguments[0];"
                + " f.appendChild(document.querySelector('input[name=csrf]').cloneNode());"
                + " document.body.appendChild(f); f.submit();",
                "/devices/" + agent.deviceId + "/jit/" + grantId + "/approve");
        assertThat(errorShown()).contains("someone other than its requester");
        assertThat(jit(grantId).get("status").asText()).isEqualTo("pending");

        signIn(bob);
        find("#nav-jit").click();
        waiting().until(d -> d.getTitle().startsWith("Just-in-time"));
        find("#approve-" + grantId + " input[name=reason]").sendKeys("checked with ann");
        submit("approve-" + grantId);
        waitFor("Request approved");
        assertThat(find("tr[data-jit='" + grantId + "'] .status").getText()).startsWith("active until");
        assertThat(jit(grantId).get("approvedBy").asText()).isEqualTo("user:" + bob.id());
        chromium.screenshot(SCREENSHOTS, "jit-active");

        submit("revoke-" + grantId);
        waitFor("Revoked:");
        assertThat(find("tr[data-jit='" + grantId + "'] .status").getText()).isEqualTo("revoked");
        assertThat(jit(grantId).get("status").asText()).isEqualTo("revoked");
        assertThat(api.audit("device=" + agent.deviceId + "&action=" + AuditActions.JIT_APPROVE))
                .extracting(r -> r.get("principal").asText() + " " + r.get("outcome").asText())
                .containsExactlyInAnyOrder("user:" + ann.id() + " denied", "user:" + bob.id() + " granted");
        assertThat(api.audit("device=" + agent.deviceId + "&action=" + AuditActions.JIT_REVOKE)).hasSize(1);
    }

    static JsonNode jit(String grantId) throws Exception {
        for (JsonNode g : server.get("/api/v1/jit").json()) {
            if (g.get("id").asText().equals(grantId)) {
                return g;
            }
        }
        throw new AssertionError("no jit request " + grantId);
    }

    @Test
    void aNonAdminGetsNoAdminPageAndSeesNoDeviceOutsideItsRules() throws Exception {
        Person carl = person(false);
        TestAgent mine = device(null, "Carls-own-1");
        TestAgent hidden = device(null, "Not-carls-1");
        api.rule(Map.of("principals", List.of("user:" + carl.id()), "targets", List.of("device:" + mine.deviceId),
                "permissions", List.of("password.read", "device.jit")));
        signIn(carl);
        assertThat(browser.findElements(By.id("nav-admin"))).as("no administration link").isEmpty();
        for (String page : List.of("/admin", "/admin/rules", "/admin/users", "/admin/user-groups",
                "/admin/device-groups", "/admin/registration-keys", "/admin/devices", "/admin/devices?deleted=true",
                "/admin/channels", "/devices/" + hidden.deviceId + "/manage", "/devices/" + hidden.deviceId + "/jit",
                "/devices/" + hidden.deviceId)) {
            open(page);
            assertThat(find("h1").getText()).as(page).isEqualTo("403 · Not allowed");
            assertThat(browser.getPageSource()).as(page).doesNotContain(hidden.hostname);
        }
        open("/devices/" + UUID.randomUUID() + "/manage");
        assertThat(find("h1").getText()).as("an unknown id answers as a hidden one").isEqualTo("403 · Not allowed");

        open("/devices/" + mine.deviceId + "/manage");
        assertThat(find("#no-manage").getText()).contains("device.manage");
        assertThat(browser.findElements(By.id("delete"))).as("no form the guard would refuse").isEmpty();
        open("/?q=host-");
        assertThat(browser.getPageSource()).contains(mine.hostname).doesNotContain(hidden.hostname);
        open("/jit?host=" + hidden.hostname);
        assertThat(find("p.error").getText()).isEqualTo("No machine you may see is named " + hidden.hostname + ".");
        assertThat(api.audit("principal=user:" + carl.id() + "&action=" + AuditActions.DEVICE_LOOKUP))
                .as("a look-up by name of a hidden device is on record, as through the API").singleElement()
                .satisfies(r -> assertThat(r.get("deviceId").asText()).isEqualTo(hidden.deviceId));
        open("/jit?host=" + mine.hostname);
        waiting().until(d -> d.getTitle().startsWith("Admin rights on " + mine.hostname));

        // A forged post with a valid CSRF token to the hidden device: the API's 403, nothing changes.
        open("/jit");
        js("const f = document.createElement('form'); f.method = 'post'; f.action = arguments[0];"
                + " f.appendChild(document.querySelector('input[name=csrf]').cloneNode());"
                + " const c = document.createElement('input'); c.name = 'confirm'; c.value = arguments[1]; f.appendChild(c);"
                + " document.body.appendChild(f); f.submit();",
                "/devices/" + hidden.deviceId + "/delete", hidden.hostname);
        waiting().until(d -> d.getTitle().startsWith("Refused"));
        assertThat(find("h1").getText()).isEqualTo("403 · Not allowed");
        assertThat(server.get("/api/v1/devices/" + hidden.deviceId).json().get("status").asText()).isEqualTo("active");
        assertThat(api.audit("principal=user:" + carl.id() + "&action=" + AuditActions.DEVICE_DELETE)).singleElement()
                .satisfies(r -> assertThat(r.get("outcome").asText()).isEqualTo("denied"));
    }

    @Test
    void badInputThroughTheFormsGetsAClearMessageAndChangesNothing() throws Exception {
        Person admin = person(true);
        signIn(admin);

        open("/admin/users");
        js("document.getElementById('user-name').value = 'bad\\u0007name';");
        find("#user-password").sendKeys("Long-enough-password-1");
        submit("user-form");
        assertThat(errorShown()).contains("field 'name' must be 1-64 characters");
        assertThat(server.get("/api/v1/users?limit=1000").body()).doesNotContain("bad\\u0007name").doesNotContain("badname");

        open("/admin/rules");
        js("document.getElementById('rule-name').value = 'r'.repeat(300);");
        new Select(find("#rule-principals")).selectByVisibleText("user " + admin.name());
        find("#rule-all").click();
        find("#perm-password-read").click();
        submit("rule-form");
        assertThat(errorShown()).contains("field 'name' must be 1-100 characters");
        find("#back-to-form").click();
        waiting().until(d -> d.getTitle().startsWith("Rules"));
        assertThat(server.get("/api/v1/rules?limit=1000").body()).doesNotContain("r".repeat(101));

        js("document.getElementById('rule-name').value = 'x'.repeat(" + (Forms.MAX_VALUE + 1) + ");");
        submit("rule-form");
        assertThat(errorShown()).contains("longer than " + Forms.MAX_VALUE);
        assertThat(server.get("/api/v1/rules?limit=1000").body()).doesNotContain("x".repeat(101));

        open("/admin/device-groups");
        find("#dg-name").sendKeys("bad pattern");
        find("#dg-hostname").sendKeys("web[1]");
        find("#dg-preview").click();
        assertThat(errorShown()).contains("may only contain");
        assertThat(server.get("/api/v1/device-groups").body()).doesNotContain("bad pattern");

        open("/admin/channels");
        find("#channel-name").sendKeys("forged hook");
        find("#channel-url").sendKeys("https://hooks.example.com/x");
        find("#channel-secret").sendKeys("sixteen-characters-at-least");
        js("document.querySelector('#channel-form input[name=csrf]').remove();");
        submit("channel-form");
        assertThat(errorShown()).contains("did not come from this site");
        assertThat(server.get("/api/v1/channels").body()).doesNotContain("forged hook");

        open("/admin/registration-keys");
        find("#key-name").sendKeys("never");
        js("document.getElementById('key-max-uses').value = '0';");
        submit("registration-key-form");
        assertThat(errorShown()).contains("'maxUses' must be at least 1");
        assertThat(server.get("/api/v1/registration-keys").body()).doesNotContain("\"never\"");
    }
}
