package org.sharpsweep.analysis;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Lays out and paints a {@link SpectralDensity.Result}: titles; the density phi(t) of each point,
 * one line in the colour of its colour-axis value, against the eigenvalue t on a symmetric-log
 * axis ({@link Scale.SymLog}) and phi on a log10 axis floored at {@link #FLOOR} times the largest value
 * (as PyHessian's plots, which draw densities down to about 1e-8 of their peak); each point's
 * sharpness marked by a triangle above the plot and a thin dashed line, its top-k eigenvalues by
 * dots at the bottom; the legend on the right.
 *
 * <p>Each line is phi evaluated at the point's grid ({@link SpectralDensity.Curve#grid()}) and,
 * merged with it, two samples per pixel column of the symlog axis and 13 samples sigma/2 apart
 * around each node: the grid is coarse near 0 on that axis (where the linear region is a few
 * grid steps wide), the pixel samples are coarse far out (where a pixel spans many grid steps),
 * and either may step over a kernel narrower than itself; the samples at the nodes draw every
 * peak at its height.
 */
final class DensityPainter {
    /** The picture's size when none is given. */
    static final int WIDTH = 900;
    static final int HEIGHT = 600;
    /** The y axis starts at this fraction of the largest density. */
    static final double FLOOR = 1e-8;

    private static final float[] DASH = {4f, 4f};
    private static final double TRIANGLE = 6;
    private static final double DOT = 3.5;
    /** The shade of the symlog axis's linear region. */
    private static final Color LINEAR_REGION = new Color(0xf4f4f4);

    private final SpectralDensity.Result result;
    private final int width;
    private final int height;
    private final Titles titles;
    private final Legend legend;
    private final Scale.SymLog symlog;
    private final Plot plot;
    /** Per curve, the t at which it is drawn and phi there. */
    private final List<double[][]> lines = new ArrayList<>();

    DensityPainter(SpectralDensity.Result result, int width, int height) {
        this.result = result;
        this.width = width;
        this.height = height;

        double tLo = 0, tHi = 0;
        for (SpectralDensity.Curve c : result.curves()) {
            tLo = Math.min(tLo, c.grid()[0]);
            tHi = Math.max(tHi, c.grid()[c.grid().length - 1]);
            double m = c.marked();
            if (Double.isFinite(m)) {
                tLo = Math.min(tLo, m);
                tHi = Math.max(tHi, m);
            }
            for (double v : c.topK()) {
                tLo = Math.min(tLo, v);
                tHi = Math.max(tHi, v);
            }
        }
        symlog = Scale.SymLog.of(Math.max(-tLo, tHi));
        double span = symlog.apply(tHi) - symlog.apply(tLo);
        if (!(span > 0)) span = 2;
        // 3% of the span beyond the outermost values on either side
        Scale xs = Scale.symlog(symlog, symlog.inverse(symlog.apply(tLo) - 0.03 * span),
                symlog.inverse(symlog.apply(tHi) + 0.03 * span));

        titles = Titles.wrap(result.title(), subtitle(), width);
        List<Legend.Entry> entries = new ArrayList<>(Legend.colours(result.colourBy(), result.colourValues(), this::colour));
        entries.add(Legend.apart("sharpness λmax",
                (g, slot) -> triangle(g, slot.x() + 13, slot.centreY() + TRIANGLE * 0.8, Colours.MUTED)));
        if (hasTopK()) {
            entries.add(Legend.entry("top-k eigenvalues", (g, slot) -> Plot.dot(g, slot.x() + 13, slot.centreY(), DOT, Colours.MUTED)));
        }
        legend = new Legend(entries);

        // the plot's width is needed to sample the lines, and their largest value to label the y axis:
        // lay out with the widest label a log axis can have first, then sample
        int topY = titles.below() + (int) (2 * TRIANGLE);
        int left = Plot.left(Text.width(Text.TICK, "1e-10"));
        int pw = width - left - legend.margin();
        int ph = height - topY - Plot.below();
        if (pw < 120 || ph < 120) {
            throw new IllegalArgumentException("a " + width + "x" + height + " density picture has no room for its plot; give a larger size");
        }
        double max = 0;
        for (SpectralDensity.Curve c : result.curves()) {
            double[] t = samples(c, xs, pw);
            double[] phi = SpectralDensity.density(c.quadratures(), t, c.sigma());
            for (double v : phi) if (Double.isFinite(v)) max = Math.max(max, v);
            lines.add(new double[][] {t, phi});
        }
        if (!(max > 0)) max = 1;
        plot = new Plot(new Box(left, topY, pw, ph), xs, Scale.decades(FLOOR * max, max));
    }

    /** Samples sigma/2 apart on each side of a node. */
    private static final int NODE_SAMPLES = 6;

    /**
     * The curve's grid merged with two samples per pixel column of its part of the symlog axis
     * and the node samples, inside the grid, ascending.
     */
    private double[] samples(SpectralDensity.Curve c, Scale xs, int pixels) {
        double[] grid = c.grid();
        double lo = grid[0], hi = grid[grid.length - 1];
        double a = symlog.apply(lo), b = symlog.apply(hi);
        int n = Math.max(2, (int) Math.ceil(2 * pixels * (b - a) / (symlog.apply(xs.hi()) - symlog.apply(xs.lo()))));
        int nodes = c.quadratures().stream().mapToInt(q -> q.nodes().length).sum();
        double[] out = Arrays.copyOf(grid, grid.length + n + nodes * (2 * NODE_SAMPLES + 1));
        int k = grid.length;
        for (int i = 0; i < n; i++) out[k++] = symlog.inverse(a + (b - a) * i / (n - 1));
        for (SpectralDensity.Quadrature q : c.quadratures()) {
            for (double node : q.nodes()) {
                for (int j = -NODE_SAMPLES; j <= NODE_SAMPLES; j++) out[k++] = node + j * c.sigma() / 2;
            }
        }
        for (int i = grid.length; i < out.length; i++) out[i] = Math.min(hi, Math.max(lo, out[i]));
        Arrays.sort(out);
        return out;
    }

    private String subtitle() {
        int n = result.curves().size();
        List<String> parts = new ArrayList<>();
        parts.add(result.method() + ".");
        parts.add(n + (n == 1 ? " point" : " points") + ", one line per point, coloured by " + Labels.axis(result.colourBy()) + ".");
        parts.add("Triangles: each point's sharpness" + (hasTopK() ? "; dots at the bottom: its top-k eigenvalues." : "."));
        if (result.where() != null) parts.add("Where " + result.where() + ".");
        return String.join(" ", parts);
    }

    private boolean hasTopK() {
        return result.curves().stream().anyMatch(c -> !c.topK().isEmpty());
    }

    /** The colour of the i-th colour value. */
    Color colour(int i) {
        return Colours.category(i, result.colourValues().size());
    }

    /** Where the densities are drawn, in image pixels. */
    Box plot() {
        return plot.box();
    }

    Scale.SymLog symlog() {
        return symlog;
    }

    /** The pixel column of an eigenvalue t. */
    double x(double t) {
        return plot.px(t);
    }

    /** The pixel row of a density value (values below the floor on the bottom edge). */
    double y(double phi) {
        return plot.py(Math.max(phi, plot.y().lo()));
    }

    Figure figure() {
        return new Figure(width, height, this::paint);
    }

    private void paint(Graphics2D g) {
        titles.paint(g);
        paintLinearRegion(g);
        plot.grid(g);
        Shape saved = plot.clip(g);
        float stroke = result.curves().size() > 30 ? 1.1f : 1.6f;
        // marks first, lines over them
        Box b = plot.box();
        for (SpectralDensity.Curve c : result.curves()) {
            double m = c.marked();
            if (!Double.isFinite(m)) continue;
            g.setColor(Colours.withAlpha(colour(c.colourIndex()), 150));
            g.setStroke(Plot.dashed(1f, DASH));
            g.draw(new Line2D.Double(x(m), b.y(), x(m), plot.bottom()));
        }
        for (int i = 0; i < result.curves().size(); i++) {
            double[] t = lines.get(i)[0];
            double[] phi = lines.get(i)[1];
            Plot.line(g, Arrays.stream(t).map(this::x).toArray(), Arrays.stream(phi).map(this::y).toArray(),
                    colour(result.curves().get(i).colourIndex()), stroke);
        }
        g.setClip(saved);
        for (SpectralDensity.Curve c : result.curves()) {
            for (double v : c.topK()) Plot.dot(g, x(v), plot.bottom() - DOT - 2, DOT, colour(c.colourIndex()));
        }
        for (SpectralDensity.Curve c : result.curves()) {
            double m = c.marked();
            if (Double.isFinite(m)) triangle(g, x(m), b.y() - 1, colour(c.colourIndex()));
        }
        plot.axes(g, true);
        plot.xTitle(g, "eigenvalue of H (symmetric log; linear within ±" + Format.number(symlog.linthresh(), 2) + ", shaded)");
        plot.yTitle(g, "spectral density (log)");
        legend.paintRight(g, width, b.y());
    }

    /** A downward triangle whose tip is at (x, tipY): a point's sharpness. */
    private static void triangle(Graphics2D g, double x, double tipY, Color c) {
        Path2D.Double p = new Path2D.Double();
        p.moveTo(x, tipY);
        p.lineTo(x - TRIANGLE, tipY - 1.6 * TRIANGLE);
        p.lineTo(x + TRIANGLE, tipY - 1.6 * TRIANGLE);
        p.closePath();
        g.setColor(c);
        g.fill(p);
    }

    /** The linear region of the symlog axis, lightly shaded. */
    private void paintLinearRegion(Graphics2D g) {
        Box b = plot.box();
        double a = Math.max(b.x(), x(-symlog.linthresh()));
        double z = Math.min(plot.right(), x(symlog.linthresh()));
        g.setColor(LINEAR_REGION);
        g.fill(new Rectangle2D.Double(a, b.y(), Math.max(0, z - a), b.height()));
    }
}
