package org.sharpsweep.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.sharpsweep.analysis.Browser;
import org.sharpsweep.store.Journal;
import org.sharpsweep.sweeps.GridPoint;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.SweepSpec;
import org.sharpsweep.worker.PointRunner;
import org.sharpsweep.worker.ResultRow;

/**
 * {@code sharpsweep serve} as a reader meets it: the command runs in a JVM of its own, over a
 * directory whose sweep is being written, and a real browser ({@link Browser}) holds its page.
 * The rows are real: each point of a small sweep trained here ({@link PointRunner}, as {@code
 * sharpsweep point} does) and journaled the way a running sweep journals a point as it arrives
 * (one flushed JSON line in {@code _journal/<sweep>/<run>.jsonl}, the spec kept in {@code
 * _specs/}). The page shows the count rise without a reload, a heatmap cell's tooltip gives the
 * row's value and point id, brushing an axis selects the points of the other views, the server
 * answers the page's polls with 204 while nothing changed, and SIGTERM stops it cleanly.
 */
class ServeIT {
    static final String SPEC = """
            name: served
            seed: 5
            data: {dataset: teacher, target: single-neuron, input_dim: 4, n_train: 32, n_test: 64}
            model: {depth: 1, width: 6, activation: tanh}
            loss: mse
            train: {steps: 60, batch_size: 8}
            measure: {max_iters: 30, every: 20}
            grid:
              lr: [0.05, 0.1, 0.2]
              width: [4, 8]
            """;
    static final String SWEEP = "section[data-sweep='served']";

    @TempDir
    static Path tmp;
    static SweepSpec spec;
    /** Each point's journal line and its row, in grid order. */
    static final List<String> lines = new ArrayList<>();
    static final List<Map<String, Object>> rows = new ArrayList<>();

    /** Trains every point of the spec here (while serve starts), in grid order. */
    static void points() {
        for (int i = 0; i < spec.size(); i++) {
            GridPoint p = spec.point(i);
            String line = Journal.encode(ResultRow.of(spec.name(), p, PointRunner.run(p, null)));
            lines.add(line);
            rows.add(Journal.decode(line));
        }
    }

    @Test
    void aServedPageFollowsARunningSweep() throws Exception {
        spec = SweepSpec.parse(SPEC);
        Path dir = tmp.resolve("results");
        Files.createDirectories(dir.resolve(ResultSchema.SPECS_DIR));
        Files.writeString(dir.resolve(ResultSchema.specFile(spec.name())), spec.toYaml());
        Process serve = start(dir);
        try (Browser browser = Browser.open(tmp)) {
            points();
            String url = awaitUrl(serve);
            browser.get(url);
            browser.waitFor("the page drew its first model", () -> browser.js("return document.body.getAttribute('data-model-version')") != null);
            assertEquals("0", browser.js("return document.getElementById('points').textContent"), "no row yet");
            browser.js("window.notReloaded = true");

            org.apache.hadoop.fs.Path table = new org.apache.hadoop.fs.Path(dir.toUri());
            FileSystem fs = Journal.fileSystem(table, new Configuration());
            try (Journal.Writer journal = new Journal.Writer(fs, new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(
                    new org.apache.hadoop.fs.Path(table, Journal.DIR), spec.name()), System.currentTimeMillis() + "-" + UUID.randomUUID() + Journal.SUFFIX))) {
                long started = System.nanoTime();
                for (int i = 0; i < 2; i++) journal.append(lines.get(i));
                browser.waitFor("the sweep's first 2 rows", () -> "2".equals(done(browser)));
                assertEquals(String.valueOf(spec.size()), browser.js("return document.querySelector(arguments[0]).getAttribute('data-total')",
                        SWEEP + " .progress"), "the total from the kept spec");
                for (int i = 2; i < lines.size(); i++) journal.append(lines.get(i));
                browser.waitFor("every row", () -> String.valueOf(spec.size()).equals(done(browser)));
                System.out.printf("ServeIT: rows on the page %.1f s after they were journaled%n", (System.nanoTime() - started) / 1e9);
            }
            assertEquals(Boolean.TRUE, browser.js("return window.notReloaded === true"), "the page was updated in place, not reloaded");
            assertEquals(String.valueOf(spec.size()), browser.js("return document.getElementById('points').textContent"));
            // --jdbc-port: the endpoint started once the first rows arrived, over the same views
            Matcher jdbc = await(serve, JDBC_URL);
            try (java.sql.Connection c = JdbcEndpointIT.connect(jdbc.group(1))) {
                assertEquals(spec.size(), JdbcEndpointIT.count(c, "SELECT count(*) FROM results"), "JDBC sees every row");
            }

            assertEquals(Long.valueOf(spec.size()), browser.js("return echarts.getInstanceByDom(document.querySelector(arguments[0]))"
                    + ".getOption().series.filter(function (s) { return s.name !== '2/lr'; }).length", SWEEP + " .chart.trajectories"),
                    "a trajectory per point (measure.every)");
            hoverACell(browser);
            brushAnAxis(browser);

            List<String> requests = browser.requests().stream().filter(u -> !u.startsWith("chrome:")).toList();
            assertTrue(requests.stream().allMatch(u -> u.startsWith(url) || u.startsWith("data:")), "the page asks its server alone: " + requests);
            assertTrue(requests.stream().anyMatch(u -> u.contains("model.json?since=")), "it polls: " + requests);
            assertEquals(List.of(), browser.errors(), "no script error");

            HttpClient http = HttpClient.newHttpClient();
            String version = (String) browser.js("return document.body.getAttribute('data-model-version')");
            assertEquals(204, http.send(HttpRequest.newBuilder(URI.create(url + "model.json?since=" + version)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode(), "nothing changed since the page's version");
            assertEquals(405, http.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode(), "it only reads");
        } finally {
            new ProcessBuilder("kill", "-TERM", String.valueOf(serve.pid())).start().waitFor();
            assertTrue(serve.waitFor(60, TimeUnit.SECONDS), "serve stops on SIGTERM");
        }
        String out = Files.readString(tmp.resolve("serve.log"));
        assertEquals(0, serve.exitValue(), out);
        assertTrue(out.contains("serve: stopped"), out);
        assertTrue(out.contains("note: no results table in " + dir), "it says the directory holds no rows yet: " + out);
        assertTrue(!out.contains("\tat ") && !out.contains("Exception"), "no stack trace: " + out);
    }

    private static String done(Browser browser) {
        return (String) browser.js("var p = document.querySelector(arguments[0]); return p && p.getAttribute('data-done')", SWEEP + " .progress");
    }

    /** The heatmap of sharpness over lr x width: the cell lr = 0.1, width = 8 holds one point, whose value the tooltip gives. */
    private static void hoverACell(Browser browser) throws InterruptedException {
        Map<String, Object> row = rows.stream().filter(r -> (Double) r.get("lr") == 0.1 && (Integer) r.get("width") == 8).findFirst().orElseThrow();
        assertEquals("OK", row.get(ResultSchema.STATUS), "the point of the cell trained");
        double sharpness = (Double) row.get(ResultSchema.SHARPNESS);
        WebElement chart = browser.driver().findElement(By.cssSelector(SWEEP + " .heatmap[data-metric='sharpness']"));
        @SuppressWarnings("unchecked")
        List<Number> at = (List<Number>) browser.js("return echarts.getInstanceByDom(arguments[0]).convertToPixel({seriesIndex: 0}, [1, 1])", chart);
        browser.hover(chart, at.get(0).intValue(), at.get(1).intValue());
        String expected = "point " + row.get(ResultSchema.POINT_ID) + ": " + fourDigits(sharpness) + " (OK)";
        browser.waitFor("the cell's tooltip naming its point", () -> chart.getText().contains(expected));
        assertTrue(chart.getText().contains("lr = 0.1, width = 8"), chart.getText());
        assertTrue(chart.getText().contains("mean " + fourDigits(sharpness) + " over 1 OK point of 1"), chart.getText());
    }

    /** Brushing the lr axis of the parallel coordinates from 0.15 to its top keeps the 2 points of lr = 0.2 in the other views. */
    private static void brushAnAxis(Browser browser) throws InterruptedException {
        WebElement pc = browser.driver().findElement(By.cssSelector(SWEEP + " .chart.pc"));
        @SuppressWarnings("unchecked")
        List<List<Number>> ends = (List<List<Number>>) browser.js("var cs = echarts.getInstanceByDom(arguments[0]).getModel()"
                + ".getComponent('parallel').coordinateSystem; var d = cs.dimensions[0];"
                + "return [cs.dataToPoint(0.15, d), cs.dataToPoint(0.2, d)];", pc);
        int x = ends.get(0).get(0).intValue();
        browser.drag(pc, x, ends.get(0).get(1).intValue(), x, ends.get(1).get(1).intValue() - 8);
        browser.waitFor("the 2 points of lr = 0.2 selected", () -> Long.valueOf(2).equals(
                browser.js("return +document.querySelector(arguments[0]).getAttribute('data-selected')", SWEEP + " .selection")));
        @SuppressWarnings("unchecked")
        List<List<Number>> cells = (List<List<Number>>) browser.js("return echarts.getInstanceByDom(arguments[0]).getOption().series[0].data",
                browser.driver().findElement(By.cssSelector(SWEEP + " .heatmap[data-metric='sharpness']")));
        assertTrue(!cells.isEmpty() && cells.stream().allMatch(c -> c.get(0).intValue() == 2), "heatmap cells at lr = 0.2 only: " + cells);
    }

    /** A number as the page writes it in [1e-3, 1e5): 4 significant digits, no trailing zeros. */
    private static String fourDigits(double v) {
        return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /** {@code sharpsweep serve DIR --port 0 --jdbc-port 0} in a JVM of its own, its output to serve.log. */
    private static Process start(Path dir) throws Exception {
        // the logging of scripts/sharpsweep: what a user sees
        return Cli.start(tmp.resolve("serve.log"), List.of("-Dlog4j2.configurationFile="
                        + Path.of(System.getProperty("user.dir")).getParent().resolve("scripts/conf/log4j2.properties"), "-Xmx1g"),
                "serve", dir.toString(), "--port", "0", "--jdbc-port", "0");
    }

    private static final Pattern URL = Pattern.compile("serving \\S+ at (http://127\\.0\\.0\\.1:\\d+/)");
    private static final Pattern JDBC_URL = Pattern.compile("JDBC: (jdbc:hive2://127\\.0\\.0\\.1:\\d+/)");

    /** The page's address as the command prints it once it is ready. */
    private static String awaitUrl(Process serve) throws Exception {
        return await(serve, URL).group(1);
    }

    /** The first match of {@code pattern} in what the command printed, once it printed it. */
    private static Matcher await(Process serve, Pattern pattern) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        Path log = tmp.resolve("serve.log");
        while (System.nanoTime() < deadline) {
            String out = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            Matcher m = pattern.matcher(out);
            if (m.find()) return m;
            assertTrue(serve.isAlive(), "serve ended before printing " + pattern + ": " + out);
            Thread.sleep(200);
        }
        throw new AssertionError("serve printed no " + pattern + " in 3 minutes: " + Files.readString(log));
    }
}
