package org.sharpsweep.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sharpsweep.analysis.SpectralDensityTest.TWO_PROBE_NODES;
import static org.sharpsweep.analysis.SpectralDensityTest.TWO_PROBE_WEIGHTS;
import static org.sharpsweep.analysis.SpectralDensityTest.spreadNodes;
import static org.sharpsweep.analysis.SpectralDensityTest.trapezoid;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
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
 * Spectral densities of a real results directory: a results table and spectra Parquet in
 * {@code DIR/_spectra/sweep_id=...}, written by Spark as the driver writes them, with nodes and
 * weights chosen by hand so that what a density must be is a closed form written out here:
 * a Gaussian N(t; theta, sigma^2) = exp(-(t - theta)^2 / (2 sigma^2)) / (sigma sqrt(2 pi)) per node,
 * weighted, averaged over probes; sigma^2 = 1e-5 max(1, hi - lo) (PyHessian's density_generate).
 * The nodes and weights are {@link SpectralDensityTest}'s.
 */
class SpectralDensityIT {
    /** Three points with densities (and one with top-k rows), one failed attempt whose rows must not show. */
    static final String SPEC = "spec";
    /** No spectra at all (measure.density unset). */
    static final String PLAIN = "plain";
    static final int STEP = 100;
    static final Timestamp STARTED = Timestamp.valueOf("2025-01-01 00:00:00");
    static final Timestamp FAILED_ATTEMPT = Timestamp.valueOf("2024-12-31 00:00:00");

    /** lr 0.05: one probe, one node at 2 of weight 1 (a Krylov space of dimension 1); top-k rows 2 and 0.5. */
    static final double SINGLE_NODE = 2.0;
    /**
     * PyHessian's grid ends 0.01 beyond the mean extreme nodes, 1.3 sigma for the lr 0.2 point:
     * each extreme node of weight 1e-4 loses at most 1e-4 P(Z > 1.29) = 1e-5 beyond it, and the
     * trapezoid error at step 0.77 sigma is below 1e-12; so the grid integral is 1 within 1e-4.
     */
    static final double GRID_INTEGRAL_TOL = 1e-4;
    /** Rounding of sums of a few exponentials. */
    static final double CLOSED_FORM_TOL = 1e-12;

    @TempDir
    static Path tmp;
    static SparkSession spark;
    static String dir;
    static SpectralDensity.Result spec;

    static double gaussian(double t, double theta, double sigma) {
        double d = t - theta;
        return Math.exp(-d * d / (2 * sigma * sigma)) / (sigma * Math.sqrt(2 * Math.PI));
    }

    @BeforeAll
    static void write() {
        spark = ResultsFixture.spark();
        Path d = tmp.resolve("results");
        dir = d.toString();
        List<Map<String, Object>> results = new ArrayList<>();
        List<Map<String, Object>> spectra = new ArrayList<>();
        results.add(point(SPEC, "single", 0.05, SINGLE_NODE));
        spectra.add(row(SPEC, "single", STARTED, "density", 0, 1, SINGLE_NODE, 1.0));
        spectra.add(row(SPEC, "single", STARTED, "top_k", null, 1, SINGLE_NODE, null));
        spectra.add(row(SPEC, "single", STARTED, "top_k", null, 2, 0.5, null));
        results.add(point(SPEC, "two", 0.1, 4.0));
        for (int p = 0; p < 2; p++) {
            for (int j = 0; j < TWO_PROBE_NODES[p].length; j++) {
                spectra.add(row(SPEC, "two", STARTED, "density", p, j + 1, TWO_PROBE_NODES[p][j], TWO_PROBE_WEIGHTS[p][j]));
            }
        }
        results.add(point(SPEC, "spread", 0.2, null));
        for (int p = 0; p < 2; p++) {
            double[][] nw = spreadNodes(p);
            for (int j = 0; j < nw[0].length; j++) spectra.add(row(SPEC, "spread", STARTED, "density", p, j + 1, nw[0][j], nw[1][j]));
        }
        // the point "single" failed once before: that attempt's node at 50 must not show
        Map<String, Object> failed = point(SPEC, "single", 0.05, null);
        failed.put(ResultSchema.STATUS, "FAILED");
        failed.put(ResultSchema.START_TIME, FAILED_ATTEMPT);
        results.add(failed);
        spectra.add(row(SPEC, "single", FAILED_ATTEMPT, "density", 0, 1, 50.0, 1.0));
        results.add(point(PLAIN, "p0", 0.1, 3.0));
        ResultsFixture.write(spark, results, d);
        writeSpectra(spectra, d);
        spec = SpectralDensity.compute(spark, dir, new SpectralDensity.Options(null, null, SPEC));
    }

    static Map<String, Object> point(String sweep, String id, double lr, Double sharpness) {
        Map<String, Object> m = ResultsFixture.base(sweep);
        m.put(ResultSchema.POINT_ID, id);
        m.put("lr", lr);
        m.put(ResultSchema.STATUS, "OK");
        m.put(ResultSchema.SHARPNESS, sharpness);
        return m;
    }

    static Map<String, Object> row(String sweep, String id, Timestamp started, String kind, Integer probe, int rank, double value,
            Double weight) {
        Map<String, Object> m = new HashMap<>();
        m.put(ResultSchema.SWEEP_ID, sweep);
        m.put(ResultSchema.POINT_ID, id);
        m.put(ResultSchema.START_TIME, started);
        m.put(ResultSchema.STEP, STEP);
        m.put(ResultSchema.KIND, kind);
        m.put(ResultSchema.PROBE, probe);
        m.put(ResultSchema.RANK, rank);
        m.put(ResultSchema.EIGENVALUE, value);
        m.put(ResultSchema.WEIGHT, weight);
        m.put(ResultSchema.RESIDUAL, weight == null ? 1e-9 : null);
        return m;
    }

    /** Appends the rows to {@code DIR/_spectra/sweep_id=...} as Parquet, as the driver does. */
    static void writeSpectra(List<Map<String, Object>> rows, Path d) {
        StructType schema = SparkSchema.of(ResultSchema.SPECTRA);
        List<Row> out = new ArrayList<>();
        for (Map<String, Object> m : rows) {
            out.add(RowFactory.create(IntStream.range(0, schema.size()).mapToObj(i -> m.get(schema.fields()[i].name())).toArray()));
        }
        spark.createDataFrame(out, schema).write().partitionBy(ResultSchema.SWEEP_ID).mode("append")
                .parquet(d.resolve(ResultSchema.SPECTRA.folder()).toString());
    }


    static SpectralDensity.Curve curve(SpectralDensity.Result r, String pointId) {
        return r.curves().stream().filter(c -> c.pointId().equals(pointId)).findFirst().orElseThrow();
    }

    @Test
    void onePerPointWithTheKeptAttemptAndItsCounts() {
        assertEquals(List.of("single", "two", "spread"), spec.curves().stream().map(SpectralDensity.Curve::pointId).toList(),
                "ordered by lr");
        assertEquals("lr", spec.colourBy());
        assertEquals(List.of(0.05, 0.1, 0.2), spec.colourValues());
        assertEquals(List.of(SPEC), spec.sweeps());
        SpectralDensity.Curve single = curve(spec, "single");
        assertEquals(1, single.probes());
        assertEquals(1, single.nodes());
        assertEquals(SINGLE_NODE, single.topNode(), 0, "the failed attempt's node at 50 is not shown");
        assertEquals(List.of(SINGLE_NODE, 0.5), single.topK());
        assertEquals(STEP, single.step());
        assertEquals(SINGLE_NODE, single.sharpness());
        SpectralDensity.Curve two = curve(spec, "two");
        assertEquals(2, two.probes());
        assertEquals(3, two.nodes());
        assertEquals(4.0, two.topNode(), 0);
        assertEquals((0.5 + 0.3) / 2, two.negativeMass(), CLOSED_FORM_TOL, "weights of the node -1, averaged over probes");
        assertTrue(two.topK().isEmpty());
        SpectralDensity.Curve spread = curve(spec, "spread");
        assertEquals(null, spread.sharpness());
        assertEquals(5.0, spread.marked(), 0, "no sharpness: the top node is marked");
        assertEquals("SLQ, 1–2 probes, 1–41 nodes, Gaussian smoothing σ² = 1e-5 (normalized)", spec.method());
        assertEquals("Hessian spectral density — sweep spec", spec.title());
    }

    @Test
    void gridAndKernelAreAsPyHessians() {
        for (SpectralDensity.Curve c : spec.curves()) {
            assertEquals(SpectralDensity.DEFAULT_BINS, c.grid().length, c.pointId());
            double[] range = SpectralDensity.defaultRange(c.quadratures());
            assertEquals(range[0], c.grid()[0], 0, c.pointId());
            assertEquals(range[1], c.grid()[c.grid().length - 1], 0, c.pointId());
            assertEquals(Math.sqrt(1e-5 * Math.max(1, range[1] - range[0])), c.sigma(), 1e-15, c.pointId());
        }
        // two: mean of the largest nodes 4, of the smallest -1; widened by 0.01
        SpectralDensity.Curve two = curve(spec, "two");
        assertEquals(-1.01, two.grid()[0], 1e-15);
        assertEquals(4.01, two.grid()[999], 1e-15);
        assertEquals(Math.sqrt(1e-5 * 5.02), two.sigma(), 1e-15);
        SpectralDensity.Result wide = SpectralDensity.compute(spark, dir, new SpectralDensity.Options("lr = 0.1", null, null, 0.25, 50));
        assertEquals(0.25, curve(wide, "two").sigma(), 0);
        assertEquals(50, curve(wide, "two").grid().length);
        assertEquals("SLQ, 2 probes, 3 nodes, Gaussian smoothing σ = 0.25", wide.method());
    }

    @Test
    void eachDensityIntegratesToOneOverItsGrid() {
        SpectralDensity.Curve spread = curve(spec, "spread");
        assertEquals(1.0, trapezoid(spread.grid(), spread.density()), GRID_INTEGRAL_TOL, "spread: extreme weights 1e-4");
        // a single node 0.01 = sqrt(10) sigma from both ends: the grid holds erf(sqrt(5)) = 0.9984346 of it
        SpectralDensity.Curve single = curve(spec, "single");
        assertEquals(0.9984346, trapezoid(single.grid(), single.density()), 1e-6, "single: one node sqrt(10) sigma from both ends");
    }

    /** The point with one node of weight 1: a Gaussian at the node of height 1 / (sigma sqrt(2 pi)). */
    @Test
    void aSingleNodeIsAGaussianPeakedAtTheNode() {
        SpectralDensity.Curve single = curve(spec, "single");
        double sigma = Math.sqrt(1e-5); // the range 0.02 is below 1
        assertEquals(sigma, single.sigma(), 1e-18);
        double peak = 1 / (sigma * Math.sqrt(2 * Math.PI));
        int argmax = 0;
        for (int i = 0; i < single.density().length; i++) {
            if (single.density()[i] > single.density()[argmax]) argmax = i;
            assertEquals(gaussian(single.grid()[i], SINGLE_NODE, sigma), single.density()[i], CLOSED_FORM_TOL * peak, "at " + single.grid()[i]);
        }
        double h = single.grid()[1] - single.grid()[0];
        assertEquals(SINGLE_NODE, single.grid()[argmax], h, "the peak is at the node");
        // 1000 bins: the node lies midway between two grid points, h / 2 = 1e-5 from each: exp(-(h/2)^2 / (2 sigma^2)) = 1 - 5e-6
        assertEquals(peak, single.density()[argmax], 1e-5 * peak);
        assertEquals(peak * Math.exp(-0.01 * 0.01 / (2 * sigma * sigma)), single.density()[0], CLOSED_FORM_TOL * peak, "at the grid's end");
    }

    /** Two probes: the mean of their densities. */
    @Test
    void twoProbesAverage() {
        SpectralDensity.Curve two = curve(spec, "two");
        double s = two.sigma();
        for (int i = 0; i < two.grid().length; i += 37) {
            double t = two.grid()[i];
            double p0 = 0.5 * gaussian(t, 4, s) + 0.5 * gaussian(t, -1, s);
            double p1 = 0.2 * gaussian(t, 4, s) + 0.5 * gaussian(t, 1.5, s) + 0.3 * gaussian(t, -1, s);
            assertEquals((p0 + p1) / 2, two.density()[i], CLOSED_FORM_TOL / s, "at " + t);
        }
        SpectralDensity.Quadrature a = new SpectralDensity.Quadrature(TWO_PROBE_NODES[0], TWO_PROBE_WEIGHTS[0]);
        SpectralDensity.Quadrature b = new SpectralDensity.Quadrature(TWO_PROBE_NODES[1], TWO_PROBE_WEIGHTS[1]);
        double[] grid = {1.5, 4.0, -1.0, 0.3};
        double[] both = SpectralDensity.density(List.of(a, b), grid, 0.3);
        double[] pa = SpectralDensity.density(List.of(a), grid, 0.3);
        double[] pb = SpectralDensity.density(List.of(b), grid, 0.3);
        for (int i = 0; i < grid.length; i++) assertEquals((pa[i] + pb[i]) / 2, both[i], CLOSED_FORM_TOL, "at " + grid[i]);
    }

    @Test
    void errorsNameTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SpectralDensity.Options(null, "colour", null));
        assertTrue(e.getMessage().contains("colour axis 'colour'") && e.getMessage().contains("batch_size"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SpectralDensity.Options(null, null, null, 0.0, 10));
        assertEquals("sigma must be > 0 and finite, got 0.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SpectralDensity.Options(null, null, null, null, 1));
        assertEquals("bins must be >= 2, got 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SpectralDensity.density(List.of(new SpectralDensity.Quadrature(new double[] {1}, new double[] {1})), new double[] {0}, 0.0));
        assertEquals("sigma must be > 0, got 0.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SpectralDensity.Quadrature(new double[] {1, 2}, new double[] {1}));
        assertTrue(e.getMessage().contains("2 nodes and 1 weights"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> SpectralDensity.compute(spark, dir, new SpectralDensity.Options("lr = = 1", null, null)));
        assertTrue(e.getMessage().startsWith("where predicate 'lr = = 1' is not valid Spark SQL"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SpectralDensity.compute(spark, dir, new SpectralDensity.Options("lr = 99", null, null)));
        assertEquals("no points in " + dir + " that match --where 'lr = 99'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SpectralDensity.compute(spark, dir, new SpectralDensity.Options("sweep_id = 'plain'", null, null)));
        assertEquals("none of the 1 points in " + dir + " that match --where 'sweep_id = 'plain'' has a spectral density: "
                + "run a sweep with measure.density: true", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SpectralDensity.compute(spark, dir, new SpectralDensity.Options(null, null, "nosuch")));
        assertEquals("no sweep 'nosuch' in " + dir + "; sweeps: " + PLAIN + ", " + SPEC, e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SpectralDensity.compute(spark, dir, new SpectralDensity.Options(null, null, PLAIN)));
        assertEquals("no spectral densities in " + dir + " for sweep 'plain': run a sweep with measure.density: true", e.getMessage());

        Path bare = tmp.resolve("bare");
        ResultsFixture.write(spark, List.of(point(PLAIN, "p0", 0.1, 1.0)), bare);
        e = assertThrows(IllegalArgumentException.class, () -> SpectralDensity.compute(spark, bare.toString(), new SpectralDensity.Options()));
        assertEquals("no spectral densities in " + bare + ": run a sweep with measure.density: true", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SpectralDensity.checkPicture(tmp.resolve("d.jpg")));
        assertTrue(e.getMessage().contains(".png or .svg"), e.getMessage());
    }

    /** The single node's line peaks at the node's column and at the kernel's height; the sharpness triangle sits above it. */
    @Test
    void pngHasTheSizeAndTheLinePeaksAtTheNode() throws Exception {
        Path png = tmp.resolve("d.png");
        SpectralDensity.draw(spec, png);
        BufferedImage img = Pixels.read(png);
        assertEquals(900, img.getWidth());
        assertEquals(600, img.getHeight());

        DensityPainter p = new DensityPainter(spec, DensityPainter.WIDTH, DensityPainter.HEIGHT);
        SpectralDensity.Curve single = curve(spec, "single");
        Color c = p.colour(single.colourIndex());
        Box plot = p.plot();
        // the topmost pixel of the single node's colour inside the plot: its line's peak
        int top = -1, column = -1;
        for (int y = plot.y() + 1; y < plot.y() + plot.height() && top < 0; y++) {
            for (int x = plot.x() + 1; x < plot.x() + plot.width(); x++) {
                if (Pixels.same(new Color(img.getRGB(x, y)), c)) {
                    top = y;
                    column = x;
                    break;
                }
            }
        }
        double peak = 1 / (single.sigma() * Math.sqrt(2 * Math.PI));
        assertTrue(top >= 0, "the line of " + single.pointId() + " is drawn");
        assertEquals(p.x(SINGLE_NODE), column, 3, "peak column at the node 2");
        assertEquals(p.y(peak), top, 3, "peak row at 1 / (sigma sqrt(2 pi)) = " + peak);
        // the sharpness 2 is marked by a triangle of that colour just above the plot, at the node's column
        assertTrue(Pixels.countNear(img, p.x(SINGLE_NODE), plot.y() - 6, 2.5, c, 30) > 0, "sharpness triangle");
        // the line of "two" reaches half of 0.5 (0.25) of a kernel of its sigma at 1.5, in its colour
        SpectralDensity.Curve two = curve(spec, "two");
        double at15 = 0.25 / (two.sigma() * Math.sqrt(2 * Math.PI));
        assertTrue(Pixels.countNear(img, p.x(1.5), p.y(at15), 3, p.colour(two.colourIndex()), 40) > 0, "two's peak at 1.5");
        // a grid of 2 points steps over the kernel; the painter's samples at the node still draw its peak
        SpectralDensity.Result coarse = SpectralDensity.compute(spark, dir, new SpectralDensity.Options("lr = 0.05", null, null, null, 2));
        Path coarsePng = tmp.resolve("coarse.png");
        SpectralDensity.draw(coarse, coarsePng);
        BufferedImage ci = Pixels.read(coarsePng);
        DensityPainter cp = new DensityPainter(coarse, DensityPainter.WIDTH, DensityPainter.HEIGHT);
        assertTrue(Pixels.countNear(ci, cp.x(SINGLE_NODE), cp.y(peak) + 2, 2.5, cp.colour(0), 40) > 0, "the peak at 2 bins");
        // nothing of the single point's colour at the failed attempt's node 50 (it is off the axis altogether)
        assertTrue(p.x(50) > plot.x() + plot.width() || Pixels.countNear(img, p.x(50), p.y(peak), 4, c, 30) == 0);
    }

    @Test
    void svgIsXmlWithTheTitleAndTheMethod() throws Exception {
        Path svg = tmp.resolve("d.svg");
        SpectralDensity.draw(spec, svg);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile());
        assertEquals("svg", doc.getDocumentElement().getNodeName());
        Set<String> texts = new HashSet<>();
        NodeList nodes = doc.getElementsByTagName("text");
        for (int i = 0; i < nodes.getLength(); i++) texts.add(nodes.item(i).getTextContent());
        assertTrue(texts.contains(spec.title()), texts.toString());
        assertTrue(texts.stream().anyMatch(t -> t.startsWith("SLQ, 1–2 probes, 1–41 nodes")), texts.toString());
        for (String s : List.of("lr = 0.05", "lr = 0.1", "lr = 0.2", "sharpness λmax", "top-k eigenvalues", "0", "1", "−1")) {
            assertTrue(texts.contains(s), "SVG has a text '" + s + "': " + texts);
        }
        assertFalse(Files.readString(svg).contains("<!DOCTYPE"), "no DTD to fetch");
    }

    @Test
    void reportDrawsTheDensityOnlyForSweepsThatHaveOne() throws Exception {
        Path index = Report.write(spark, dir, tmp.resolve("report"));
        String html = Files.readString(index);
        String section = TrajectoryIT.section(html, SPEC);
        assertTrue(section.contains("<h3>Hessian spectral density</h3>"), section);
        String png = "img/s2-spec-density.png";
        assertTrue(section.contains("<img src=\"" + png + "\""), section);
        assertTrue(section.indexOf("<h3>Hessian spectral density</h3>") > section.indexOf("<h3>Sharpness / non-uniformity diagram</h3>")
                && section.indexOf("<h3>Hessian spectral density</h3>") < section.indexOf("<h3>Diverged and failed points</h3>"),
                "after the sweep's other figures, before its failures");
        assertTrue(section.contains("<figcaption>The Hessian&#39;s eigenvalue density of 3 points (SLQ, 1–2 probes, 1–41 nodes,"), section);
        BufferedImage img = Pixels.read(index.getParent().resolve(png));
        assertEquals(Report.DENSITY_WIDTH, img.getWidth());
        assertEquals(Report.DENSITY_HEIGHT, img.getHeight());
        assertFalse(TrajectoryIT.section(html, PLAIN).contains("spectral density"), "a sweep without densities is unchanged");
    }
}
