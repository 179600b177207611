package org.sharpsweep.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the report in headless Chromium (Debian package {@code chromium}; another binary via
 * the {@code CHROMIUM} environment variable) and reads back the page's own count of decoded
 * images ({@code data-images-loaded}, set on load by the page's inline script). Without
 * Chromium the test fails: CI installs it.
 */
class ReportChromiumIT {
    private static final long BROWSER_TIMEOUT_S = 120;
    private static final Pattern LOADED = Pattern.compile("data-images-loaded=\"(\\d+)/(\\d+)\"");

    @TempDir
    static Path tmp;
    static SparkSession spark;
    static Path index;
    static int images;

    @BeforeAll
    static void report() throws Exception {
        spark = ResultsFixture.spark();
        Path table = ReportTest.writeTable(spark, tmp.resolve("results"));
        index = Report.write(spark, table.toString(), tmp.resolve("report"));
        Matcher m = Pattern.compile("<img ").matcher(Files.readString(index));
        while (m.find()) images++;
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    /** The browser binary: $CHROMIUM, else chromium or chromium-browser on the PATH. */
    static String chromium() {
        String env = System.getenv("CHROMIUM");
        if (env != null && !env.isBlank()) {
            if (Files.isExecutable(Path.of(env))) return env;
            return fail("CHROMIUM=" + env + " is not an executable file");
        }
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.add("/usr/bin");
        for (String name : List.of("chromium", "chromium-browser")) {
            for (String d : dirs) {
                if (!d.isEmpty() && Files.isExecutable(Path.of(d, name))) return Path.of(d, name).toString();
            }
        }
        return fail("headless Chromium is needed to check the HTML report: install the Debian package 'chromium' "
                + "(apt-get install chromium) or set CHROMIUM to a Chrome/Chromium binary");
    }

    /** Runs Chromium headless with a fresh profile and returns its stdout. */
    static String browse(String... args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(tmp, "chromium-profile");
        List<String> cmd = new ArrayList<>(List.of(chromium(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--virtual-time-budget=5000"));
        cmd.addAll(List.of(args));
        Path out = tmp.resolve("chromium-" + System.nanoTime() + ".out");
        Path err = tmp.resolve("chromium-" + System.nanoTime() + ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(BROWSER_TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("Chromium did not finish in " + BROWSER_TIMEOUT_S + " s: " + cmd);
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "Chromium failed: " + cmd + "\n" + Files.readString(err, StandardCharsets.UTF_8));
        return stdout;
    }

    private static int[] loaded(String dom) {
        Matcher m = LOADED.matcher(dom);
        assertTrue(m.find(), "the page's load script ran and set data-images-loaded:\n"
                + dom.substring(0, Math.min(2000, dom.length())));
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    @Test
    void everyImageOfTheReportLoads() throws Exception {
        assertEquals(18, images, "the report of ReportTest's table has 18 images");
        int[] n = loaded(browse("--dump-dom", index.toUri().toString()));
        assertEquals(images, n[1], "images the browser saw");
        assertEquals(images, n[0], "images that decoded");
    }

    @Test
    void aMissingImageIsCaught() throws Exception {
        Path copy = tmp.resolve("broken-report");
        try (Stream<Path> files = Files.walk(index.getParent())) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = copy.resolve(index.getParent().relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(target);
                else Files.copy(f, target);
            }
        }
        Path victim;
        try (Stream<Path> pngs = Files.list(copy.resolve("img"))) {
            victim = pngs.filter(f -> f.toString().endsWith(".png")).sorted().findFirst().orElseThrow();
        }
        Files.delete(victim);
        String dom = browse("--dump-dom", copy.resolve("index.html").toUri().toString());
        int[] n = loaded(dom);
        assertEquals(images, n[1]);
        assertEquals(images - 1, n[0], "the deleted " + victim.getFileName() + " does not load");
        assertTrue(dom.contains("broken"), "the broken image is outlined");
    }

    @Test
    void pageRendersToAScreenshot() throws Exception {
        Path shot = tmp.resolve("report.png");
        browse("--hide-scrollbars", "--window-size=1400,2400", "--screenshot=" + shot, index.toUri().toString());
        BufferedImage img = Pixels.read(shot);
        assertEquals(1400, img.getWidth());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 7) {
            for (int x = 0; x < img.getWidth(); x += 7) colours.add(img.getRGB(x, y));
        }
        assertTrue(colours.size() > 50, "the screenshot shows text and figures, " + colours.size() + " colours");
    }
}
