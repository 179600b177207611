package org.sharpsweep.analysis;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Headless Chromium driven through Selenium and chromedriver (Debian packages {@code chromium}
 * and {@code chromium-driver}; other binaries via the {@code CHROMIUM} and {@code CHROMEDRIVER}
 * environment variables), for tests that use the page as a reader does: hover, drag, click,
 * and read what it shows. The driver is given explicitly, so Selenium Manager never downloads
 * one. The browser records every request it makes ({@link #requests}) and every console error
 * ({@link #errors}). Shared with the driver's tests through this module's test jar.
 */
public final class Browser implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long {@link #waitFor} waits at most. */
    public static final Duration WAIT = Duration.ofSeconds(60);

    private final ChromeDriver driver;
    private final List<String> requests = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    /** The chromedriver binary: $CHROMEDRIVER, else /usr/bin/chromedriver (Debian's chromium-driver). */
    static String chromedriver() {
        String env = System.getenv("CHROMEDRIVER");
        String path = env != null && !env.isBlank() ? env : "/usr/bin/chromedriver";
        if (!Files.isExecutable(Path.of(path))) {
            return fail("chromedriver is needed to drive the browser in the page's tests: install the Debian package "
                    + "'chromium-driver' (apt-get install chromium-driver) or set CHROMEDRIVER to its binary; not found: " + path);
        }
        return path;
    }

    /** A fresh headless browser, its profile under {@code scratch}, a 1400 x 1000 window. */
    public static Browser open(Path scratch) throws IOException {
        Path profile = Files.createTempDirectory(scratch, "chromium-profile");
        ChromeOptions o = new ChromeOptions();
        o.setBinary(Chromium.binary());
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1400,1000",
                "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        logs.enable(LogType.BROWSER, Level.ALL);
        o.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(chromedriver()))
                .usingAnyFreePort().withLogFile(scratch.resolve("chromedriver-" + System.nanoTime() + ".log").toFile()).build();
        return new Browser(new ChromeDriver(service, o));
    }

    public ChromeDriver driver() {
        return driver;
    }

    public void get(String url) {
        driver.get(url);
    }

    /** Runs a script in the page ({@code return ...} for a value). */
    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Waits until {@code condition} holds, failing with {@code what} after {@link #WAIT}. */
    public void waitFor(String what, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Boolean ok;
            try {
                ok = condition.get();
            } catch (RuntimeException e) {
                ok = false;
            }
            if (Boolean.TRUE.equals(ok)) return;
            if (System.nanoTime() > deadline) fail("waited " + WAIT.toSeconds() + " s for " + what + "; console errors: " + errors());
            Thread.sleep(100);
        }
    }

    /** Moves the mouse to ({@code x}, {@code y}) pixels from the top-left corner of {@code e}, scrolled into view first. */
    public void hover(WebElement e, int x, int y) {
        int[] at = viewport(e, x, y);
        new Actions(driver).moveToLocation(at[0], at[1]).perform();
    }

    /**
     * Presses the mouse at ({@code x0}, {@code y0}) in {@code e} (pixels from its top-left
     * corner), drags to ({@code x1}, {@code y1}) in steps and releases.
     */
    public void drag(WebElement e, int x0, int y0, int x1, int y1) {
        int[] from = viewport(e, x0, y0);
        int dx = from[0] - x0, dy = from[1] - y0;
        Actions a = new Actions(driver).moveToLocation(from[0], from[1]).clickAndHold();
        for (int k = 1; k <= 5; k++) a.moveToLocation(dx + x0 + (x1 - x0) * k / 5, dy + y0 + (y1 - y0) * k / 5);
        a.release().perform();
    }

    /** Scrolls so that the point (x, y) of {@code e} is in the middle of the window; returns it in window coordinates. */
    private int[] viewport(WebElement e, int x, int y) {
        @SuppressWarnings("unchecked")
        java.util.List<Number> p = (java.util.List<Number>) js("var r = arguments[0].getBoundingClientRect();"
                + "window.scrollBy(r.left + arguments[1] - window.innerWidth / 2, r.top + arguments[2] - window.innerHeight / 2);"
                + "r = arguments[0].getBoundingClientRect(); return [r.left + arguments[1], r.top + arguments[2]];", e, x, y);
        return new int[] {(int) Math.round(p.get(0).doubleValue()), (int) Math.round(p.get(1).doubleValue())};
    }

    /** Forgets the requests and console errors recorded so far. */
    public void forget() {
        drain();
        requests.clear();
        errors.clear();
    }

    /** The URL of every request the browser has made since it opened (the page's own, images, scripts, fetches). */
    public List<String> requests() {
        drain();
        return List.copyOf(requests);
    }

    /** Every console message of level SEVERE since the browser opened (script errors, failed loads). */
    public List<String> errors() {
        drain();
        return List.copyOf(errors);
    }

    private void drain() {
        for (LogEntry e : driver.manage().logs().get(LogType.PERFORMANCE)) {
            try {
                JsonNode m = JSON.readTree(e.getMessage()).path("message");
                if ("Network.requestWillBeSent".equals(m.path("method").asText())) {
                    requests.add(m.path("params").path("request").path("url").asText());
                }
            } catch (IOException x) {
                throw new IllegalStateException("chromedriver wrote a performance log entry that is not JSON: " + e.getMessage(), x);
            }
        }
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue()) errors.add(e.getMessage());
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
