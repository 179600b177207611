package org.sharpsweep.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the report in headless {@link Chromium} and reads back the page's own count of decoded
 * images ({@code data-images-loaded}, set on load by the page's inline script).
 */
class ReportChromiumIT {

    @TempDir
    static Path tmp;
    static SparkSession spark;
    static Path index;
    static int images;

    @BeforeAll
    static void report() throws Exception {
        spark = ResultsFixture.spark();
        Path table = ReportIT.writeTable(spark, tmp.resolve("results"));
        index = Report.write(spark, table.toString(), tmp.resolve("report"));
        Matcher m = Pattern.compile("<img ").matcher(Files.readString(index));
        while (m.find()) images++;
    }


    @Test
    void everyImageOfTheReportLoads() throws Exception {
        assertEquals(18, images, "the report of ReportIT's table has 18 images");
        int[] n = Chromium.imagesLoaded(Chromium.browse(tmp, "--dump-dom", index.toUri().toString()));
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
        String dom = Chromium.browse(tmp, "--dump-dom", copy.resolve("index.html").toUri().toString());
        int[] n = Chromium.imagesLoaded(dom);
        assertEquals(images, n[1]);
        assertEquals(images - 1, n[0], "the deleted " + victim.getFileName() + " does not load");
        assertTrue(dom.contains("broken"), "the broken image is outlined");
    }

    @Test
    void pageRendersToAScreenshot() throws Exception {
        Path shot = tmp.resolve("report.png");
        Chromium.browse(tmp, "--hide-scrollbars", "--window-size=1400,2400", "--screenshot=" + shot, index.toUri().toString());
        BufferedImage img = Pixels.read(shot);
        assertEquals(1400, img.getWidth());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 7) {
            for (int x = 0; x < img.getWidth(); x += 7) colours.add(img.getRGB(x, y));
        }
        assertTrue(colours.size() > 50, "the screenshot shows text and figures, " + colours.size() + " colours");
    }
}
