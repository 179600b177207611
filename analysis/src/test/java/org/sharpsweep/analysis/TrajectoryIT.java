package org.sharpsweep.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sharpsweep.store.SparkSchema;
import org.sharpsweep.sweeps.ResultSchema;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * Trajectory pictures of a real results directory: a results table and trajectory Parquet in
 * {@code DIR/_trajectories/sweep_id=...}, written by Spark as the driver writes them. The
 * measurements follow the closed forms {@link #sharpness} and {@link #trainLoss}, so what a
 * line and a bound must be is known without the code under test.
 */
class TrajectoryIT {
    /** Three learning rates, two widths, full batch: colour by lr. Sharpness in every measurement. */
    static final String EOS = "eos";
    /** One lr, two batch sizes: colour by batch size. No sharpness measured, only the loss. */
    static final String BATCHES = "batches";
    /** No trajectories at all (measure.every unset). */
    static final String PLAIN = "plain";
    static final double[] LRS = {0.1, 0.2, 0.4};
    static final int[] WIDTHS = {16, 32};
    static final int EVERY = 10;
    static final int STEPS = 100;
    static final Timestamp STARTED = Timestamp.valueOf("2025-01-01 00:00:00");
    /** The attempt of the point that failed first: its results row is dropped, and so must its measurements be. */
    static final Timestamp FAILED_ATTEMPT = Timestamp.valueOf("2024-12-31 00:00:00");

    @TempDir
    static Path tmp;
    static SparkSession spark;
    static String dir;
    static Trajectory.Result eos;

    /** Progressive sharpening towards, never past, 2/lr: from 0.2 to 0.9 (0.92 at width 32) of it. */
    static double sharpness(double lr, int width, int step) {
        return (2 / lr) * (0.2 + 0.7 * step / STEPS + (width == 32 ? 0.02 * step / STEPS : 0));
    }

    /** 1/(1 + step): 1 at the start, positive throughout. */
    static double trainLoss(double lr, int width, int step) {
        return 1.0 / (1 + step) * (1 + lr);
    }

    static String eosId(double lr, int width) {
        return "e-lr" + lr + "-w" + width;
    }

    @BeforeAll
    static void write() {
        spark = ResultsFixture.spark();
        Path d = tmp.resolve("results");
        dir = d.toString();
        List<Map<String, Object>> results = new ArrayList<>();
        List<Map<String, Object>> trajectories = new ArrayList<>();
        List<Map<String, Object>> later = new ArrayList<>();
        for (double lr : LRS) {
            for (int w : WIDTHS) {
                Map<String, Object> m = point(EOS, eosId(lr, w), lr, 200, w);
                results.add(m);
                // descending steps, split over two files: the lines must come back ordered by step
                for (int step = STEPS; step >= 0; step -= EVERY) {
                    (step % 20 == 0 ? trajectories : later).add(measurement(EOS, eosId(lr, w), STARTED, step,
                            sharpness(lr, w, step), trainLoss(lr, w, step)));
                }
            }
        }
        // the point lr = 0.1, width 16 failed once before: that attempt's measurement must not show
        Map<String, Object> failed = point(EOS, eosId(0.1, 16), 0.1, 200, 16);
        failed.put(ResultSchema.STATUS, "FAILED");
        failed.put(ResultSchema.START_TIME, FAILED_ATTEMPT);
        results.add(failed);
        trajectories.add(measurement(EOS, eosId(0.1, 16), FAILED_ATTEMPT, 5, 999.0, 7.0));

        for (int b : new int[] {50, 100}) {
            results.add(point(BATCHES, "b" + b, 0.1, b, 16));
            for (int step = 0; step <= STEPS; step += EVERY) {
                trajectories.add(measurement(BATCHES, "b" + b, STARTED, step, null, trainLoss(0.1, b, step)));
            }
        }
        results.add(point(PLAIN, "p0", 0.1, 50, 16));
        results.add(point(PLAIN, "p1", 0.2, 50, 16));
        ResultsFixture.write(spark, results, d);
        writeTrajectories(trajectories, d);
        writeTrajectories(later, d);
        eos = Trajectory.compute(spark, dir, new Trajectory.Options(null, null, null, EOS));
    }

    static Map<String, Object> point(String sweep, String id, double lr, int batch, int width) {
        Map<String, Object> m = ResultsFixture.base(sweep);
        m.put(ResultSchema.POINT_ID, id);
        m.put("lr", lr);
        m.put("batch_size", batch);
        m.put("width", width);
        m.put("steps", STEPS);
        m.put(ResultSchema.STATUS, "OK");
        m.put(ResultSchema.SHARPNESS_BOUND, 2 / lr);
        return m;
    }

    static Map<String, Object> measurement(String sweep, String id, Timestamp started, int step, Double sharpness, double loss) {
        Map<String, Object> m = new java.util.HashMap<>();
        m.put(ResultSchema.SWEEP_ID, sweep);
        m.put(ResultSchema.POINT_ID, id);
        m.put(ResultSchema.START_TIME, started);
        m.put(ResultSchema.STEP, step);
        m.put(ResultSchema.SHARPNESS, sharpness);
        m.put(ResultSchema.TRAIN_LOSS, loss);
        m.put(ResultSchema.TRAIN_SECONDS, 0.01 * step);
        return m;
    }

    /** Appends the rows to {@code DIR/_trajectories/sweep_id=...} as Parquet, as the driver does. */
    static void writeTrajectories(List<Map<String, Object>> rows, Path d) {
        StructType schema = SparkSchema.of(ResultSchema.TRAJECTORIES);
        List<Row> out = new ArrayList<>();
        for (Map<String, Object> m : rows) {
            out.add(RowFactory.create(IntStream.range(0, schema.size()).mapToObj(i -> m.get(schema.fields()[i].name())).toArray()));
        }
        spark.createDataFrame(out, schema).write().partitionBy(ResultSchema.SWEEP_ID).mode("append")
                .parquet(d.resolve(ResultSchema.TRAJECTORIES.folder()).toString());
    }


    static Trajectory.Line line(Trajectory.Result r, String pointId) {
        return r.lines().stream().filter(l -> l.pointId().equals(pointId)).findFirst().orElseThrow();
    }

    @Test
    void oneLinePerPointOrderedByStepWithTheKeptAttemptOnly() {
        assertEquals(6, eos.lines().size());
        assertEquals(List.of(EOS), eos.sweeps());
        List<Integer> steps = IntStream.rangeClosed(0, STEPS / EVERY).map(i -> i * EVERY).boxed().toList();
        for (Trajectory.Line l : eos.lines()) {
            assertEquals(steps, l.values().stream().map(Trajectory.Sample::step).toList(), l.pointId());
            assertEquals(steps, l.trainLoss().stream().map(Trajectory.Sample::step).toList(), l.pointId());
            assertEquals("OK", l.status());
        }
        Trajectory.Line l = line(eos, eosId(0.1, 16));
        assertEquals(sharpness(0.1, 16, 0), l.first(), 1e-12);
        assertEquals(sharpness(0.1, 16, STEPS), l.last(), 1e-12);
        assertEquals(l.first(), l.min(), 0);
        assertEquals(l.last(), l.max(), 0, "the failed attempt's 999 at step 5 is not shown");
        assertEquals(trainLoss(0.1, 16, 30), l.trainLoss().get(3).value(), 1e-12);
        assertEquals(6 * steps.size(), eos.measurements());
    }

    @Test
    void coloursByLrWhenItVariesElseByBatchSizeElseLr() {
        assertEquals("lr", eos.colourBy());
        assertEquals(List.of(0.1, 0.2, 0.4), eos.colourValues());
        assertEquals(List.of(eosId(0.1, 16), eosId(0.1, 32), eosId(0.2, 16), eosId(0.2, 32), eosId(0.4, 16), eosId(0.4, 32)),
                eos.lines().stream().map(Trajectory.Line::pointId).toList(), "ordered by colour value, then point");
        for (Trajectory.Line l : eos.lines()) assertEquals(eos.colourValues().indexOf(l.lr()), l.colourIndex(), l.pointId());

        Trajectory.Result batches = Trajectory.compute(spark, dir, new Trajectory.Options(ResultSchema.TRAIN_LOSS, null, null, BATCHES));
        assertEquals("batch_size", batches.colourBy(), "one lr, two batch sizes");
        assertEquals(List.of(50L, 100L), batches.colourValues());

        Trajectory.Result one = Trajectory.compute(spark, dir, new Trajectory.Options(null, "lr = 0.2 AND width = 32", null, null));
        assertEquals("lr", one.colourBy(), "a single point: lr");
        Trajectory.Result byWidth = Trajectory.compute(spark, dir, new Trajectory.Options(null, null, "width", EOS));
        assertEquals(List.of(16L, 32L), byWidth.colourValues());
    }

    @Test
    void boundsAreTwoOverLrInTheColourOfThatLrsLinesForSharpnessOnly() {
        assertEquals(List.of(new Trajectory.Bound(0.1, 20.0, 0), new Trajectory.Bound(0.2, 10.0, 1), new Trajectory.Bound(0.4, 5.0, 2)),
                eos.bounds());
        Trajectory.Result byWidth = Trajectory.compute(spark, dir, new Trajectory.Options(null, null, "width", EOS));
        assertTrue(byWidth.bounds().stream().allMatch(b -> b.colourIndex() == -1), "each lr's lines have two colours: grey");
        Trajectory.Result loss = Trajectory.compute(spark, dir, new Trajectory.Options(ResultSchema.TRAIN_LOSS, null, null, EOS));
        assertTrue(loss.bounds().isEmpty(), "2/lr bounds sharpness, not the loss");
    }

    @Test
    void whereSelectsPointsBySettings() {
        Trajectory.Result one = Trajectory.compute(spark, dir, new Trajectory.Options(null, "lr = 0.2 AND width = 32", null, null));
        assertEquals(List.of(eosId(0.2, 32)), one.lines().stream().map(Trajectory.Line::pointId).toList());
        assertEquals(List.of(new Trajectory.Bound(0.2, 10.0, 0)), one.bounds());
        assertEquals("lr = 0.2 AND width = 32", one.where());
        Trajectory.Result all = Trajectory.compute(spark, dir, new Trajectory.Options(ResultSchema.TRAIN_LOSS, "width = 16", null, null));
        assertEquals(List.of(BATCHES, EOS), all.sweeps(), "no --sweep: every sweep with trajectories");
        assertEquals(3 + 2, all.lines().size());
    }

    @Test
    void errorsNameTheFieldAndTheValue() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Trajectory.Options("nosuch", null, null, null));
        assertTrue(e.getMessage().contains("'nosuch'") && e.getMessage().contains("sharpness, ") && e.getMessage().contains("train_loss"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Trajectory.Options(null, null, "colour", null));
        assertTrue(e.getMessage().contains("colour axis 'colour'") && e.getMessage().contains("batch_size"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> Trajectory.compute(spark, dir, new Trajectory.Options(null, "lr = = 1", null, null)));
        assertTrue(e.getMessage().startsWith("where predicate 'lr = = 1' is not valid Spark SQL"), e.getMessage());
        assertTrue(e.getMessage().length() > "where predicate 'lr = = 1' is not valid Spark SQL over the results columns: ".length(),
                "Spark's reason follows: " + e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Trajectory.compute(spark, dir, new Trajectory.Options(null, "nosuch > 1", null, null)));
        assertTrue(e.getMessage().contains("'nosuch > 1'") && e.getMessage().contains("nosuch"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> Trajectory.compute(spark, dir, new Trajectory.Options(null, "lr = 99", null, null)));
        assertEquals("no points in " + dir + " that match --where 'lr = 99'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Trajectory.compute(spark, dir, new Trajectory.Options(null, "lr = 0.2", null, BATCHES)));
        assertEquals("no points of sweep '" + BATCHES + "' in " + dir + " that match --where 'lr = 0.2'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Trajectory.compute(spark, dir, new Trajectory.Options(null, "sweep_id = 'plain'", null, null)));
        assertEquals("none of the 2 points in " + dir + " that match --where 'sweep_id = 'plain'' has trajectories: run a sweep with measure.every: K",
                e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> Trajectory.compute(spark, dir, new Trajectory.Options(null, null, null, "nosuch")));
        assertEquals("no sweep 'nosuch' in " + dir + "; sweeps: " + BATCHES + ", " + EOS + ", " + PLAIN, e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Trajectory.compute(spark, dir, new Trajectory.Options(null, null, null, PLAIN)));
        assertEquals("no trajectories in " + dir + " for sweep 'plain': run a sweep with measure.every: K", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Trajectory.compute(spark, dir, new Trajectory.Options(null, null, null, BATCHES)));
        assertTrue(e.getMessage().startsWith("metric 'sharpness' has no value in the trajectories of the 2 selected points"), e.getMessage());

        Path bare = tmp.resolve("bare");
        ResultsFixture.write(spark, List.of(point(PLAIN, "p0", 0.1, 50, 16)), bare);
        e = assertThrows(IllegalArgumentException.class, () -> Trajectory.compute(spark, bare.toString(), new Trajectory.Options()));
        assertEquals("no trajectories in " + bare + ": run a sweep with measure.every: K", e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> Trajectory.checkPicture(tmp.resolve("t.jpg")));
        assertTrue(e.getMessage().contains(".png or .svg"), e.getMessage());
    }

    @Test
    void pngHasTheSizeAndEachBoundIsADashedLineInItsLrsColourAt2OverLr() throws Exception {
        Path png = tmp.resolve("t.png");
        Trajectory.draw(eos, png);
        BufferedImage img = Pixels.read(png);
        assertEquals(TrajectoryPainter.WIDTH, img.getWidth());
        assertEquals(TrajectoryPainter.HEIGHT, img.getHeight());
        assertEquals(900, img.getWidth());
        assertEquals(700, img.getHeight());

        TrajectoryPainter p = new TrajectoryPainter(eos, TrajectoryPainter.WIDTH, TrajectoryPainter.HEIGHT);
        Box top = p.topPlot();
        for (Trajectory.Bound b : eos.bounds()) {
            Color c = p.colour(b.colourIndex());
            double y = p.yMetric(b.value());
            assertTrue(top.contains(top.x() + 1, y), "2/lr = " + b.value() + " is inside the upper panel");
            // the 2 px dashed stroke covers the rows next to y; take the one it covers most
            int[] best = {0, 0};
            for (int row = (int) Math.floor(y) - 1; row <= (int) Math.ceil(y) + 1; row++) {
                int[] runs = runs(img, row, top.x() + 2, top.x() + top.width() - 2, c);
                if (runs[0] > best[0]) best = runs;
            }
            double fraction = best[0] / (top.width() - 4.0);
            // 9 px on, 6 px off: 60 % of the row in the lr's colour, in many separate dashes
            assertTrue(fraction > 0.45 && fraction < 0.75, "dashed, not solid or absent: " + fraction + " at y " + y + " for " + b);
            assertTrue(best[1] > top.width() / 15.0 * 0.8, "dashes: " + best[1] + " runs for " + b);
            // and nothing of that colour a few pixels above it, where the lines stay (sharpness <= 0.92 * 2/lr)
            int above = runs(img, (int) Math.round(y) - 6, top.x() + 2, top.x() + top.width() / 2, c)[0];
            assertEquals(0, above, "no bound drawn off its value for " + b);
        }
        // the line of lr = 0.4, width 32 ends at its last sharpness, in its lr's colour
        Trajectory.Line last = line(eos, eosId(0.4, 32));
        assertTrue(Pixels.countNear(img, p.x(STEPS) - 2, p.yMetric(last.last()), 2.5, p.colour(last.colourIndex()), 40) > 0,
                "line of " + last.pointId() + " at its last measurement");
        assertTrue(Pixels.countNear(img, p.x(0) + 2, p.yLoss(trainLoss(0.4, 32, 0)), 2.5, p.colour(last.colourIndex()), 40) > 0,
                "its loss at step 0 in the lower panel");
    }

    /** {pixels of colour c, separate runs of them} along one image row between x0 and x1. */
    static int[] runs(BufferedImage img, int row, int x0, int x1, Color c) {
        int hit = 0, runs = 0;
        boolean in = false;
        for (int x = x0; x < x1; x++) {
            boolean same = Pixels.same(new Color(img.getRGB(x, row)), c);
            if (same) hit++;
            if (same && !in) runs++;
            in = same;
        }
        return new int[] {hit, runs};
    }

    @Test
    void svgIsXmlWithTheTitleAndTheLegend() throws Exception {
        Path svg = tmp.resolve("t.svg");
        Trajectory.draw(eos, svg);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile());
        assertEquals("svg", doc.getDocumentElement().getNodeName());
        Set<String> texts = new HashSet<>();
        NodeList nodes = doc.getElementsByTagName("text");
        for (int i = 0; i < nodes.getLength(); i++) texts.add(nodes.item(i).getTextContent());
        assertEquals("sharpness λmax(H) during training — sweep eos", eos.title());
        assertTrue(texts.contains(eos.title()), texts.toString());
        for (String s : List.of("lr = 0.1", "lr = 0.2", "lr = 0.4", "2/lr (dashed)", "2/lr = 20", "step (updates taken)")) {
            assertTrue(texts.contains(s), "SVG has a text '" + s + "': " + texts);
        }
        assertFalse(Files.readString(svg).contains("<!DOCTYPE"), "no DTD to fetch");
    }

    @Test
    void reportDrawsTrajectoriesOnlyForSweepsThatHaveThem() throws Exception {
        Path index = Report.write(spark, dir, tmp.resolve("report"));
        String html = Files.readString(index);
        String eosSection = section(html, EOS);
        assertTrue(eosSection.contains("<h3>Trajectories</h3>"), "eos has trajectories");
        String png = "img/s2-eos-trajectory-sharpness.png";
        assertTrue(eosSection.contains("<img src=\"" + png + "\""), eosSection);
        assertTrue(eosSection.indexOf("<h3>Trajectories</h3>") > eosSection.indexOf("<h3>Sharpness / non-uniformity diagram</h3>"),
                "after the sweep's other figures");
        assertTrue(eosSection.contains("<figcaption>sharpness λmax(H) at each of 66 measurements of 6 points, coloured by learning rate lr;"
                + " dashed, each lr&#39;s 2/lr (Cohen et al. 2021); below, the train loss (log scale). <a href=\"img/s2-eos-trajectory-sharpness.svg\">SVG</a>"),
                eosSection);
        BufferedImage img = Pixels.read(index.getParent().resolve(png));
        assertEquals(Report.TRAJECTORY_WIDTH, img.getWidth());
        assertEquals(Report.TRAJECTORY_HEIGHT, img.getHeight());
        assertTrue(Files.readString(index.getParent().resolve("img/s2-eos-trajectory-sharpness.svg")).contains("</svg>"));

        String batches = section(html, BATCHES);
        assertTrue(batches.contains("<img src=\"img/s1-batches-trajectory-train_loss.png\""), "no sharpness measured: the loss");
        assertFalse(section(html, PLAIN).contains("Trajectories"), "a sweep without trajectories is unchanged");
    }

    static String section(String html, String sweep) {
        int start = html.indexOf("<h2>Sweep <code>" + sweep + "</code></h2>");
        assertTrue(start >= 0, "section of " + sweep);
        return html.substring(start, html.indexOf("</section>", start));
    }
}
