package org.sharpsweep.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The landscape picture read back pixel by pixel: each line's train curve passes where its value
 * puts it (a parabola written out here), the final parameters are dotted at alpha = 0 (the path's
 * at 1); the plane's cells carry the colour bar's colour of their loss.
 */
class LossLandscapeTest {
    /** A curve 2 px wide, antialiased: a pixel within this many of where it passes has its colour. */
    static final double NEAR = 3;

    static double[] grid(double from, double to, int n) {
        double[] a = new double[n];
        for (int k = 0; k < n; k++) a[k] = from + (to - from) * k / (n - 1);
        return a;
    }

    /** L(alpha) = l0 + c alpha^2, the test loss 1.5 times it. */
    static LossLandscape.Line parabola(String direction, double[] alpha, double l0, double c, double centre) {
        double[] train = new double[alpha.length];
        double[] test = new double[alpha.length];
        for (int k = 0; k < alpha.length; k++) {
            train[k] = l0 + c * (alpha[k] - centre) * (alpha[k] - centre);
            test[k] = 1.5 * train[k];
        }
        return new LossLandscape.Line(direction, alpha, train, test);
    }

    static LossLandscape.Result lines() {
        double[] a = grid(-1, 1, 51);
        double[] p = grid(-0.5, 1.5, 53);
        return new LossLandscape.Result("s", "abc123", "lr = 0.1", 0.01, 0.015, 1.01, 1.515, "initialization", 50, 3,
                List.of(parabola("eigenvector", a, 0.01, 50, 0), parabola("random", a, 0.01, 0.5, 0), parabola("path", p, 0.01, 1, 1)), null);
    }

    @Test
    void eachTrainCurvePassesThroughItsValuesAndThetaIsDotted(@TempDir Path dir) throws Exception {
        LossLandscape.Result r = lines();
        Path png = dir.resolve("l.png");
        LossLandscape.draw(r, png);
        LossLandscape.draw(r, dir.resolve("l.svg"));
        assertTrue(Files.readString(dir.resolve("l.svg")).contains("<svg"));
        BufferedImage img = Pixels.read(png);
        LandscapePainter painter = new LandscapePainter(r, LandscapePainter.WIDTH, LandscapePainter.HEIGHT);
        for (int i = 0; i < 3; i++) {
            Plot plot = painter.plots().get(i);
            LossLandscape.Line l = r.lines().get(i);
            Color c = LandscapePainter.colour(i, 3);
            for (int k : new int[] {5, 15, 40}) {
                double px = plot.px(l.alpha()[k]), py = plot.py(l.train()[k]);
                if (py < plot.box().y() || py > plot.bottom()) continue;
                assertTrue(Pixels.countNear(img, px, py, NEAR, c, Pixels.SAME_COLOUR) > 0,
                        l.direction() + " at alpha " + l.alpha()[k] + ": no curve at (" + px + ", " + py + ")");
            }
            double at = l.direction().equals("path") ? 1 : 0;
            assertTrue(Pixels.countNear(img, plot.px(at), plot.py(r.trainLoss()), 2, c, Pixels.SAME_COLOUR) >= 5, l.direction() + ": theta's dot");
        }
        // the y axes are logarithmic: 0.01 and 0.1 a decade apart, the same height in every panel
        Plot first = painter.plots().get(0);
        assertEquals(first.py(0.01) - first.py(0.1), first.py(0.1) - first.py(1), 1e-6);
    }

    @Test
    void thePlanesCellsHaveTheColourOfTheirLoss(@TempDir Path dir) throws Exception {
        double[] a = grid(-1, 1, 11);
        double[][] train = new double[11][11];
        double[][] test = new double[11][11];
        for (int i = 0; i < 11; i++) {
            for (int j = 0; j < 11; j++) {
                train[i][j] = 0.01 + a[j] * a[j] + 4 * a[i] * a[i];
                test[i][j] = 2 * train[i][j];
            }
        }
        LossLandscape.Result r = new LossLandscape.Result("s", "abc123", "", 0.01, 0.02, 1, 1, "initialization", 8, 3,
                lines().lines(), new LossLandscape.Plane(a, a.clone(), train, test));
        Path png = dir.resolve("p.png");
        LossLandscape.draw(r, png);
        BufferedImage img = Pixels.read(png);
        LandscapePainter painter = new LandscapePainter(r, LandscapePainter.WIDTH, LandscapePainter.HEIGHT);
        ColourBar bar = new ColourBar(Scale.decades(0.01, 10.02), "loss", "loss");
        int checked = 0, same = 0;
        for (int k = 0; k < 2; k++) {
            Plot plot = painter.plots().get(k);
            double[][] v = k == 0 ? train : test;
            for (int i = 1; i < 10; i += 2) {
                for (int j = 1; j < 10; j += 3) {
                    if (i == 5 && j == 5) continue; // theta's dot
                    checked++;
                    // a cell is 10 px or more wide; a contour line may cross its centre, so look a few pixels around it
                    if (Pixels.countNear(img, plot.px(a[j]), plot.py(a[i]), 3, bar.colour(v[i][j]), Pixels.SAME_COLOUR) > 0) same++;
                }
            }
        }
        assertEquals(checked, same, "cells with the colour of their loss");
    }

    @Test
    void aPictureThatIsNeitherPngNorSvgIsRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LossLandscape.checkPicture(Path.of("x.jpg")));
        assertTrue(e.getMessage().contains("x.jpg"), e.getMessage());
    }
}
