package dev.ticklake.orchestrator.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.feeds.kafka.EmbeddedKafka;
import dev.ticklake.orchestrator.TestApps;
import dev.ticklake.orchestrator.TestFeeds;
import dev.ticklake.orchestrator.TickLakeConfiguration;
import dev.ticklake.testing.Await;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;

/**
 * The web UI in headless Chromium against the real service: embedded Kafka with 20 trades and one
 * non-JSON record carrying {@code <script>} (quarantined); the medallion DAG triggered from the
 * DAGs page, a DAG whose task fails with {@code <script>} in its error, a DAG with {@code <script>}
 * in its description, and a DAG with 500 finished runs for the grid's render time.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebUiIT {

  static final String XSS = "<script>window.__xss=1</script>";

  private static final Path DIR = dir();
  private static final EmbeddedKafka KAFKA = EmbeddedKafka.start();

  private static final DropwizardAppExtension<TickLakeConfiguration> APP =
      TestApps.app(DIR, ConfigOverride.config("kafka.bootstrapServers", KAFKA.bootstrapServers()));

  private static UiBrowser browser;
  private static UiApi api;

  /** The medallion run triggered from the DAGs page. */
  private static String medallionRun;

  private static Path dir() {
    try {
      Path d = Files.createTempDirectory("ticklake-webui");
      Files.createDirectories(d.resolve("dags"));
      Files.writeString(d.resolve("dags/medallion.yml"), TestFeeds.MANUAL_MEDALLION_DAG);
      Files.writeString(
          d.resolve("dags/broken.yml"),
          """
          dag_id: broken
          tasks:
            - {task_id: gold, pipeline: build-gold, retries: 0, options: {anomalyWindow: "%s"}}
          """
              .formatted(XSS.replace("\"", "\\\"")));
      Files.writeString(
          d.resolve("dags/xss.yml"),
          """
          dag_id: xss
          description: "%s"
          tasks:
            - {task_id: gold, pipeline: build-gold, retries: 0}
          """
              .formatted(XSS));
      Files.writeString(
          d.resolve("dags/slow.yml"),
          """
          dag_id: slow
          tasks:
            - {task_id: wait, pipeline: sleep, retries: 3, options: {millis: "600000"}}
            - {task_id: after, pipeline: noop, upstream: [wait]}
          """);
      Files.writeString(
          d.resolve("dags/many.yml"),
          """
          dag_id: many
          description: 500 finished runs written straight to the database
          tasks:
            - {task_id: a, pipeline: build-gold}
            - {task_id: b, pipeline: build-gold, upstream: [a]}
            - {task_id: c, pipeline: build-gold, upstream: [b]}
          """);
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @BeforeAll
  static void start() throws Exception {
    TestFeeds.publishTwentyTradesAnd(KAFKA.bootstrapServers(), Map.entry("AAPL", XSS));
    api = new UiApi(APP);
    browser = new UiBrowser("http://localhost:" + APP.getLocalPort());
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    KAFKA.close();
  }

  private static void login(String password) {
    browser.waitFor("#login-open").click();
    WebElement user = browser.waitFor("#login-user");
    user.clear();
    user.sendKeys("admin");
    browser.driver().findElement(By.id("login-password")).sendKeys(password);
    browser.driver().findElement(By.id("login-submit")).click();
  }

  private static double measure(String name) {
    return ((Number)
            browser.js("return performance.getEntriesByName(arguments[0])[0].duration", name))
        .doubleValue();
  }

  private static WebElement dagRow(String dagId) {
    return browser.waitFor("#dags tr[data-dag='" + dagId + "']");
  }

  // ------------------------------------------------------------------ tests

  @Test
  @Order(1)
  void wrongCredentialsShowAClearMessage() {
    browser.open("#/dags");
    login("wrong-password");
    WebElement error = browser.waitFor("#login-error");
    assertThat(error.getText()).isEqualTo("Wrong user name, password or token.");
    assertThat(browser.all("#session-actor")).isEmpty();
    browser.driver().findElement(By.id("login-cancel")).click();
    assertThat(browser.consoleErrors("401 (Unauthorized)")).isEmpty();
  }

  @Test
  @Order(2)
  void aMutatingClickWithoutLoginAsksForCredentialsAndChangesNothing() {
    browser.open("#/dags");
    dagRow("medallion").findElement(By.cssSelector("input.paused")).click();
    WebElement dialog = browser.waitFor("dialog#login[open]");
    assertThat(dialog.findElement(By.id("login-reason")).getText())
        .isEqualTo("Log in to PATCH /dags/medallion.");
    browser.driver().findElement(By.id("login-cancel")).click();
    assertThat(browser.waitFor("#messages .msg.error").getText())
        .contains("Logging in was cancelled: nothing was changed.");
    assertThat(api.dag("medallion").get("paused")).isEqualTo(false);
    assertThat(dagRow("medallion").findElement(By.cssSelector("input.paused")).isSelected())
        .isFalse();
  }

  @Test
  @Order(3)
  void triggerTheMedallionDagFromTheDagsPageAndFollowItToGreen() {
    browser.open("#/dags");
    login(TestApps.ADMIN_PASSWORD);
    assertThat(browser.waitFor("#session-actor").getText()).isEqualTo("user:admin");
    dagRow("medallion").findElement(By.cssSelector("button.trigger")).click();
    WebElement conf = browser.waitFor("#conf");
    conf.clear();
    conf.sendKeys("{not json");
    browser.driver().findElement(By.id("trigger-run")).click();
    assertThat(browser.waitFor("#conf-error").getText()).startsWith("conf is not valid JSON");
    assertThat(api.runs("medallion")).isEmpty();

    conf.clear();
    conf.sendKeys("{\"from\": \"ui\"}");
    browser.driver().findElement(By.id("trigger-run")).click();
    browser.waitFor("#grid");
    assertThat(browser.driver().getCurrentUrl()).endsWith("#/dags/medallion/grid");
    List<Map<String, Object>> runs = api.runs("medallion");
    assertThat(runs).hasSize(1);
    medallionRun = (String) runs.get(0).get("runId");
    assertThat(runs.get(0).get("conf")).isEqualTo(Map.of("from", "ui"));

    // The grid polls: the column's cells turn green without a reload.
    Await.until(
        Duration.ofMinutes(4),
        "the run's three cells to be green in the grid",
        () ->
            browser.all("#grid td.cell[data-state='success']").size() == 3
                || browser.all("#grid td.cell[data-state='failed']").size() > 0);
    assertThat(browser.all("#grid td.cell"))
        .extracting(c -> c.getAttribute("data-state"))
        .containsExactly("success", "success", "success");
    WebElement ingest = browser.waitFor("#grid tr[data-task='ingest_bronze'] td.cell");
    assertThat(ingest.getAttribute("title"))
        .matches("ingest_bronze · success · .+ · medallion__manual__.*");
    browser.screenshot("grid-medallion");

    // The task's log, with the pipeline's summary line as the API serves it.
    ingest.findElement(By.tagName("a")).click();
    WebElement log = browser.waitFor("#log[data-loaded='true']");
    String summary = api.summaryLine(medallionRun, "ingest_bronze");
    assertThat(log.getText()).contains(summary);
    assertThat(browser.waitFor("#lineage-table").getText()).contains("bronze/ticks");
    browser.screenshot("run");
    assertThat(browser.consoleErrors()).isEmpty();
  }

  @Test
  @Order(4)
  void pauseAndUnpause() {
    browser.open("#/dags");
    WebElement box = dagRow("medallion").findElement(By.cssSelector("input.paused"));
    box.click();
    Await.until(
        UiBrowser.WAIT,
        "medallion paused",
        () -> "true".equals(dagRow("medallion").getAttribute("data-paused")));
    assertThat(api.dag("medallion").get("paused")).isEqualTo(true);
    dagRow("medallion").findElement(By.cssSelector("input.paused")).click();
    Await.until(
        UiBrowser.WAIT,
        "medallion unpaused",
        () -> "false".equals(dagRow("medallion").getAttribute("data-paused")));
    assertThat(api.dag("medallion").get("paused")).isEqualTo(false);
    assertThat(browser.consoleErrors()).isEmpty();
  }

  @Test
  @Order(5)
  void aFailingDagShowsRedCellsAndItsErrorInTheLogViewEscaped() {
    String run = api.trigger("broken");
    assertThat(api.awaitRun("broken", run)).isEqualTo("failed");
    browser.open("#/dags/broken/grid");
    WebElement cell = browser.waitFor("#grid td.cell[data-state='failed']");
    assertThat(cell.getCssValue("background-color")).isEqualTo("rgba(220, 38, 38, 1)");
    cell.findElement(By.tagName("a")).click();
    WebElement log = browser.waitFor("#log[data-loaded='true']");
    String apiLog = api.log(run, "gold", 1);
    assertThat(apiLog).contains(XSS);
    assertThat(log.getText()).contains(XSS).contains("running -> failed");
    assertThat(browser.js("return window.__xss === undefined")).isEqualTo(true);
    assertThat(browser.all("#log *")).isEmpty();

    // Clear (re-run) the failed task from the run page: try 2 runs and fails the same way.
    browser.waitFor("#tasks tr[data-task='gold'] button.clear-task").click();
    assertThat(browser.waitFor("#messages .msg.info").getText())
        .startsWith("Cleared gold; the run is");
    assertThat(api.awaitTry(run, "gold", 2)).isEqualTo("failed");
    assertThat(api.awaitRun("broken", run)).isEqualTo("failed");
    browser.open("#/runs/" + run + "?task=gold&try=2");
    assertThat(browser.waitFor("#try-task").getText()).isEqualTo("gold");
    assertThat(browser.all(".tries button"))
        .extracting(WebElement::getText)
        .containsExactly("try 1", "try 2");
    assertThat(browser.waitFor("#log[data-loaded='true']").getText()).contains("start try 2");
    assertThat(browser.consoleErrors()).isEmpty();
  }

  @Test
  @Order(6)
  void scriptInADagDescriptionAndAQuarantinePayloadIsShownAsText() {
    browser.open("#/dags");
    assertThat(dagRow("xss").findElement(By.cssSelector(".description")).getText()).isEqualTo(XSS);
    browser.open("#/quality");
    WebElement rows = browser.waitFor("#quarantine-rows");
    assertThat(rows.getText()).contains(XSS);
    browser.driver().findElement(By.id("q-search")).sendKeys("__xss");
    assertThat(browser.waitFor("#quarantine-count").getText()).isEqualTo("1 of 1 quarantined rows");
    assertThat(browser.js("return window.__xss === undefined")).isEqualTo(true);
    assertThat(browser.js("return document.scripts.length")).isEqualTo(1L);
    assertThat(browser.consoleErrors()).isEmpty();
  }

  @Test
  @Order(7)
  void theMarketPageDrawsOneCandlePerBarOfTheApi() {
    String range = "from=2026-01-05T14:00:00Z&to=2026-01-05T15:00:00Z";
    int bars = api.list("/market/bars?symbol=AAPL&interval=1m&" + range).size();
    assertThat(bars).isEqualTo(10); // one trade a minute from 14:30 to 14:39
    browser.open("#/market/AAPL?interval=1m&" + range);
    WebElement chart = browser.waitFor("#market-chart[data-drawn='true']");
    assertThat(chart.getAttribute("data-bars")).isEqualTo("10");
    assertThat(browser.js("return window.__ticklakeMarketChart.getOption().series[0].data.length"))
        .isEqualTo(10L);
    assertThat(browser.all("#market-chart canvas")).isNotEmpty();
    browser.screenshot("market");
    assertThat(browser.consoleErrors()).isEmpty();
  }

  @Test
  @Order(8)
  void theGridOf500RunsRendersWithinASecondOfTheAnswer() throws Exception {
    api.insertFinishedRuns("many", List.of("a", "b", "c"), 500);
    browser.open("#/dags/many/grid?runs=500");
    browser.waitFor("#grid-holder[data-rendered='true']", Duration.ofSeconds(30));
    assertThat(browser.all("#grid td.cell")).hasSize(1500);
    double renderMs = measure("grid-render");
    double paintMs = measure("grid-paint");
    System.out.printf(
        "WebUiIT: grid of 500 runs x 3 tasks: DOM and layout %.1f ms, painted %.1f ms after the API"
            + " answered%n",
        renderMs, paintMs);
    assertThat(paintMs).as("time to the painted grid, ms").isLessThan(1000.0);
    browser.open("#/dags/many/grid");
    assertThat(browser.waitFor("#grid").getAttribute("data-runs")).isEqualTo("25");
    browser.screenshot("grid");
    assertThat(browser.consoleErrors()).isEmpty();
  }

  @Test
  @Order(9)
  void everyPageRendersWithoutConsoleErrors() {
    for (String page :
        List.of(
            "#/dags",
            "#/dags/medallion/grid",
            "#/dags/medallion/graph",
            "#/runs/" + medallionRun,
            "#/lineage?table=silver/ticks",
            "#/quality",
            "#/market/MSFT?interval=1d&from=2026-01-01T00:00:00Z&to=2026-01-10T00:00:00Z",
            "#/health")) {
      browser.open(page);
      assertThat(browser.all("#view .error")).as(page).isEmpty();
      assertThat(browser.consoleErrors()).as(page).isEmpty();
    }
    browser.open("#/lineage?table=silver/ticks");
    assertThat(browser.waitFor("#lineage-graph[data-nodes]").getAttribute("data-nodes"))
        .isNotEqualTo("0");
    browser.open("#/health");
    assertThat(browser.waitFor("#health-checks").getText())
        .contains("scheduler", "kafka", "lake-root");
  }

  @Test
  @Order(10)
  void unknownDagsAndRunsInTheUrlShowAMessage() {
    browser.open("#/dags/nope/grid");
    assertThat(browser.waitFor("#view .error").getText()).isEqualTo("no DAG 'nope' (404)");
    browser.open("#/runs/nope");
    assertThat(browser.waitFor("#view .error").getText()).isEqualTo("no run 'nope' (404)");
    browser.open("#/nowhere");
    assertThat(browser.waitFor("#view .error").getText()).isEqualTo("No page at #/nowhere.");
    assertThat(browser.consoleErrors("404 (Not Found)")).isEmpty();
  }

  @Test
  @Order(11)
  void aNarrowWindowNeedsNoSidewaysScrollingAndTheDarkThemeFollowsTheBrowser() {
    browser.driver().manage().window().setSize(new Dimension(390, 844));
    try {
      for (String page : List.of("#/dags", "#/runs/" + medallionRun, "#/quality", "#/health")) {
        browser.open(page);
        assertThat(browser.js("return document.documentElement.scrollWidth <= window.innerWidth"))
            .as("%s fits a 390 px window", page)
            .isEqualTo(true);
      }
    } finally {
      browser.driver().manage().window().setSize(new Dimension(1280, 800));
    }
    browser
        .driver()
        .executeCdpCommand(
            "Emulation.setEmulatedMedia",
            Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
    try {
      browser.open("#/dags");
      assertThat(browser.driver().findElement(By.tagName("body")).getCssValue("background-color"))
          .isEqualTo("rgba(18, 21, 27, 1)");
    } finally {
      browser
          .driver()
          .executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
    }
    browser.open("#/dags");
    assertThat(browser.driver().findElement(By.tagName("body")).getCssValue("background-color"))
        .isEqualTo("rgba(255, 255, 255, 1)");
    assertThat(browser.consoleErrors()).isEmpty();
  }

  @Test
  @Order(12)
  void theUiWeighsAtMostTwoMegabytesAndIsCached() throws Exception {
    long total = api.pageWeight();
    System.out.printf("WebUiIT: UI page weight %d bytes uncompressed%n", total);
    assertThat(total).isLessThanOrEqualTo(2L * 1024 * 1024);
  }

  @Test
  @Order(13)
  void cancelOnTheRunPageStopsTheRunningTryAndTheRun() {
    String run = api.trigger("slow");
    api.awaitTaskState(run, "wait", "running");
    browser.open("#/runs/" + run + "?task=wait");
    browser.waitFor("#tasks tr[data-task='wait'][data-state='running'] button.cancel-task");
    browser.waitFor("#cancel-run").click();
    assertThat(browser.waitFor("#messages .msg.info").getText()).startsWith("Canceled");
    assertThat(api.awaitRun("slow", run)).isEqualTo("canceled");
    browser.waitFor("#tasks tr[data-task='wait'][data-state='canceled']");
    browser.waitFor("#tasks tr[data-task='after'][data-state='canceled']");
    assertThat(browser.all("#tasks button.cancel-task")).isEmpty();
    assertThat(browser.consoleErrors()).isEmpty();
  }
}
