package dev.alertdesk.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium ({@value #BROWSER}) driven through Debian's chromedriver ({@value #DRIVER})
 * with Selenium. Both paths are set explicitly, so Selenium Manager never downloads anything.
 * Headless, sandbox off (containers), no background network, a fresh profile per instance.
 */
public final class HeadlessChromium implements AutoCloseable {
  /** The browser binary of the Debian {@code chromium} package. */
  public static final String BROWSER = "/usr/bin/chromium";
  /** The driver binary of the Debian {@code chromium-driver} package. */
  public static final String DRIVER = "/usr/bin/chromedriver";
  /** Where screenshots go: a build artefact. */
  public static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private final Path profile;
  private final ChromeDriver driver;

  /**
   * Starts the browser.
   *
   * @param widthPixels window width, e.g. 1280 for a laptop or 390 for a phone
   * @param heightPixels window height
   */
  public HeadlessChromium(int widthPixels, int heightPixels) {
    try {
      profile = Files.createTempDirectory("alertdesk-chromium-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER);
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--disable-dev-shm-usage",
        "--user-data-dir=" + profile.toAbsolutePath(),
        "--window-size=" + widthPixels + "," + heightPixels);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(Path.of(DRIVER).toFile())
        .usingAnyFreePort()
        .build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
  }

  /** Returns the driver. */
  public ChromeDriver driver() {
    return driver;
  }

  /**
   * Saves a PNG screenshot of the window as {@code target/screenshots/NAME.png}.
   *
   * @return the file written
   */
  public Path screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Path file = SCREENSHOTS.resolve(name + ".png");
      Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Quits the browser and deletes its profile. */
  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // a leftover temp profile is harmless
      }
    }
  }
}
