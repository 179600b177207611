package org.sharpsweep.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.xml.parsers.DocumentBuilderFactory;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sharpsweep.analysis.HeatmapResult.Cell;
import org.sharpsweep.analysis.HeatmapResult.State;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * Heatmaps of a real Parquet results table (see {@link ResultsFixture}): expected cell values
 * are the plain-Java means of the fixture's formulas, expected marks come from the fixture's
 * predicates, and the pictures are read back pixel by pixel.
 */
class HeatmapIT {
    /** Relative tolerance of a cell mean against the plain-Java mean (summation order only). */
    private static final double MEAN_TOL = 1e-12;
    /** A hatched cell has at least this fraction of its pixels in the hatch colour (1.6 px lines every 9 px). */
    private static final double HATCH_MIN = 0.10;
    private static final String TEACHER = "sweep_id = '" + ResultsFixture.REGRESSION + "'";

    @TempDir
    static Path tmp;
    static SparkSession spark;
    static String dir;

    @BeforeAll
    static void table() {
        spark = ResultsFixture.spark();
        List<Map<String, Object>> rows = new ArrayList<>(ResultsFixture.regression());
        rows.addAll(ResultsFixture.classification());
        dir = tmp.resolve("results").toString();
        ResultsFixture.write(spark, rows, tmp.resolve("results"));
    }


    private static HeatmapResult sharpnessByLrAndBatch(Path out) {
        return Heatmap.render(spark, dir, new HeatmapOptions("sharpness", "lr", "batch_size", TEACHER, null), out);
    }

    /**
     * The grid read back from the rows: a learning rate resolved per point from
     * lr_in_2_over_lambda0 is no axis (the multiple is), and an sgd point's null sam_rho follows
     * the optimizer axis rather than standing for it.
     */
    @Test
    void aResolvedLrIsNoAxisAndSamRhoFollowsTheOptimizer() {
        List<Map<String, Object>> rows = new ArrayList<>();
        int i = 0;
        for (Map<String, Object> r : ResultsFixture.regression()) {
            Map<String, Object> m = new java.util.LinkedHashMap<>(r);
            m.put("lr_in_2_over_lambda0", r.get("lr"));
            m.put("lr", (Double) r.get("lr") * (1 + 0.001 * i)); // multiple x 2/lambda_0: lambda_0 differs per point
            boolean sam = i++ % 2 == 0;
            m.put("optimizer", sam ? "sam" : "sgd");
            m.put("sam_rho", sam ? 0.05 : null);
            rows.add(m);
        }
        org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> d = spark.createDataFrame(
                rows.stream().map(ResultsFixture::row).toList(), org.sharpsweep.store.SparkSchema.results());
        List<String> axes = GridAxes.independent(d, GridAxes.describe(d).values());
        assertTrue(axes.contains("lr_in_2_over_lambda0") && axes.contains("optimizer"), axes.toString());
        assertTrue(!axes.contains("lr") && !axes.contains("sam_rho"), axes.toString());

        // a heatmap over them averages over the other independent axes only, not over sam_rho or the resolved lr
        Path table = tmp.resolve("resolved");
        ResultsFixture.write(spark, rows, table);
        HeatmapResult h = Heatmap.render(spark, table.toString(),
                new HeatmapOptions("sharpness", "lr_in_2_over_lambda0", "optimizer", null, null), tmp.resolve("resolved.png"));
        assertEquals(List.of("batch_size", "width", "replicate"), h.aggregatedOver());
    }

    @Test
    void cellsHoldTheMeanOverOkPointsAndTheStatusOfTheRest() {
        HeatmapResult r = sharpnessByLrAndBatch(tmp.resolve("values.png"));
        assertEquals(List.of("width", "replicate"), r.aggregatedOver());
        assertEquals(Aggregation.MEAN, r.agg());
        assertEquals(9, r.cells().size());
        for (double lr : ResultsFixture.LRS) {
            for (int b : ResultsFixture.BATCHES) {
                Cell c = r.cell(lr, b);
                String where = "cell lr=" + lr + ", B=" + b;
                Double expected = ResultsFixture.okMean(lr, b, ResultsFixture::sharpness);
                if (ResultsFixture.missing(lr, b)) {
                    assertEquals(State.MISSING, c.state(), where);
                } else if (ResultsFixture.allDiverged(lr, b)) {
                    assertEquals(State.DIVERGED, c.state(), where);
                    assertEquals(4, c.diverged(), where);
                } else if (ResultsFixture.allFailed(lr, b)) {
                    assertEquals(State.FAILED, c.state(), where);
                    assertEquals(4, c.failed(), where);
                } else {
                    assertEquals(State.VALUE, c.state(), where);
                    assertEquals(expected, c.value(), Math.abs(expected) * MEAN_TOL, where);
                }
                if (c.state() != State.VALUE) assertNull(c.value(), where);
            }
        }
        Cell partial = r.cell(1.0, 50);
        assertEquals(3, partial.ok());
        assertEquals(1, partial.diverged());
        assertTrue(partial.text().contains("+1 div"), partial.text());
        Cell retried = r.cell(0.1, 10);
        assertEquals(0, retried.failed(), "the FAILED attempt of a point that later finished OK is not counted");
        assertEquals(4, retried.ok());
    }

    @Test
    void writesAPngOfTheRequestedSizeWithAColourPerValue() throws Exception {
        Path png = tmp.resolve("colours.png");
        HeatmapResult r = Heatmap.render(spark, dir,
                new HeatmapOptions("sharpness", "lr", "batch_size", TEACHER, Aggregation.MEAN, 900, 640), png);
        BufferedImage img = Pixels.read(png);
        assertEquals(900, img.getWidth());
        assertEquals(640, img.getHeight());

        List<Cell> values = r.cells().stream().filter(c -> c.state() == State.VALUE).toList();
        assertEquals(6, values.size());
        Set<Integer> seen = new HashSet<>();
        for (Cell c : values) {
            // bottom-left inside the cell: away from the text in the middle and the corner mark top right
            Color pixel = Pixels.at(img, c.box().x() + 6, c.box().y() + c.box().height() - 6);
            assertTrue(Pixels.same(pixel, c.fill()), "cell " + c.xValue() + "," + c.yValue() + " drawn " + pixel + ", expected " + c.fill());
            seen.add(pixel.getRGB());
        }
        assertEquals(values.size(), seen.size(), "six different means, six different colours");
        // viridis grows lighter with the value: order the cells by value, their pixels by luminance
        List<Cell> byValue = new ArrayList<>(values);
        byValue.sort((a, b) -> Double.compare(a.value(), b.value()));
        for (int i = 1; i < byValue.size(); i++) {
            Cell lo = byValue.get(i - 1);
            Cell hi = byValue.get(i);
            double l0 = Colours.luminance(Pixels.at(img, lo.box().x() + 6, lo.box().y() + lo.box().height() - 6));
            double l1 = Colours.luminance(Pixels.at(img, hi.box().x() + 6, hi.box().y() + hi.box().height() - 6));
            assertTrue(l1 > l0, "value " + hi.value() + " must be drawn lighter than " + lo.value());
        }
        assertTrue(r.logColourScale(), "values from 0.79 to 61 span more than a factor 20");
        assertEquals(byValue.get(0).value(), r.colourMin(), 0);
        assertEquals(byValue.get(5).value(), r.colourMax(), 0);
    }

    @Test
    void marksDivergedAndFailedCellsWhereThosePointsAreAndLeavesMissingOnesBlank() throws Exception {
        Path png = tmp.resolve("marks.png");
        HeatmapResult r = sharpnessByLrAndBatch(png);
        BufferedImage img = Pixels.read(png);
        for (double lr : ResultsFixture.LRS) {
            for (int b : ResultsFixture.BATCHES) {
                Cell c = r.cell(lr, b);
                String where = "cell lr=" + lr + ", B=" + b;
                double red = Pixels.fraction(img, c.box(), 3, Colours.DIVERGED_HATCH);
                double grey = Pixels.fraction(img, c.box(), 3, Colours.FAILED_HATCH);
                double white = Pixels.fraction(img, c.box(), 3, Color.WHITE);
                if (ResultsFixture.allDiverged(lr, b)) {
                    assertTrue(red > HATCH_MIN, where + ": red hatch fraction " + red);
                } else {
                    assertTrue(red < 0.02, where + ": only a diverged cell is hatched red, fraction " + red);
                }
                if (ResultsFixture.allFailed(lr, b)) {
                    assertTrue(grey > HATCH_MIN, where + ": grey hatch fraction " + grey);
                } else {
                    assertTrue(grey < 0.02, where + ": only a failed cell is hatched grey, fraction " + grey);
                }
                if (ResultsFixture.missing(lr, b)) {
                    assertTrue(white > 0.95, where + ": a missing cell is blank, white fraction " + white);
                } else {
                    assertTrue(white < 0.5, where + ": white fraction " + white);
                }
            }
        }
        // the cell with 3 OK points and 1 diverged carries the red corner mark
        Box partial = r.cell(1.0, 50).box();
        Color corner = Pixels.at(img, partial.x() + partial.width() - 3, partial.y() + 3);
        assertTrue(Pixels.same(corner, Colours.DIVERGED_HATCH), "corner mark of a partly diverged cell, got " + corner);
        Box clean = r.cell(0.1, 50).box();
        Color noCorner = Pixels.at(img, clean.x() + clean.width() - 3, clean.y() + 3);
        assertTrue(Pixels.same(noCorner, r.cell(0.1, 50).fill()), "no mark on a cell whose points all finished OK");
    }

    @Test
    void svgCarriesTheSameDrawingWithRealAxisValues() throws Exception {
        Path svg = tmp.resolve("h.svg");
        HeatmapResult r = sharpnessByLrAndBatch(svg);
        assertTrue(r.xLogSpaced());
        assertTrue(r.yLogSpaced());
        assertEquals(List.of("0.01", "0.1", "1"), r.xLabels());
        assertEquals(List.of("10", "50", "200"), r.yLabels());
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile());
        assertEquals("svg", doc.getDocumentElement().getNodeName());
        assertEquals("960px", doc.getDocumentElement().getAttribute("width"));
        assertEquals("720px", doc.getDocumentElement().getAttribute("height"));
        Set<String> texts = new HashSet<>();
        NodeList nodes = doc.getElementsByTagName("text");
        for (int i = 0; i < nodes.getLength(); i++) texts.add(nodes.item(i).getTextContent());
        for (String label : List.of("0.01", "0.1", "1", "10", "50", "200", "diverged", "failed")) {
            assertTrue(texts.contains(label), "SVG has a text '" + label + "': " + texts);
        }
        assertTrue(texts.contains("learning rate lr (log-spaced)"), texts.toString());
        assertTrue(texts.contains("batch size B (log-spaced)"), texts.toString());
        // the value written in the cell lr = 0.01, B = 10: mean sharpness from the fixture's formula
        String written = Format.cell(ResultsFixture.okMean(0.01, 10, ResultsFixture::sharpness));
        assertEquals("61", written);
        assertTrue(texts.contains(written), texts.toString());
        assertTrue(texts.stream().anyMatch(t -> t.startsWith("sharpness λmax(H) — mean over width, seed replicates | where "
                + TEACHER)), "title names the metric, the aggregation and the predicate: " + texts);
    }

    @Test
    void otherAggregationsAndTheirTitles() {
        HeatmapResult max = Heatmap.render(spark, dir,
                new HeatmapOptions("gen_gap_loss", "lr", "width", TEACHER, Aggregation.MAX), tmp.resolve("max.png"));
        assertTrue(max.title().startsWith("generalization gap: test loss − train loss — max over batch_size, seed replicates"), max.title());
        // lr = 0.1, width = 20: max over B in {10, 50, 200} and both replicates of test - train = train + 0.01
        double expected = Double.NEGATIVE_INFINITY;
        for (int b : ResultsFixture.BATCHES) {
            for (int rep = 0; rep < ResultsFixture.REPLICATES; rep++) {
                expected = Math.max(expected, ResultsFixture.testLoss(0.1, b, 20, rep) - ResultsFixture.trainLoss(0.1, b, 20, rep));
            }
        }
        assertEquals(expected, max.cell(0.1, 20).value(), 1e-15);

        HeatmapResult median = Heatmap.render(spark, dir,
                new HeatmapOptions("sharpness", "batch_size", "replicate", TEACHER + " AND lr = 0.1", Aggregation.MEDIAN),
                tmp.resolve("median.png"));
        assertEquals(List.of("width"), median.aggregatedOver(), "lr is fixed by the predicate, so only width varies in a cell");
        double[] two = {ResultsFixture.sharpness(0.1, 50, 20, 1), ResultsFixture.sharpness(0.1, 50, 100, 1)};
        assertEquals((two[0] + two[1]) / 2, median.cell(50, 1).value(), 1e-12, "median of two values is their mean");
    }

    @Test
    void allSweepsTogetherAggregateOverSweepId() {
        HeatmapResult r = Heatmap.render(spark, dir, new HeatmapOptions("sharpness", "lr", "batch_size", null, null),
                tmp.resolve("all.png"));
        assertTrue(r.aggregatedOver().contains("sweep_id"), r.aggregatedOver().toString());
        assertEquals(List.of(0.01, 0.05, 0.1, 1.0), r.xValues());
    }

    @Test
    void singleRowWhenNoYAxis() throws Exception {
        Path png = tmp.resolve("row.png");
        HeatmapResult r = Heatmap.render(spark, dir, new HeatmapOptions("test_acc", "lr", null, "sweep_id = 'fmnist-small'", null), png);
        assertEquals(2, r.cells().size());
        assertEquals(Arrays.asList((Object) null), r.yValues());
        // test_acc of the fixture's classification points: 0.70 + 0.05 * (index + 1), index = 2 * lr_index + b_index
        assertEquals((0.75 + 0.80) / 2, r.cell(0.05, null).value(), 1e-12);
        assertEquals((0.85 + 0.90) / 2, r.cell(0.1, null).value(), 1e-12);
        assertTrue(Files.size(png) > 0);
    }

    @Test
    void unknownMetricOrAxisListsTheValidOnes() {
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class, () -> Heatmap.render(spark, dir,
                new HeatmapOptions("sharpnes", "lr", "batch_size", null, null), tmp.resolve("x.png")));
        assertTrue(m.getMessage().contains("unknown metric 'sharpnes'"), m.getMessage());
        for (String valid : List.of("sharpness", "nonuniformity", "gen_gap_loss", "gen_gap_acc", "test_acc", "stability_max_eig")) {
            assertTrue(m.getMessage().contains(valid), m.getMessage());
        }
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class, () -> Heatmap.render(spark, dir,
                new HeatmapOptions("sharpness", "learning_rate", "batch_size", null, null), tmp.resolve("x.png")));
        assertTrue(a.getMessage().contains("unknown x axis 'learning_rate'"), a.getMessage());
        for (String valid : List.of("lr", "batch_size", "width", "replicate")) {
            assertTrue(a.getMessage().contains(valid), a.getMessage());
        }
        assertTrue(!a.getMessage().contains("seed,") && !a.getMessage().contains("depth"), "seed and constant columns are no axes: " + a.getMessage());
        IllegalArgumentException constant = assertThrows(IllegalArgumentException.class, () -> Heatmap.render(spark, dir,
                new HeatmapOptions("sharpness", "lr", "depth", null, null), tmp.resolve("x.png")));
        assertTrue(constant.getMessage().contains("y axis 'depth' does not vary"), constant.getMessage());
        IllegalArgumentException metricAsAxis = assertThrows(IllegalArgumentException.class, () -> Heatmap.render(spark, dir,
                new HeatmapOptions("lr", "lr", "batch_size", null, null), tmp.resolve("x.png")));
        assertTrue(metricAsAxis.getMessage().contains("unknown metric 'lr'"), metricAsAxis.getMessage());
    }

    /** An expression as the metric: each cell the mean of the expression over its OK points, the title naming it. */
    @Test
    void anExpressionOverTheColumnsIsAMetric() {
        HeatmapResult r = Heatmap.render(spark, dir, new HeatmapOptions("sharpness * lr / 2", "lr", "width", TEACHER, Aggregation.MAX),
                tmp.resolve("expr.png"));
        assertTrue(r.title().startsWith("sharpness * lr / 2 — max over batch_size, seed replicates"), r.title());
        double expected = Double.NEGATIVE_INFINITY;
        for (int b : ResultsFixture.BATCHES) {
            for (int rep = 0; rep < ResultsFixture.REPLICATES; rep++) {
                expected = Math.max(expected, ResultsFixture.sharpness(0.1, b, 20, rep) * 0.1 / 2);
            }
        }
        assertEquals(expected, r.cell(0.1, 20).value(), 1e-15);
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> Heatmap.render(spark, dir,
                new HeatmapOptions("sharpness * no_such_column", "lr", "width", null, null), tmp.resolve("x.png")));
        assertTrue(bad.getMessage().startsWith("metric 'sharpness * no_such_column' is neither a metric column nor a Spark SQL expression")
                && bad.getMessage().contains("no_such_column"), bad.getMessage());
        IllegalArgumentException aggregate = assertThrows(IllegalArgumentException.class, () -> Heatmap.render(spark, dir,
                new HeatmapOptions("avg(sharpness)", "lr", "width", null, null), tmp.resolve("x.png")));
        assertTrue(aggregate.getMessage().startsWith("metric 'avg(sharpness)' is neither") && aggregate.getMessage().contains("value per point"),
                aggregate.getMessage());
        IllegalArgumentException text = assertThrows(IllegalArgumentException.class, () -> Heatmap.render(spark, dir,
                new HeatmapOptions("concat(status, 'x')", "lr", "width", null, null), tmp.resolve("x.png")));
        assertTrue(text.getMessage().contains("is of type string, not a number"), text.getMessage());
    }

    @Test
    void badPredicateExtensionOrOptionsAreClearErrors() {
        IllegalArgumentException where = assertThrows(IllegalArgumentException.class, () -> Heatmap.render(spark, dir,
                new HeatmapOptions("sharpness", "lr", "batch_size", "no_such_column > 1", null), tmp.resolve("x.png")));
        assertTrue(where.getMessage().contains("no_such_column > 1"), where.getMessage());
        IllegalArgumentException syntax = assertThrows(IllegalArgumentException.class, () -> Heatmap.render(spark, dir,
                new HeatmapOptions("sharpness", "lr", "batch_size", "lr >>> 2", null), tmp.resolve("x.png")));
        assertTrue(syntax.getMessage().contains("Syntax error"), "the reason is given, not an empty line: " + syntax.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> Heatmap.render(spark, dir,
                new HeatmapOptions("sharpness", "lr", "batch_size", "lr > 100", null), tmp.resolve("x.png")));
        assertTrue(none.getMessage().contains("no results match"), none.getMessage());
        IllegalArgumentException ext = assertThrows(IllegalArgumentException.class, () -> Heatmap.render(spark, dir,
                new HeatmapOptions("sharpness", "lr", "batch_size", null, null), tmp.resolve("x.jpg")));
        assertTrue(ext.getMessage().contains(".png or .svg"), ext.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new HeatmapOptions("sharpness", "lr", "lr", null, null));
        assertThrows(IllegalArgumentException.class, () -> new HeatmapOptions("sharpness", "lr", "width", null, null, 100, 100));
        IllegalArgumentException agg = assertThrows(IllegalArgumentException.class, () -> Aggregation.parse("average"));
        assertTrue(agg.getMessage().contains("mean, median, min, max"), agg.getMessage());
        assertEquals(Aggregation.MEDIAN, Aggregation.parse("Median"));
        IllegalArgumentException noTable = assertThrows(IllegalArgumentException.class, () -> Heatmap.render(spark,
                tmp.resolve("nothing-here").toString(), new HeatmapOptions("sharpness", "lr", "batch_size", null, null),
                tmp.resolve("x.png")));
        assertTrue(noTable.getMessage().contains("no results table"), noTable.getMessage());
    }
}
