package org.sharpsweep.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.sharpsweep.sweeps.ResultSchema;

/**
 * Opens the report in headless {@link Chromium}: reads back the page's own count of decoded
 * images ({@code data-images-loaded}, set on load by the page's script), and uses its interactive
 * views as a reader does, through Selenium ({@link Browser}), from a file: URL as a reader opens
 * it offline: it requests nothing but its own files, hovering a heatmap cell shows the cell's
 * mean and its points, brushing an axis of the parallel coordinates selects the points the other
 * views show, and the filters by setting do the same. The expected values come from {@link
 * ResultsFixture}'s formulas.
 */
class ReportChromiumIT {

    @TempDir
    static Path tmp;
    static SparkSession spark;
    static Path index;
    static int images;
    static Browser browser;

    static final String REGRESSION = "section[data-sweep='" + ResultsFixture.REGRESSION + "']";

    @BeforeAll
    static void report() throws Exception {
        spark = ResultsFixture.spark();
        Path table = ReportIT.writeTable(spark, tmp.resolve("results"));
        index = Report.write(spark, table.toString(), tmp.resolve("report"));
        // the pictures: images of the page's markup (the inline plotting library writes some of its own)
        Matcher m = Pattern.compile("<img ").matcher(Files.readString(index).replaceAll("(?s)<script>.*?</script>", ""));
        while (m.find()) images++;
        browser = Browser.open(tmp);
    }

    @AfterAll
    static void close() {
        if (browser != null) browser.close();
    }

    /** Opens the report afresh, forgetting what the browser recorded before. */
    static void load() throws InterruptedException {
        browser.forget();
        browser.get(index.toUri().toString());
        browser.waitFor("the page drew its model", () -> "0".equals(browser.js("return document.body.getAttribute('data-model-version')")));
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

    @Test
    void theReportRequestsNothingButItsOwnFilesAndDrawsEverySweep() throws Exception {
        load();
        browser.waitFor("the page's load event", () -> browser.js("return document.body.getAttribute('data-images-loaded')") != null);
        List<String> requests = browser.requests().stream().filter(u -> !u.startsWith("chrome:")).toList(); // the browser's own pages
        String own = index.getParent().toUri().toString();
        for (String r : requests) assertTrue(r.startsWith(own) || r.startsWith("data:"), "a request beyond the report's files: " + r);
        assertTrue(requests.contains(index.toUri().toString()), "the page itself was requested: " + requests);
        assertEquals(List.of(), browser.errors(), "no script error");
        assertEquals("18/18", browser.js("return document.body.getAttribute('data-images-loaded')"), "the pictures for export load");
        // regression: sharpness, nonuniformity and gen_gap_loss heatmaps; classification: all five; all-failed: none
        assertEquals(List.of(3L, 5L, 0L), List.of(heatmaps(ResultsFixture.REGRESSION), heatmaps(ResultsFixture.CLASSIFICATION),
                heatmaps(ReportIT.ALL_FAILED)));
        assertEquals(32L, browser.js("return +document.querySelector(arguments[0]).getAttribute('data-selected')",
                REGRESSION + " .selection"), "every point of the regression sweep is selected at first");
    }

    private static long heatmaps(String sweep) {
        return (Long) browser.js("return document.querySelectorAll(\"section[data-sweep='\" + arguments[0] + \"'] .heatmap\").length", sweep);
    }

    @Test
    void hoveringAHeatmapCellOrADiagramPointShowsItsValuesAndPoints() throws Exception {
        load();
        WebElement chart = browser.driver().findElement(By.cssSelector(REGRESSION + " .heatmap[data-metric='sharpness']"));
        // the cell lr = 0.1 (second of 0.01, 0.1, 1), B = 50 (second of 10, 50, 200): its centre, by the chart's own mapping
        @SuppressWarnings("unchecked")
        List<Number> at = (List<Number>) browser.js("return echarts.getInstanceByDom(arguments[0]).convertToPixel({seriesIndex: 0}, [1, 1])", chart);
        browser.hover(chart, at.get(0).intValue(), at.get(1).intValue());
        double mean = ResultsFixture.okMean(0.1, 50, ResultsFixture::sharpness);
        String expected = "mean " + Format.number(mean, 4) + " over 4 OK points of 4";
        browser.waitFor("the tooltip of the cell", () -> chart.getText().contains(expected));
        String tip = chart.getText();
        assertTrue(tip.contains("lr = 0.1, batch_size = 50"), tip);
        assertTrue(tip.contains("averaged over width, replicate"), tip);
        for (Map<String, Object> row : ResultsFixture.regression()) {
            if ((Double) row.get("lr") == 0.1 && (Integer) row.get("batch_size") == 50) {
                assertTrue(tip.contains("point " + row.get(ResultSchema.POINT_ID) + ": "), "the cell's point " + row.get(ResultSchema.POINT_ID) + " in\n" + tip);
            }
        }

        // the diagram's point of lr = 0.1, B = 50, width 20, replicate 0: the one whose sharpness, 1.3 x 2/lr = 26, exceeds 2/lr
        Map<String, Object> outside = ResultsFixture.regression().stream()
                .filter(r -> ResultsFixture.sharpnessOutside((Double) r.get("lr"), (Integer) r.get("batch_size"), (Integer) r.get("width"),
                        (Integer) r.get(ResultSchema.REPLICATE)) && "OK".equals(r.get(ResultSchema.STATUS))).findFirst().orElseThrow();
        WebElement diagram = browser.driver().findElement(By.cssSelector(REGRESSION + " .chart.diagram"));
        @SuppressWarnings("unchecked")
        List<Number> p = (List<Number>) browser.js("var c = echarts.getInstanceByDom(arguments[0]);"
                + "return c.convertToPixel({seriesIndex: c.getOption().series.length - 1}, [arguments[1], arguments[2]])", diagram,
                outside.get(ResultSchema.SHARPNESS), outside.get(ResultSchema.NONUNIFORMITY));
        browser.hover(diagram, p.get(0).intValue(), p.get(1).intValue());
        browser.waitFor("the tooltip of the diagram's point", () -> diagram.getText().contains("point " + outside.get(ResultSchema.POINT_ID)));
        String point = diagram.getText();
        assertTrue(point.contains("lr = 0.1, batch_size = 50, width = 20, replicate = 0"), point);
        assertTrue(point.contains("sharpness = 26") && point.contains("sharpness_bound = 20") && point.contains("outside its stability region"),
                point);
    }

    @Test
    void brushingAnAxisSelectsThePointsTheOtherViewsShow() throws Exception {
        load();
        WebElement pc = browser.driver().findElement(By.cssSelector(REGRESSION + " .chart.pc"));
        // the lr axis (the first), from lr = 0.5 to a little above its top, 1: selects the 12 points of lr = 1
        @SuppressWarnings("unchecked")
        List<List<Number>> ends = (List<List<Number>>) browser.js("var cs = echarts.getInstanceByDom(arguments[0]).getModel()"
                + ".getComponent('parallel').coordinateSystem; var d = cs.dimensions[0];"
                + "return [cs.dataToPoint(0.5, d), cs.dataToPoint(1, d)];", pc);
        int x = ends.get(0).get(0).intValue();
        browser.drag(pc, x, ends.get(0).get(1).intValue(), x, ends.get(1).get(1).intValue() - 8);
        long lrOne = ResultsFixture.regression().stream().filter(r -> (Double) r.get("lr") == 1.0).count();
        assertEquals(12, lrOne, "the fixture's points at lr = 1");
        browser.waitFor("the selection of the 12 points of lr = 1", () -> Long.valueOf(lrOne).equals(
                browser.js("return +document.querySelector(arguments[0]).getAttribute('data-selected')", REGRESSION + " .selection")));
        // the heatmaps keep only the cells of lr = 1 (x index 2) ...
        WebElement heat = browser.driver().findElement(By.cssSelector(REGRESSION + " .heatmap[data-metric='sharpness']"));
        @SuppressWarnings("unchecked")
        List<List<Number>> cells = (List<List<Number>>) browser.js(
                "return echarts.getInstanceByDom(arguments[0]).getOption().series[0].data", heat);
        assertTrue(!cells.isEmpty() && cells.stream().allMatch(c -> c.get(0).intValue() == 2), "cells only at lr = 1: " + cells);
        // ... and the table of points lists those points
        List<String> listed = new ArrayList<>();
        for (WebElement tr : browser.driver().findElements(By.cssSelector(REGRESSION + " table.points tr[data-point]"))) {
            listed.add(tr.getAttribute("data-point"));
        }
        assertEquals(12, listed.size(), listed.toString());
        assertTrue(listed.stream().allMatch(id -> id.contains("-lr1.0-")), listed.toString());
        assertEquals(List.of(), browser.errors(), "no script error");
    }

    @Test
    void filtersBySettingAndColourByAnyColumn() throws Exception {
        load();
        WebElement wide = browser.driver().findElement(By.cssSelector(REGRESSION + " fieldset[data-filter='width'] input[value='100']"));
        browser.js("arguments[0].scrollIntoView({block: 'center'})", wide);
        wide.click();
        browser.waitFor("the 16 points of width 20", () -> Long.valueOf(16).equals(
                browser.js("return +document.querySelector(arguments[0]).getAttribute('data-selected')", REGRESSION + " .selection")));
        browser.driver().findElement(By.cssSelector(REGRESSION + " select.colour option[value='" + ResultSchema.SHARPNESS + "']")).click();
        String legend = browser.driver().findElement(By.cssSelector(REGRESSION + " .legend")).getText();
        assertTrue(legend.endsWith("(log)"), "sharpness spans decades and is coloured on a log scale: " + legend);
        assertEquals(List.of(), browser.errors(), "no script error");
    }

    /**
     * The correlation table follows the selection: filtered to width 20, every cell is what
     * {@link Correlate} computes over the OK points of width 20 with the report's axes; reset,
     * it is the report's table again.
     */
    @Test
    void theCorrelationTableFollowsTheFilters() throws Exception {
        load();
        String table = REGRESSION + " table.correlation";
        String before = browser.driver().findElement(By.cssSelector(table)).getText();
        WebElement wide = browser.driver().findElement(By.cssSelector(REGRESSION + " fieldset[data-filter='width'] input[value='100']"));
        browser.js("arguments[0].scrollIntoView({block: 'center'})", wide);
        wide.click();
        browser.waitFor("the table over the selection", () -> "selection".equals(
                browser.js("return document.querySelector(arguments[0]).getAttribute('data-scope')", table)));
        WebElement t = browser.driver().findElement(By.cssSelector(table));
        List<String> axes = List.of(t.getAttribute("data-axes").split(","));
        List<String> held = t.getAttribute("data-held").isEmpty() ? List.of() : List.of(t.getAttribute("data-held").split(","));
        assertTrue(axes.contains("width") && axes.contains("lr"), "the report's axes: " + axes);
        List<Map<String, Object>> ok = ResultsFixture.regression().stream()
                .filter(r -> "OK".equals(r.get(ResultSchema.STATUS)) && ((Integer) r.get("width")) == 20).toList();
        List<WebElement> lines = t.findElements(By.cssSelector("tr[data-measure]"));
        List<String> measures = lines.stream().map(l -> l.getAttribute("data-measure")).toList();
        assertTrue(measures.contains(ResultSchema.SHARPNESS), "the table ranks the sharpness: " + measures);
        Correlate.Result expected = Correlate.of(ok, axes, held, t.getAttribute("data-target"), measures, true, ok.size());
        int checked = 0;
        for (int k = 0; k < lines.size(); k++) {
            GranulatedKendall.Result g = expected.lines().get(k).result();
            for (WebElement td : lines.get(k).findElements(By.cssSelector("td[data-c]"))) {
                String c = td.getAttribute("data-c");
                String want = switch (c) {
                    case "n" -> String.valueOf(g.n());
                    case "tau" -> Format.number(g.tau(), 3);
                    case "psi" -> Format.number(g.psi().get(td.getAttribute("data-axis")), 3);
                    default -> Format.number(g.psiMean(), 3);
                };
                assertEquals(want, td.getText(), measures.get(k) + " " + c + " " + td.getAttribute("data-axis"));
                checked++;
            }
        }
        assertTrue(checked >= 4 * lines.size(), "cells checked: " + checked);
        assertEquals("NaN", t.findElement(By.cssSelector("tr[data-measure='sharpness'] td[data-axis='width']")).getText(),
                "one width is selected: no psi of the width");
        assertTrue(t.findElement(By.xpath("preceding-sibling::p[1]")).getText().contains("Over the " + ok.size() + " OK points of the selection"));
        browser.driver().findElement(By.cssSelector(REGRESSION + " .reset")).click();
        browser.waitFor("the report's table again", () -> "all".equals(
                browser.js("return document.querySelector(arguments[0]).getAttribute('data-scope')", table)));
        assertEquals(before, browser.driver().findElement(By.cssSelector(table)).getText());
        assertEquals(List.of(), browser.errors(), "no script error");
    }
}
