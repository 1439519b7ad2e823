package org.ccbridge.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.ccbridge.broker.BrokerTopology;
import org.ccbridge.broker.DeadLetterProcessor;
import org.ccbridge.notify.OutboxRelay;
import org.ccbridge.support.ApiClient;
import org.ccbridge.support.EmbeddedModeTestSupport;
import org.ccbridge.support.LocalService;
import org.ccbridge.support.RequiresServices;
import org.ccbridge.support.WebhookClient;
import org.ccbridge.sync.ChangeOrigin;
import org.ccbridge.sync.RecordState;
import org.ccbridge.sync.ReviewItem;
import org.ccbridge.sync.ReviewQueue;
import org.ccbridge.sync.SyncStatus;
import org.ccbridge.sync.SyncSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The operator console in headless Chromium against the running service: sign in with the admin
 * token, follow an event's fate, inspect and replay a dead letter, decide a review item field by
 * field, see circuits, queues and lanes, and retry a failed notification. Each page is
 * photographed into target/console-screenshots, and into the folder named by
 * {@code -Dccbridge.console.screenshots} (docs/console for the committed ones).
 */
@RequiresServices(LocalService.CHROMIUM)
class ConsoleBrowserTests extends EmbeddedModeTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static WebDriver browser;

    @Autowired
    private ReviewQueue reviews;

    @Autowired
    private OutboxRelay relay;

    @Autowired
    private JdbcTemplate jdbc;

    @BeforeAll
    static void openBrowser() throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(LocalService.CHROMIUM_BINARY.toFile());
        // without the background-networking flags Chromium keeps calling hosts this closed network refuses
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + Files.createTempDirectory("ccbridge-chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(LocalService.CHROMEDRIVER_BINARY.toFile()).build();
        browser = new ChromeDriver(service, options);
        browser.manage().window().setSize(new Dimension(1400, 950));
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void anOperatorFollowsAnEventReplaysADeadLetterDecidesAReviewAndRetriesANotification() throws Exception {
        String eventId = WebhookClient.newEventId();
        assertThat(client.postDemo(eventId, WebhookClient.demoEvent("voice", "C-1001")).statusCode()).isEqualTo(200);
        String deadLetter = deadLetter();
        long reviewId = conflict();
        String failed = failedNotification();

        signIn();

        // event fate, found by its id
        browser.findElement(By.id("event-search-value")).sendKeys(eventId);
        browser.findElement(By.cssSelector("#event-search button")).click();
        waitFor(By.cssSelector("#event-story tr[data-stage='PUBLISHED']"));
        assertThat(browser.findElement(By.cssSelector("#event-story tr[data-stage='RECEIVED']")).getText())
                .contains("200 ACCEPTED").contains("interaction.wrapup");
        photograph("console-event-fate");

        // dead letters: listed, inspected, replayed by selection
        browser.findElement(By.linkText("Dead letters")).click();
        WebElement row = waitFor(By.cssSelector("#dlq-list tr[data-message-id='" + deadLetter + "']"));
        assertThat(row.getText()).contains("TargetRejectedException").contains("demo.voice.interaction.wrapup");
        row.findElement(By.cssSelector("button.dlq-inspect")).click();
        assertThat(waitFor(By.id("dlq-body")).getText()).contains("\"disposition\"");
        photograph("console-dead-letters");
        browser.findElement(By.cssSelector("#dlq-list tr[data-message-id='" + deadLetter + "'] input.dlq-select")).click();
        browser.findElement(By.id("dlq-replay-selected")).click();
        waitForText(By.id("banner"), "Replayed 1");
        assertThat(browser.findElements(By.cssSelector("#dlq-list tr[data-message-id='" + deadLetter + "']"))).isEmpty();

        // a review item: both sides field by field, merged and decided
        browser.findElement(By.linkText("Reviews")).click();
        waitFor(By.cssSelector("#reviews-list tr[data-review-id='" + reviewId + "'] a")).click();
        WebElement phone = waitFor(By.cssSelector("input.merged[name='phone']"));
        assertThat(browser.findElement(By.cssSelector("#review-detail tr[data-field='email']")).getText())
                .contains("old@example.com").contains("new@example.com");
        phone.clear();
        phone.sendKeys("+12025550199");
        photograph("console-review");
        browser.findElement(By.id("decided-by")).sendKeys("ops-console");
        browser.findElement(By.id("take-merged")).click();
        waitForText(By.id("banner"), "decided: merged");
        ReviewItem decided = reviews.find(reviewId).orElseThrow();
        assertThat(decided.decision()).isEqualTo(ReviewItem.Decision.MERGED);
        assertThat(decided.decidedFields()).containsEntry("phone", "+12025550199");
        assertThat(decided.decidedBy()).isEqualTo("ops-console");

        // circuits, queues, lanes and failed notifications, with a retry
        browser.findElement(By.partialLinkText("Circuits")).click();
        assertThat(waitFor(By.cssSelector("#circuits tr[data-circuit='dedup-store']")).getText()).contains("CLOSED");
        waitFor(By.cssSelector("#queues tr[data-queue='" + BrokerTopology.VOICE_QUEUE + "']"));
        WebElement failedRow = waitFor(By.cssSelector("#failed-notifications tr[data-notification-id='" + failed + "']"));
        assertThat(failedRow.getText()).contains("no provider configured");
        photograph("console-circuits-queues-notifications");
        failedRow.findElement(By.cssSelector("button.retry")).click();
        waitForText(By.id("banner"), "will be sent again");
        assertThat(jdbc.queryForObject("SELECT status FROM ccbridge_outbox WHERE notification_id = ?", String.class,
                failed)).isEqualTo("PENDING");
    }

    @Test
    void aWrongTokenIsRefusedAndThePageHoldsNoDataWithoutOne() {
        browser.get("http://127.0.0.1:" + port + "/console");
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
        browser.navigate().refresh();
        waitFor(By.id("token")).sendKeys("not-a-token");
        browser.findElement(By.cssSelector("#sign-in button")).click();

        waitForText(By.id("banner"), "token was not accepted");
        assertThat(browser.findElement(By.id("tabs")).isDisplayed()).isFalse();
        assertThat(browser.getPageSource()).doesNotContain("ccbridge.voice.interactions");
    }

    private void signIn() {
        browser.get("http://127.0.0.1:" + port + "/console");
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
        browser.navigate().refresh();
        waitFor(By.id("token")).sendKeys(ADMIN_TOKEN);
        browser.findElement(By.cssSelector("#sign-in button")).click();
        waitFor(By.id("event-search-value"));
    }

    /** A dead letter as the lanes leave one: the event's body and headers, its error and routing key. */
    private String deadLetter() {
        String eventId = "evt-dlq-" + UUID.randomUUID();
        String messageId = "demo:" + eventId;
        rabbitTemplate.send("", BrokerTopology.DEAD_LETTER_QUEUE, MessageBuilder
                .withBody(WebhookClient.demoEvent("voice", "C-1002").getBytes())
                .setContentType("application/json").setMessageId(messageId)
                .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
                .setHeader("ccbridge-source", "demo").setHeader("ccbridge-event-id", eventId)
                .setHeader("ccbridge-type", "interaction.wrapup")
                .setHeader(DeadLetterProcessor.ERROR_HEADER, "TargetRejectedException: target salesforce answered 400: "
                        + "INVALID_FIELD")
                .setHeader(DeadLetterProcessor.ATTEMPTS_HEADER, 1)
                .setHeader(DeadLetterProcessor.FIRST_SEEN_HEADER, Instant.now().minusSeconds(90).toString())
                .setHeader(DeadLetterProcessor.DEAD_LETTERED_AT_HEADER, Instant.now().toString())
                .setHeader(DeadLetterProcessor.ROUTE_HEADER, "record-sync-contact-center")
                .setHeader(DeadLetterProcessor.ROUTING_KEY_HEADER, "demo.voice.interaction.wrapup").build());
        return messageId;
    }

    /** Two edits of version 3 too close to decide: the stored one from the CRM, the incoming one from an agent. */
    private long conflict() {
        String key = "C-" + UUID.randomUUID().toString().substring(0, 8);
        RecordState stored = new RecordState("Contact", key, 3, 2L, 3L, Instant.now().minusSeconds(40), SyncSystem.CRM,
                ChangeOrigin.CRM_UPDATE, Map.of("phone", "+12025550143", "email", "old@example.com"), "hash", Map.of(),
                SyncStatus.RESOLVED, null, "evt-stored", Instant.now().minusSeconds(40), null, 0, false, 7, Set.of());
        return reviews.add("Contact", key, ReviewItem.Kind.CONFLICT, "edited on both sides 2 s apart, within the "
                        + "tolerance", stored, Map.of("phone", "+12025550100", "email", "new@example.com"), 3L,
                SyncSystem.CONTACT_CENTER, "evt-incoming", Instant.now());
    }

    /** A notification the relay gave up on: the embedded default has no provider for sms. */
    private String failedNotification() throws Exception {
        String request = "{\"channel\":\"sms\",\"recipient\":\"(202) 555-0143\",\"template\":\"reminder\","
                + "\"customerId\":\"cust-console\",\"messageType\":\"appointment-reminder\"}";
        String id = new ObjectMapper().readTree(new ApiClient(port, DEV_API_KEY).sendWithHeaders("POST", "/notifications",
                request, Map.of("Idempotency-Key", "console-" + UUID.randomUUID())).body()).get("id").asText();
        for (int i = 0; i < 50 && !"FAILED".equals(jdbc.queryForObject(
                "SELECT status FROM ccbridge_outbox WHERE notification_id = ?", String.class, id)); i++) {
            relay.relayOnce();
        }
        return id;
    }

    private static WebElement waitFor(By locator) {
        return new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    private static void waitForText(By locator, String text) {
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(locator, text));
    }

    private static void photograph(String name) throws IOException {
        Path shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE).toPath();
        Path target = Path.of("target", "console-screenshots");
        Files.createDirectories(target);
        Files.copy(shot, target.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        String committed = System.getProperty("ccbridge.console.screenshots");
        if (committed != null) {
            Files.createDirectories(Path.of(committed));
            Files.copy(shot, Path.of(committed, name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
