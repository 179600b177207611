package org.sharpsweep.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 19, finding 10: diverged points are marked, and 2/lr labels do not print over each other. */
class TrajectoryPainterTest {
    @TempDir
    Path tmp;

    @Test
    void boundsCloserThanALineShareOneLabel() {
        List<Trajectory.Bound> bounds = List.of(new Trajectory.Bound(0.1, 20, 0), new Trajectory.Bound(0.101, 19.8, 1),
                new Trajectory.Bound(0.2, 10, 2), new Trajectory.Bound(0.2000001, 9.999995, 2));
        // rows 100 and 104 touch at a line height of 14, 300 and 300.0001 too (the same 3 significant digits: one value)
        List<TrajectoryPainter.BoundLabel> labels = TrajectoryPainter.boundLabels(bounds, new double[] {100, 104, 300, 300.0001}, 14);
        assertEquals(List.of(new TrajectoryPainter.BoundLabel("2/lr = 20, 19.8", 100, -1), new TrajectoryPainter.BoundLabel("2/lr = 10", 300, 2)),
                labels);
        // a bound above the axis (NaN row) has no label; distant ones keep their own
        assertEquals(List.of(new TrajectoryPainter.BoundLabel("2/lr = 10", 300, 2)),
                TrajectoryPainter.boundLabels(bounds.subList(2, 3), new double[] {300}, 14));
        assertEquals(List.of(), TrajectoryPainter.boundLabels(bounds.subList(0, 1), new double[] {Double.NaN}, 14));
    }

    @Test
    void aDivergedPointsLoneMeasurementIsACrossNotADot() throws Exception {
        List<Trajectory.Sample> rising = List.of(new Trajectory.Sample(0, 1), new Trajectory.Sample(50, 4), new Trajectory.Sample(100, 8));
        Trajectory.Line ok = new Trajectory.Line("s", "a", "OK", 0.1, 0, 0.1, rising, List.of());
        Trajectory.Line diverged = new Trajectory.Line("s", "b", "DIVERGED", 0.4, 1, 0.4, List.of(new Trajectory.Sample(0, 6)), List.of());
        Trajectory.Result r = new Trajectory.Result("sharpness", "lr", List.of(0.1, 0.4), List.of(ok, diverged),
                List.of(new Trajectory.Bound(0.1, 20, 0), new Trajectory.Bound(0.4, 5, 1)), List.of("s"), null);
        TrajectoryPainter painter = new TrajectoryPainter(r, TrajectoryPainter.WIDTH, TrajectoryPainter.HEIGHT);
        Path png = tmp.resolve("t.png");
        Figure.write(painter.figure(), png);
        BufferedImage image = ImageIO.read(png.toFile());
        // the cross's arm 4 pixels right and down of the measurement, where a dot of radius 3 would not reach
        int x = (int) Math.round(painter.x(0) + 3.5), y = (int) Math.round(painter.yMetric(6) + 3.5);
        Color expected = painter.colour(1), got = new Color(image.getRGB(x, y));
        assertTrue(Math.abs(expected.getRed() - got.getRed()) + Math.abs(expected.getGreen() - got.getGreen())
                + Math.abs(expected.getBlue() - got.getBlue()) < 60, "the cross at (" + x + ", " + y + "): " + got + ", its line's colour " + expected);
    }
}
