package dev.ticklake.orchestrator.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.testing.Await;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * One headless Debian Chromium driven by chromedriver, shared by a test class. Both come from the
 * Debian packages {@code chromium} and {@code chromium-driver} that {@code ci/install-deps.sh}
 * installs; without them the test fails and says so (it never skips).
 */
final class UiBrowser implements AutoCloseable {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SCREENSHOTS = Path.of("target", "ui-screenshots");
  static final Duration WAIT = Duration.ofSeconds(20);

  private final ChromeDriver driver;
  private final Path profile;
  private final String base;

  UiBrowser(String base) {
    for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
      assertThat(Files.isExecutable(p))
          .as(
              "%s is missing: the browser tests need Debian's chromium and chromium-driver;"
                  + " run ci/install-deps.sh (it installs them)",
              p)
          .isTrue();
    }
    this.base = base;
    try {
      profile = Files.createTempDirectory("ticklake-chromium");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--user-data-dir=" + profile,
        "--window-size=1280,800");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    driver = new ChromeDriver(service, options);
  }

  ChromeDriver driver() {
    return driver;
  }

  /** Opens a UI route ({@code #/dags}) and waits until the page left its loading state. */
  void open(String hashRoute) {
    driver.get(base + "/" + hashRoute);
    Await.until(
        WAIT,
        "page " + hashRoute + " to render",
        () -> {
          List<WebElement> view = driver.findElements(By.cssSelector("#view"));
          return !view.isEmpty() && !view.get(0).getText().startsWith("Loading");
        });
  }

  WebElement waitFor(String css) {
    return Await.until(
            WAIT,
            "an element " + css,
            () -> driver.findElements(By.cssSelector(css)),
            found -> !found.isEmpty() && found.get(0).isDisplayed())
        .get(0);
  }

  WebElement waitFor(String css, Duration timeout) {
    return Await.until(
            timeout,
            "an element " + css,
            () -> driver.findElements(By.cssSelector(css)),
            f -> !f.isEmpty())
        .get(0);
  }

  List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /**
   * Console errors since the last call (the browser's log, read through chromedriver) plus errors
   * the page's own collector caught. {@code allowed} drops expected lines (e.g. a 404 the test
   * asked for).
   */
  List<String> consoleErrors(String... allowed) {
    List<String> out = new ArrayList<>();
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
        String m = e.getMessage();
        if (List.of(allowed).stream().noneMatch(m::contains)) {
          out.add(m);
        }
      }
    }
    Object page = js("return (window.__ticklakeErrors || []).slice()");
    if (page instanceof List<?> l) {
      l.forEach(x -> out.add("page: " + x));
    }
    return out;
  }

  /** Writes target/ui-screenshots/{name}.png and returns its path. */
  Path screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      File shot = driver.getScreenshotAs(OutputType.FILE);
      Path target = SCREENSHOTS.resolve(name + ".png");
      Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    driver.quit();
  }
}
