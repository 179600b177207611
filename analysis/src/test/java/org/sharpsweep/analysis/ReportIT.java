package org.sharpsweep.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sharpsweep.store.ResultsTable;
import org.sharpsweep.sweeps.ResultSchema;

/** The HTML report of a real table with three sweeps; {@link ReportChromiumIT} opens it in a browser. */
class ReportIT {
    static final String ALL_FAILED = "all-failed";
    /**
     * A spec with characters HTML must escape. The fixture's rows are made up (their ids are no
     * points of a spec), so this kept spec is one that no longer reads as a spec (a key no release
     * knows): the views then keep every row of its sweep (docs/results.md, "Which rows belong to a
     * sweep"), and the report still shows the file as kept.
     */
    static final String SPEC = "name: " + ResultsFixture.REGRESSION + "   # lr < 1 & B <= n\nseed: 42\nfixture: made-up rows\ngrid:\n  lr: [0.01, 0.1, 1.0]\n";

    @TempDir
    static Path tmp;
    static SparkSession spark;
    static Path index;
    static String html;

    /** The fixture's two sweeps, a third whose every point failed, and the regression sweep's spec where the driver keeps it. */
    static Path writeTable(SparkSession spark, Path dir) throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>(ResultsFixture.regression());
        rows.addAll(ResultsFixture.classification());
        for (int i = 0; i < 2; i++) {
            Map<String, Object> m = ResultsFixture.base(ALL_FAILED);
            m.put(ResultSchema.POINT_ID, "f" + i);
            m.put("lr", 0.1 * (i + 1));
            m.put(ResultSchema.STATUS, "FAILED");
            m.put(ResultSchema.ERROR, "java.lang.IllegalStateException: <boom> & more\n\tat a.b.C.d(C.java:1)");
            rows.add(m);
        }
        ResultsFixture.write(spark, rows, dir);
        Path spec = dir.resolve(ResultSchema.specFile(ResultsFixture.REGRESSION));
        Files.createDirectories(spec.getParent());
        Files.writeString(spec, SPEC);
        return dir;
    }

    @BeforeAll
    static void report() throws Exception {
        spark = ResultsFixture.spark();
        Path table = writeTable(spark, tmp.resolve("results"));
        index = Report.write(spark, table.toString(), tmp.resolve("report"));
        html = Files.readString(index);
    }


    /** The HTML of one sweep's section. */
    static String section(String sweep) {
        int start = html.indexOf("<h2>Sweep <code>" + sweep + "</code></h2>");
        assertTrue(start >= 0, "section of " + sweep);
        int end = html.indexOf("</section>", start);
        return html.substring(start, end);
    }

    static List<String> all(Pattern p, String s) {
        List<String> out = new ArrayList<>();
        Matcher m = p.matcher(s);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    @Test
    void indexIsWrittenWithOneSectionPerSweep() {
        assertEquals(tmp.resolve("report").resolve("index.html"), index);
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        for (String s : List.of(ALL_FAILED, ResultsFixture.CLASSIFICATION, ResultsFixture.REGRESSION)) section(s);
        // the overview row of the regression sweep: points, OK, DIVERGED, FAILED
        long ok = ResultsFixture.regression().stream().filter(m -> "OK".equals(m.get(ResultSchema.STATUS))).count();
        assertTrue(html.contains(ResultsFixture.REGRESSION + "</a></td><td class=\"num\">32</td><td class=\"num\">" + ok
                + "</td><td class=\"num\">5</td><td class=\"num\">4</td>"), "overview counts");
    }

    @Test
    void everyImageIsAPngOfTheExpectedSizeWithItsSvgLinked() throws Exception {
        // the pictures: images of the page's markup (the inline plotting library writes some of its own)
        List<String> imgs = all(Pattern.compile("<img src=\"([^\"]+)\""), html.replaceAll("(?s)<script>.*?</script>", ""));
        // regression: 3 axis pairs x 3 metrics with values (accuracies are null) + 2 diagrams;
        // classification: 1 pair x 5 metrics + 2 diagrams; the all-failed sweep: none
        assertEquals(9 + 2 + 5 + 2, imgs.size(), imgs.toString());
        for (String src : imgs) {
            Path png = index.getParent().resolve(src);
            BufferedImage img = Pixels.read(png);
            boolean diagram = src.contains("-diagram-");
            assertEquals(diagram ? Report.DIAGRAM_WIDTH : Report.HEATMAP_WIDTH, img.getWidth(), src);
            assertEquals(diagram ? Report.DIAGRAM_HEIGHT : Report.HEATMAP_HEIGHT, img.getHeight(), src);
            String svg = src.replaceAll("\\.png$", ".svg");
            assertTrue(html.contains("<a href=\"" + svg + "\"><img src=\"" + src + "\""), "image links its SVG: " + src);
            String text = Files.readString(index.getParent().resolve(svg));
            assertTrue(text.contains("<svg") && text.contains("</svg>"), svg);
        }
        String regression = section(ResultsFixture.REGRESSION);
        for (String pair : List.of("lr-batch_size", "lr-width", "batch_size-width")) {
            for (String m : List.of("sharpness", "nonuniformity", "gen_gap_loss")) {
                assertTrue(regression.contains("-heatmap-" + m + "-" + pair + ".png"), m + " over " + pair);
            }
        }
    }

    @Test
    void needsNoNetwork() {
        // the scripts are inline (the plotting library among them: it is checked in a browser by PageBrowserIT)
        assertFalse(html.contains("<script src"), "no external script");
        String markup = html.replaceAll("(?s)<script>.*?</script>", "<script></script>");
        assertFalse(Pattern.compile("(src|href)\\s*=\\s*\"?(https?:)?//").matcher(markup).find(), "no remote src or href");
        assertFalse(markup.contains("<link"), "no external stylesheet");
        assertFalse(markup.contains("@import") || markup.contains("url("), "no CSS fetches");
        assertTrue(html.contains("<script type=\"application/json\" id=\"sharpsweep-model\">{\"version\":0,"), "the model is in the page");
        for (String licence : Page.LICENCES) {
            assertTrue(Files.exists(index.getParent().resolve(licence)), licence + " beside the page");
            assertTrue(html.contains("<a href=\"" + licence + "\">"), licence + " linked");
        }
    }

    @Test
    void showsTheSpecTheAxesAndTheFixedSettings() {
        String regression = section(ResultsFixture.REGRESSION);
        assertTrue(regression.contains("<pre>name: teacher-grid   # lr &lt; 1 &amp; B &lt;= n\nseed: 42\n"), "the spec verbatim, escaped");
        assertFalse(section(ResultsFixture.CLASSIFICATION).contains("seed: 42"), "the spec names one sweep only");
        assertTrue(regression.contains("<code>lr</code></td><td>0.01, 0.1, 1  (log-spaced)</td>"), "lr axis with its values");
        assertTrue(regression.contains("<code>batch_size</code></td><td>10, 50, 200  (log-spaced)</td>"));
        assertTrue(regression.contains("<code>width</code></td><td>20, 100</td>"));
        assertTrue(regression.contains("<li><code>dataset</code> = teacher</li>"));
        assertTrue(regression.contains("<li><code>n_train</code> = 200</li>"));
    }

    @Test
    void summarisesCountsAndMetrics() {
        String regression = section(ResultsFixture.REGRESSION);
        List<Double> sharp = new ArrayList<>();
        for (Map<String, Object> m : ResultsFixture.regression()) {
            if ("OK".equals(m.get(ResultSchema.STATUS))) sharp.add((Double) m.get(ResultSchema.SHARPNESS));
        }
        sharp.sort(Double::compare);
        int n = sharp.size();
        double median = n % 2 == 1 ? sharp.get(n / 2) : (sharp.get(n / 2 - 1) + sharp.get(n / 2)) / 2;
        String row = "<td class=\"num\">" + n + "</td><td class=\"num\">" + Format.number(sharp.get(0), 4)
                + "</td><td class=\"num\">" + Format.number(median, 4) + "</td><td class=\"num\">"
                + Format.number(sharp.get(n - 1), 4) + "</td>";
        assertTrue(regression.contains("<code>sharpness</code>"));
        assertTrue(regression.contains(row), "sharpness min/median/max over OK points: " + row);
        assertTrue(regression.contains("Not drawn, no value at any OK point"), "says which heatmaps are skipped");
        assertTrue(regression.matches("(?s).*Not drawn, no value at any OK point[^<]*: gen_gap_acc, test_acc</p>.*"));
        assertFalse(section(ResultsFixture.CLASSIFICATION).contains("Not drawn, no value"), "classification has accuracies");
    }

    @Test
    void listsTheDivergedAndFailedPoints() {
        String regression = section(ResultsFixture.REGRESSION);
        String table = regression.substring(regression.indexOf("<table class=\"failures\">"));
        List<String> ids = all(Pattern.compile("<tr class=\"(?:diverged|failed)\"><td><code>([^<]+)</code>"), table);
        List<String> expected = new ArrayList<>();
        for (Map<String, Object> m : ResultsFixture.regression()) {
            String id = (String) m.get(ResultSchema.POINT_ID);
            boolean retried = ResultsFixture.regression().stream()
                    .anyMatch(o -> o != m && id.equals(o.get(ResultSchema.POINT_ID)) && "OK".equals(o.get(ResultSchema.STATUS)));
            if (!"OK".equals(m.get(ResultSchema.STATUS)) && !retried) expected.add(id);
        }
        assertEquals(9, expected.size());
        assertEquals(new java.util.TreeSet<>(expected), new java.util.TreeSet<>(ids), "every diverged or failed point, not the retried one");
        assertTrue(table.startsWith("<table class=\"failures\"><tr><th>point_id</th><th>lr</th><th>batch_size</th><th>width</th><th>replicate</th>"
                + "<th>status</th><th>diverged_at_step</th><th>error</th>"), "axes values, status, step, error");
        assertTrue(table.contains("<td>DIVERGED</td><td class=\"num\">3</td><td>loss became NaN at step 3</td>"));
        String failed = section(ALL_FAILED);
        assertTrue(failed.contains("&lt;boom&gt; &amp; more"), "error text escaped");
        assertTrue(failed.contains("Not drawn: no OK point has both sharpness and non-uniformity"));
    }

    @Test
    void penaltyKindFollowsItsCoefficientAndIsNoAxisOfItsOwn() throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        int i = 0;
        for (double lr : new double[] {0.1, 0.2}) {
            for (double coef : new double[] {0.0, 0.01, 0.1}) {
                Map<String, Object> m = ResultsFixture.base("penalty");
                m.put(ResultSchema.POINT_ID, "q" + i++);
                m.put("lr", lr);
                m.put("penalty_coef", coef);
                m.put("penalty", coef == 0 ? "none" : "gradnorm");
                m.put(ResultSchema.STATUS, "OK");
                rows.add(m);
            }
        }
        Path dir = tmp.resolve("penalty");
        ResultsFixture.write(spark, rows, dir);
        var table = ResultsTable.read(spark, dir.toString());
        GridAxes.Described d = GridAxes.describe(table);
        assertEquals(List.of("lr", "penalty", "penalty_coef"), d.varying());
        assertEquals(List.of("lr", "penalty_coef"), GridAxes.independent(table, d.values()));
    }

    @Test
    void noTableIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Report.write(spark, tmp.resolve("none").toString(), tmp.resolve("r2")));
        assertTrue(e.getMessage().contains("no results table"), e.getMessage());
    }
}
