package org.sharpsweep.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sharpsweep.analysis.Aggregation;
import org.sharpsweep.analysis.Chromium;
import org.sharpsweep.analysis.Heatmap;
import org.sharpsweep.analysis.HeatmapOptions;
import org.sharpsweep.analysis.HeatmapResult;
import org.sharpsweep.analysis.HeatmapResult.Cell;
import org.sharpsweep.analysis.HeatmapResult.State;
import org.sharpsweep.analysis.Pixels;
import org.sharpsweep.sweeps.ResultSchema;

/**
 * Pictures from a real results table: a small sweep runs through the CLI with {@code --report},
 * one of its learning rates diverges, and the heatmap, the diagram and the HTML report are
 * checked against the table (in headless Chromium for the page).
 */
class ReportIT {

    /** 3 learning rates x 2 batch sizes; lr 400 diverges at both batch sizes. */
    static final String SPEC = """
            name: pictures
            seed: 3
            data: {dataset: teacher, target: single-neuron, input_dim: 4, n_train: 32, n_test: 64}
            model: {depth: 1, width: 6, activation: tanh}
            loss: mse
            train: {steps: 150}
            measure: {max_iters: 40}
            grid:
              lr: [0.05, 0.3, 400.0]
              batch_size: [8, 32]
            """;

    @TempDir
    static Path tmp;
    static String out;
    static String runOutput;

    @BeforeAll
    static void sweep() throws Exception {
        SharedSpark.get();
        Path spec = tmp.resolve("pictures.yaml");
        Files.writeString(spec, SPEC);
        out = tmp.resolve("results").toString();
        runOutput = SweepIT.capture(() -> assertEquals(0, Main.execute("run", spec.toString(), "--out", out,
                "--no-progress", "--report")));
    }

    @Test
    void runWithReportWritesTheReportBesideTheTable() throws Exception {
        Path index = Path.of(out, "_report", "index.html");
        assertTrue(runOutput.contains("report:  " + index.toAbsolutePath()), runOutput);
        String html = Files.readString(index);
        assertTrue(html.contains("<h2>Sweep <code>pictures</code></h2>"));
        assertTrue(html.contains(ResultSchema.specFile("pictures")), "the spec as run is shown");
        assertTrue(html.contains("lr: [0.05, 0.3, 400.0]") || html.contains("- 400.0"), "the spec's text is in the page");
        assertTrue(html.contains("400"), "the diverged points are listed");
        // every image the page shows exists, as PNG with its SVG beside it, and the browser loads them all
        // the pictures: images of the page's markup (the inline plotting library writes some of its own)
        Matcher m = Pattern.compile("<img src=\"([^\"]+)\"").matcher(html.replaceAll("(?s)<script>.*?</script>", ""));
        int images = 0;
        while (m.find()) {
            images++;
            Path png = index.getParent().resolve(m.group(1));
            assertTrue(Files.size(png) > 1000, png.toString());
            assertTrue(Files.exists(Path.of(png.toString().replaceAll("\\.png$", ".svg"))), "SVG beside " + png);
        }
        assertTrue(images >= 5, "heatmaps of five metrics over lr x batch_size and the diagram, got " + images);
        int[] loaded = Chromium.imagesLoaded(Chromium.browse(tmp, "--dump-dom", index.toUri().toString()));
        assertEquals(images, loaded[1], "images the browser saw");
        assertEquals(images, loaded[0], "images that decoded");
    }

    @Test
    void heatmapMarksTheDivergedCellsAndColoursValuesApart() throws Exception {
        SparkSession spark = SharedSpark.get();
        Path png = tmp.resolve("sharpness.png");
        HeatmapResult r = Heatmap.render(spark, out,
                new HeatmapOptions(ResultSchema.SHARPNESS, "lr", "batch_size", null, Aggregation.MEAN), png);
        BufferedImage img = Pixels.read(png);
        assertEquals(HeatmapOptions.DEFAULT_WIDTH, img.getWidth());
        assertEquals(HeatmapOptions.DEFAULT_HEIGHT, img.getHeight());
        assertEquals(List.of("0.05", "0.3", "400"), r.xLabels());
        Set<Integer> fills = new HashSet<>();
        for (Cell c : r.cells()) {
            double lr = ((Number) c.xValue()).doubleValue();
            String where = "cell lr=" + lr + ", B=" + c.yValue();
            if (lr == 400.0) {
                assertEquals(State.DIVERGED, c.state(), where);
                assertEquals(1, c.diverged(), where);
            } else {
                assertEquals(State.VALUE, c.state(), where);
                assertNotNull(c.value(), where);
                fills.add(c.fill().getRGB());
            }
            assertTrue(Pixels.fraction(img, c.box(), 3, c.fill()) > 0.3, where + " is drawn in its colour");
        }
        assertEquals(4, fills.size(), "four different sharpness values, four colours");
        Cell diverged = r.cell(400.0, 8);
        for (Cell c : r.cells()) {
            if (c.state() == State.VALUE) {
                assertNotEquals(diverged.fill(), c.fill(), "a diverged cell does not look like a value");
                assertTrue(Pixels.fraction(img, diverged.box(), 3, c.fill()) < 0.05, "no value colour in a diverged cell");
            }
        }
    }

    @Test
    void cliDrawsHeatmapAndDiagramAndNamesTheValidChoicesOnAnError() throws Exception {
        Path heat = tmp.resolve("gap.svg");
        String printed = SweepIT.capture(() -> assertEquals(0, Main.execute("heatmap", out, "--metric", "gen_gap_loss",
                "--x", "batch_size", "--y", "lr", "--agg", "max", "--out", heat.toString())));
        assertTrue(printed.contains(heat.toAbsolutePath().toString()), printed);
        String svg = Files.readString(heat);
        assertTrue(svg.startsWith("<?xml") && svg.contains("<svg"), "an SVG file");
        assertTrue(svg.contains(">generalization gap: test loss − train loss") && svg.contains(">batch size B<")
                && svg.contains(">learning rate lr<"), "the metric and the axes are named in words");
        assertTrue(svg.contains(">diverged<") && svg.contains(">400<"), "the diverged row is marked and labelled");

        Path diagram = tmp.resolve("diagram.png");
        SweepIT.capture(() -> assertEquals(0, Main.execute("diagram", out, "--where", "lr < 1", "--out", diagram.toString())));
        assertTrue(Pixels.read(diagram).getWidth() > 0);

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true));
        int code;
        try {
            code = Main.execute("heatmap", out, "--metric", "sharpnes", "--x", "lr", "--out", tmp.resolve("x.png").toString());
        } finally {
            System.setErr(old);
        }
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("sharpnes") && err.toString().contains("nonuniformity"),
                "names the bad metric and lists the valid ones: " + err);
        assertTrue(Files.notExists(tmp.resolve("x.png")), "nothing written on a bad metric");
    }

    @Test
    void reportCommandWritesWhereItIsTold() throws Exception {
        Path dir = tmp.resolve("elsewhere");
        SweepIT.capture(() -> assertEquals(0, Main.execute("report", out, "--out", dir.toString())));
        try (Stream<Path> files = Files.list(dir.resolve("img"))) {
            assertTrue(files.anyMatch(f -> f.toString().endsWith(".svg")));
        }
        assertTrue(Files.readString(dir.resolve("index.html")).contains("pictures"));
    }
}
