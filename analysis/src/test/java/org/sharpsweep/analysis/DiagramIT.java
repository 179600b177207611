package org.sharpsweep.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sharpsweep.analysis.DiagramResult.Point;
import org.sharpsweep.analysis.DiagramResult.Region;
import org.sharpsweep.sweeps.ResultSchema;

/**
 * The sharpness / non-uniformity diagram of the fixture's regression sweep. Which points lie
 * outside their region is known from how the fixture built them ({@link
 * ResultsFixture#sharpnessOutside}, {@link ResultsFixture#nonuniformityOutside}); the bounds
 * are the closed forms of docs/science.md; the picture is read back pixel by pixel.
 */
class DiagramIT {
    /** Per-channel tolerance for "this pixel is the red ring" (antialiased ring edges included). */
    private static final int RING_TOL = 40;
    private static final String TEACHER = "sweep_id = '" + ResultsFixture.REGRESSION + "'";

    @TempDir
    static Path tmp;
    static SparkSession spark;
    static String dir;
    static DiagramResult byLr;
    static BufferedImage img;

    @BeforeAll
    static void draw() throws Exception {
        spark = ResultsFixture.spark();
        List<Map<String, Object>> rows = new java.util.ArrayList<>(ResultsFixture.regression());
        rows.addAll(ResultsFixture.classification());
        dir = tmp.resolve("results").toString();
        ResultsFixture.write(spark, rows, tmp.resolve("results"));
        byLr = Diagram.render(spark, dir, TEACHER, null, tmp.resolve("d.png"));
        img = Pixels.read(tmp.resolve("d.png"));
    }


    @Test
    void drawsEveryOkPointAndFlagsExactlyThoseOutsideTheirRegion() {
        assertEquals(Diagram.DEFAULT_WIDTH, img.getWidth());
        assertEquals(Diagram.DEFAULT_HEIGHT, img.getHeight());
        assertEquals("lr", byLr.colourBy());
        long ok = ResultsFixture.regression().stream().filter(m -> "OK".equals(m.get(ResultSchema.STATUS))).count();
        assertEquals(ok, byLr.points().size());
        assertEquals(32 - ok, byLr.notShown(), "diverged and failed points are not drawn and are counted");
        Set<String> expectedOutside = ResultsFixture.regression().stream()
                .filter(m -> "OK".equals(m.get(ResultSchema.STATUS)))
                .filter(m -> ResultsFixture.sharpnessOutside((double) m.get("lr"), (int) m.get("batch_size"), (int) m.get("width"), (int) m.get("replicate"))
                        || ResultsFixture.nonuniformityOutside((double) m.get("lr"), (int) m.get("batch_size"), (int) m.get("width"), (int) m.get("replicate")))
                .map(m -> (String) m.get(ResultSchema.POINT_ID)).collect(Collectors.toSet());
        assertEquals(2, expectedOutside.size());
        assertEquals(expectedOutside, byLr.outside().stream().map(Point::pointId).collect(Collectors.toSet()));
    }

    @Test
    void oneRegionPerLrAndBatchWithTheClosedFormBounds() {
        Set<String> groups = new TreeSet<>();
        for (Region r : byLr.regions()) {
            groups.add(r.lr() + "/" + r.batchSize());
            assertEquals(ResultsFixture.N_TRAIN, r.nTrain());
            assertEquals(2 / r.lr(), r.sharpnessBound(), 1e-12);
            if (r.batchSize() == ResultsFixture.N_TRAIN) {
                assertTrue(r.band(), "full-batch GD has no non-uniformity bound");
            } else {
                double n = r.nTrain();
                double b = r.batchSize();
                assertEquals(Math.sqrt(b * (n - 1) / (n - b)) / r.lr(), r.nonuniformityBound(), 1e-9);
            }
        }
        // groups with at least one OK point: all (lr, B) but the failed, the missing and the all-diverged cells
        assertEquals(new TreeSet<>(List.of("0.01/10", "0.1/10", "0.1/50", "0.1/200", "1.0/50", "1.0/200")), groups);
    }

    @Test
    void regionOutlinesAreDrawnInTheirGroupColour() {
        for (Region r : byLr.regions()) {
            double xEdge = byLr.pixelX(r.sharpnessBound());
            if (xEdge > byLr.plot().x() + byLr.plot().width()) continue;
            // the right edge, x = 2/lr, from the axis up to the region's top (or the plot's top for a band)
            double top = r.band() ? byLr.plot().y() : byLr.pixelY(r.nonuniformityBound());
            double bottom = byLr.plot().y() + byLr.plot().height();
            double hit = 0;
            double n = 0;
            for (double y = top + 3; y < bottom - 3; y += 1) {
                n++;
                for (int dx = -1; dx <= 1; dx++) {
                    if (Pixels.same(Pixels.at(img, xEdge + dx, y), r.colour())) {
                        hit++;
                        break;
                    }
                }
            }
            // dotted outlines cover about a third of their length; solid and dashed ones more
            assertTrue(hit / n > 0.3, "right edge of region lr=" + r.lr() + ", B=" + r.batchSize() + " drawn on " + hit / n);
        }
        Region solid = byLr.regions().stream().filter(r -> r.lr() == 0.1 && r.batchSize() == 10).findFirst().orElseThrow();
        assertEquals(DiagramResult.LineStyle.SOLID, solid.lineStyle());
        double y = byLr.pixelY(solid.nonuniformityBound());
        int hit = 0;
        int n = 0;
        for (double x = byLr.plot().x() + 3; x < byLr.pixelX(solid.sharpnessBound()) - 3; x++) {
            n++;
            for (int dy = -1; dy <= 1; dy++) {
                if (Pixels.same(Pixels.at(img, x, y + dy), solid.colour())) {
                    hit++;
                    break;
                }
            }
        }
        assertTrue((double) hit / n > 0.9, "solid top edge of lr=0.1, B=10 drawn on " + (double) hit / n);
    }

    @Test
    void fullBatchRegionIsAVerticalBandInsideItsSharpnessBound() {
        Region gd = byLr.regions().stream().filter(r -> r.lr() == 0.1 && r.band()).findFirst().orElseThrow();
        // above every finite region of the chart (the highest, lr = 0.01 and B = 10, ends at 324)
        double high = 0.97 * byLr.yMax();
        assertTrue(high > ResultsFixture.nonuniformityBound(0.01, 10, ResultsFixture.N_TRAIN));
        Color insideBand = Pixels.at(img, byLr.pixelX(0.5 * gd.sharpnessBound()) + 2, byLr.pixelY(high));
        Color rightOfBand = Pixels.at(img, byLr.pixelX(1.6 * gd.sharpnessBound()), byLr.pixelY(high));
        assertTrue(Pixels.distance(insideBand, Color.WHITE) > 5, "the band is tinted up to the top of the plot: " + insideBand);
        assertTrue(Pixels.distance(rightOfBand, Color.WHITE) <= 5, "nothing right of 2/lr up there: " + rightOfBand);
    }

    @Test
    void pointsOutsideTheirRegionCarryARedRingAndOthersDoNot() {
        for (Point p : byLr.outside()) {
            int red = Pixels.countNear(img, byLr.pixelX(p.sharpness()), byLr.pixelY(p.nonuniformity()), 11, Colours.OUTSIDE, RING_TOL);
            assertTrue(red > 20, p.pointId() + " outside its region has " + red + " red ring pixels");
        }
        int checked = 0;
        for (Point p : byLr.points()) {
            if (!p.inside()) continue;
            double x = byLr.pixelX(p.sharpness());
            double y = byLr.pixelY(p.nonuniformity());
            boolean nearOutside = byLr.outside().stream().anyMatch(q -> Math.hypot(byLr.pixelX(q.sharpness()) - x,
                    byLr.pixelY(q.nonuniformity()) - y) < 30);
            if (nearOutside) continue;
            checked++;
            assertEquals(0, Pixels.countNear(img, x, y, 8, Colours.OUTSIDE, RING_TOL), p.pointId() + " is inside: no ring");
        }
        assertTrue(checked >= 15, "checked " + checked + " inside points");
    }

    @Test
    void eachLearningRateHasItsOwnColour() {
        Map<Double, Color> colours = new java.util.TreeMap<>();
        for (Point p : byLr.points()) colours.put(p.lr(), p.colour());
        assertEquals(3, colours.size());
        assertEquals(3, new HashSet<>(colours.values()).size());
        for (Map.Entry<Double, Color> e : colours.entrySet()) {
            boolean drawn = byLr.points().stream().filter(p -> p.lr() == e.getKey() && p.inside())
                    .anyMatch(p -> Pixels.same(Pixels.at(img, byLr.pixelX(p.sharpness()), byLr.pixelY(p.nonuniformity())), e.getValue()));
            assertTrue(drawn, "a point of lr = " + e.getKey() + " drawn in " + e.getValue());
        }
    }

    @Test
    void logAxesWhenValuesSpanDecades() {
        // sharpness from 0.75 (lr = 1) to 67 (lr = 0.01): a linear axis would crush lr = 1 into the origin
        assertTrue(byLr.logX());
        assertTrue(byLr.logY());
        Point small = byLr.points().stream().min((a, b) -> Double.compare(a.sharpness(), b.sharpness())).orElseThrow();
        assertTrue(byLr.pixelX(small.sharpness()) - byLr.plot().x() > 10, "the smallest point is off the axis");
    }

    @Test
    void colourByBatchSizeAndSvg() throws Exception {
        DiagramResult r = Diagram.render(spark, dir, TEACHER, "batch_size", tmp.resolve("b.svg"));
        assertEquals("batch_size", r.colourBy());
        Map<Integer, Color> colours = new java.util.TreeMap<>();
        for (Point p : r.points()) colours.put(p.batchSize(), p.colour());
        assertEquals(3, new HashSet<>(colours.values()).size());
        String svg = Files.readString(tmp.resolve("b.svg"));
        assertTrue(svg.contains("<svg"));
        assertFalse(svg.contains("<!DOCTYPE"), "no DTD to fetch");
        assertTrue(svg.contains("coloured by batch size B"));
    }

    @Test
    void linearAxesFromZeroForANarrowRange() {
        DiagramResult r = Diagram.render(spark, dir, "sweep_id = '" + ResultsFixture.CLASSIFICATION + "'", "lr", tmp.resolve("c.png"));
        assertFalse(r.logX());
        assertEquals(0, r.xMin());
        assertEquals(4, r.points().size());
        assertTrue(r.xMax() >= 2 / 0.05, "the axis reaches the largest sharpness bound 2/0.05");
    }

    @Test
    void badInputAndEmptySelections() throws Exception {
        IllegalArgumentException by = assertThrows(IllegalArgumentException.class,
                () -> Diagram.render(spark, dir, null, "width", tmp.resolve("x.png")));
        assertTrue(by.getMessage().contains("lr or batch_size"), by.getMessage());
        DiagramResult none = Diagram.render(spark, dir, TEACHER + " AND status = 'FAILED'", null, tmp.resolve("none.png"));
        assertEquals(0, none.points().size());
        assertEquals(4, none.notShown());
        assertTrue(Files.size(tmp.resolve("none.png")) > 0);
    }
}
