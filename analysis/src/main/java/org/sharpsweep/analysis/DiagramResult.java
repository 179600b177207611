package org.sharpsweep.analysis;

import java.awt.Color;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@link Diagram} drew. Sharpness {@code xMin} to {@code xMax} maps onto the plot box left
 * to right, non-uniformity {@code yMin} to {@code yMax} bottom to top; linearly (then the
 * minimum is 0), or logarithmically where {@code logX} / {@code logY} say so.
 *
 * @param colourBy  {@code lr} or {@code batch_size}
 * @param plot      the plot area in pixels
 * @param points    the OK points drawn
 * @param regions   one stability region per (lr, batch_size, n_train) group of drawn points
 * @param notShown  selected rows not drawn: DIVERGED, FAILED, or OK without both metrics
 */
public record DiagramResult(Path out, int width, int height, String title, String subtitle, String colourBy, Box plot,
                            double xMin, double xMax, boolean logX, double yMin, double yMax, boolean logY,
                            List<Point> points, List<Region> regions, int notShown) {

    /**
     * One grid point.
     *
     * @param inside  sharpness <= 2/lr and non-uniformity <= its bound (docs/science.md)
     * @param colour  the colour of its lr (or batch size) group
     */
    public record Point(String pointId, double lr, int batchSize, int nTrain, double sharpness, double nonuniformity,
                        boolean inside, Color colour) {
    }

    /**
     * The necessary linear-stability region of SGD for one (lr, B, n) group: sharpness <=
     * 2/lr and non-uniformity <= sqrt(B(n-1)/(n-B))/lr (Wu, Ma and E 2018, sampling without
     * replacement). Full-batch GD (B >= n) has no non-uniformity bound: the bound is
     * infinite and the region is drawn as a vertical band.
     *
     * @param lineStyle its outline: one style per batch size (per lr when colouring by batch size)
     */
    public record Region(double lr, int batchSize, int nTrain, double sharpnessBound, double nonuniformityBound,
                         Color colour, LineStyle lineStyle, int points, int outside) {
        public boolean band() {
            return Double.isInfinite(nonuniformityBound);
        }
    }

    /** Outline styles of the regions, in the order they are handed out. */
    public enum LineStyle {
        SOLID(null), DASHED(new float[] {9, 5}), DOTTED(new float[] {2, 4}), DASH_DOT(new float[] {10, 4, 2, 4}),
        LONG_DASH(new float[] {16, 6});

        private final float[] dash;

        LineStyle(float[] dash) {
            this.dash = dash;
        }

        /** The dash pattern for {@link java.awt.BasicStroke}, null for solid. */
        float[] dash() {
            return dash == null ? null : dash.clone();
        }
    }

    public DiagramResult {
        points = List.copyOf(points);
        regions = List.copyOf(regions);
    }

    /** Pixel column of a sharpness value. */
    public double pixelX(double sharpness) {
        return plot.x() + plot.width() * fraction(sharpness, xMin, xMax, logX);
    }

    /** Pixel row of a non-uniformity value. */
    public double pixelY(double nonuniformity) {
        return plot.y() + plot.height() * (1 - fraction(nonuniformity, yMin, yMax, logY));
    }

    /** Position of v along an axis from lo to hi, 0 to 1. */
    static double fraction(double v, double lo, double hi, boolean log) {
        return Scale.fraction(v, lo, hi, log ? Scale.Spacing.LOG : Scale.Spacing.LINEAR);
    }

    /** Points outside their own region. */
    public List<Point> outside() {
        return points.stream().filter(p -> !p.inside()).toList();
    }
}
