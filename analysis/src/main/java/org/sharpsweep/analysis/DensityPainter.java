package org.sharpsweep.analysis;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Lays out and paints a {@link SpectralDensity.Result}: titles; the density phi(t) of each point,
 * one line in the colour of its colour-axis value, against the eigenvalue t on a symmetric-log
 * axis ({@link SymLog}) and phi on a log10 axis floored at {@link #FLOOR} times the largest value
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
final class DensityPainter implements Figure {
    /** The picture's size when none is given. */
    static final int WIDTH = 900;
    static final int HEIGHT = 600;
    /** The y axis starts at this fraction of the largest density. */
    static final double FLOOR = 1e-8;
    /** The symlog's linear threshold as a fraction of the largest |t| drawn. */
    static final double LINTHRESH = 1e-3;

    private static final int PAD = 16;
    private static final float[] DASH = {4f, 4f};
    private static final int MAX_LEGEND_ENTRIES = 18;
    private static final double TRIANGLE = 6;
    private static final double DOT = 3.5;

    private final Font titleFont = Text.bold(17f);
    private final Font subFont = Text.plain(12.5f);
    private final Font tickFont = Text.plain(12.5f);
    private final Font axisFont = Text.bold(13f);
    private final Font legendFont = Text.plain(12.5f);
    private final Font legendHead = Text.bold(12.5f);

    private final SpectralDensity.Result result;
    private final int width;
    private final int height;
    private final List<String> titleLines;
    private final List<String> subLines;
    private final List<String> legend;
    private final Box plot;
    private final Box legendBox;
    private final SymLog symlog;
    private final double uLo;
    private final double uHi;
    private final List<Double> xTicks;
    private final TrajectoryPainter.Scale ys;
    /** Per curve, the t at which it is drawn and phi there. */
    private final List<double[][]> lines = new ArrayList<>();

    /**
     * The symmetric-log map of matplotlib's {@code symlog} with linscale 1: u(t) = t / c for
     * |t| <= c and sign(t) (1 + log10(|t| / c)) beyond, c = {@code linthresh} > 0. Odd, strictly
     * increasing and continuous (u = +-1 at t = +-c); each decade beyond c is one unit, as is the
     * linear stretch from 0 to c.
     */
    record SymLog(double linthresh) {
        SymLog {
            if (!(linthresh > 0) || Double.isInfinite(linthresh)) {
                throw new IllegalArgumentException("linthresh must be > 0 and finite, got " + linthresh);
            }
        }

        /** Threshold {@link #LINTHRESH} times the largest |t|, or 1 when that is 0. */
        static SymLog of(double maxAbs) {
            return new SymLog(maxAbs > 0 && Double.isFinite(maxAbs) ? LINTHRESH * maxAbs : 1);
        }

        double apply(double t) {
            double a = Math.abs(t);
            if (a <= linthresh) return t / linthresh;
            return Math.signum(t) * (1 + Math.log10(a / linthresh));
        }

        double inverse(double u) {
            double a = Math.abs(u);
            if (a <= 1) return u * linthresh;
            return Math.signum(u) * linthresh * Math.pow(10, a - 1);
        }

        /** 0 and +-10^k with linthresh <= 10^k inside [lo, hi]; every other decade when a side has more than 6. */
        List<Double> ticks(double lo, double hi) {
            List<Double> out = new ArrayList<>();
            if (lo <= 0 && hi >= 0) out.add(0.0);
            int kLo = (int) Math.ceil(Math.log10(linthresh) - 1e-9);
            for (int sign : new int[] {-1, 1}) {
                double far = sign < 0 ? -lo : hi;
                if (!(far >= linthresh)) continue;
                int kHi = (int) Math.floor(Math.log10(far) + 1e-9);
                int every = kHi - kLo + 1 > 6 ? 2 : 1;
                for (int k = kHi; k >= kLo; k -= every) out.add(sign * Math.pow(10, k));
            }
            out.sort(null);
            return out;
        }
    }

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
        symlog = SymLog.of(Math.max(-tLo, tHi));
        double span = symlog.apply(tHi) - symlog.apply(tLo);
        if (!(span > 0)) span = 2;
        uLo = symlog.apply(tLo) - 0.03 * span;
        uHi = symlog.apply(tHi) + 0.03 * span;
        xTicks = symlog.ticks(symlog.inverse(uLo), symlog.inverse(uHi));

        titleLines = Text.wrap(titleFont, result.title(), width - 2 * PAD);
        subLines = Text.wrap(subFont, subtitle(), width - 2 * PAD);
        legend = legendTexts();
        int legendW = 36 + legend.stream().mapToInt(s -> Text.width(legendFont, s)).max().orElse(0);
        legendW = Math.max(legendW, Text.width(legendHead, colourHeading()));
        int topY = PAD + titleLines.size() * lh(titleFont) + 4 + subLines.size() * lh(subFont) + 16 + (int) (2 * TRIANGLE);

        // the plot's width is needed to sample the lines, and their largest value to label the y axis:
        // lay out with the widest label a log axis can have first, then sample
        int yLabelW = Text.width(tickFont, "1e-10");
        int left = PAD + lh(axisFont) + 8 + yLabelW + 8;
        int right = legendW + 24 + PAD;
        int below = 8 + lh(tickFont) + 8 + lh(axisFont) + PAD;
        int pw = width - left - right;
        int ph = height - topY - below;
        if (pw < 120 || ph < 120) {
            throw new IllegalArgumentException("a " + width + "x" + height + " density picture has no room for its plot; give a larger size");
        }
        plot = new Box(left, topY, pw, ph);
        legendBox = new Box(width - PAD - legendW, topY, legendW, ph);

        double max = 0;
        for (SpectralDensity.Curve c : result.curves()) {
            double[] t = samples(c, pw);
            double[] phi = SpectralDensity.density(c.quadratures(), t, c.sigma());
            for (double v : phi) if (Double.isFinite(v)) max = Math.max(max, v);
            lines.add(new double[][] {t, phi});
        }
        if (!(max > 0)) max = 1;
        ys = TrajectoryPainter.Scale.log(FLOOR * max, max);
    }

    /** Samples sigma/2 apart on each side of a node. */
    private static final int NODE_SAMPLES = 6;

    /**
     * The curve's grid merged with two samples per pixel column of its part of the symlog axis
     * and the node samples, inside the grid, ascending.
     */
    private double[] samples(SpectralDensity.Curve c, int pixels) {
        double[] grid = c.grid();
        double lo = grid[0], hi = grid[grid.length - 1];
        double a = symlog.apply(lo), b = symlog.apply(hi);
        int n = Math.max(2, (int) Math.ceil(2 * pixels * (b - a) / (uHi - uLo)));
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

    private String colourHeading() {
        return "colour: " + Labels.axis(result.colourBy());
    }

    /** Legend entries below the heading: one per colour value (at most {@link #MAX_LEGEND_ENTRIES}), then the marks. */
    private List<String> legendTexts() {
        List<String> out = new ArrayList<>();
        List<Object> values = result.colourValues();
        int shown = values.size() <= MAX_LEGEND_ENTRIES ? values.size() : MAX_LEGEND_ENTRIES - 1;
        for (int i = 0; i < shown; i++) out.add(shortName(result.colourBy()) + " = " + Query.show(values.get(i)));
        if (shown < values.size()) out.add("… and " + (values.size() - shown) + " more");
        out.add("sharpness λmax");
        if (hasTopK()) out.add("top-k eigenvalues");
        return out;
    }

    private static String shortName(String column) {
        return switch (column) {
            case "batch_size" -> "B";
            case "penalty_coef" -> "λ";
            default -> column;
        };
    }

    /** The colour of the i-th colour value. */
    Color colour(int i) {
        return Colours.category(i, result.colourValues().size());
    }

    /** Where the densities are drawn, in image pixels. */
    Box plot() {
        return plot;
    }

    SymLog symlog() {
        return symlog;
    }

    /** The pixel column of an eigenvalue t. */
    double x(double t) {
        return plot.x() + plot.width() * (symlog.apply(t) - uLo) / (uHi - uLo);
    }

    /** The pixel row of a density value (values below the floor on the bottom edge). */
    double y(double phi) {
        double v = Math.max(phi, ys.lo());
        return plot.y() + plot.height() * (1 - ys.fraction(v));
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public void paint(Graphics2D g) {
        paintTitles(g);
        paintGrid(g);
        Shape saved = g.getClip();
        g.clip(new Rectangle2D.Double(plot.x(), plot.y() - 1, plot.width() + 1, plot.height() + 2));
        float stroke = result.curves().size() > 30 ? 1.1f : 1.6f;
        // marks first, lines over them
        for (SpectralDensity.Curve c : result.curves()) {
            double m = c.marked();
            if (!Double.isFinite(m)) continue;
            g.setColor(Colours.withAlpha(colour(c.colourIndex()), 150));
            g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, DASH, 0f));
            g.draw(new Line2D.Double(x(m), plot.y(), x(m), plot.y() + plot.height()));
        }
        for (int i = 0; i < result.curves().size(); i++) {
            SpectralDensity.Curve c = result.curves().get(i);
            double[] t = lines.get(i)[0];
            double[] phi = lines.get(i)[1];
            Path2D.Double path = new Path2D.Double();
            for (int k = 0; k < t.length; k++) {
                if (k == 0) path.moveTo(x(t[k]), y(phi[k]));
                else path.lineTo(x(t[k]), y(phi[k]));
            }
            g.setColor(colour(c.colourIndex()));
            g.setStroke(new BasicStroke(stroke, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(path);
        }
        g.setClip(saved);
        for (SpectralDensity.Curve c : result.curves()) {
            for (double v : c.topK()) dot(g, x(v), plot.y() + plot.height() - DOT - 2, colour(c.colourIndex()));
        }
        for (SpectralDensity.Curve c : result.curves()) {
            double m = c.marked();
            if (Double.isFinite(m)) triangle(g, x(m), plot.y() - 1, colour(c.colourIndex()));
        }
        paintAxes(g);
        paintLegend(g);
    }

    /** A filled dot with a white rim, centred on (x, y): a top-k eigenvalue. */
    private static void dot(Graphics2D g, double x, double y, Color c) {
        Ellipse2D.Double e = new Ellipse2D.Double(x - DOT, y - DOT, 2 * DOT, 2 * DOT);
        g.setColor(c);
        g.fill(e);
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke(1f));
        g.draw(e);
    }

    /** A downward triangle whose tip is at (x, tipY). */
    private static void triangle(Graphics2D g, double x, double tipY, Color c) {
        Path2D.Double p = new Path2D.Double();
        p.moveTo(x, tipY);
        p.lineTo(x - TRIANGLE, tipY - 1.6 * TRIANGLE);
        p.lineTo(x + TRIANGLE, tipY - 1.6 * TRIANGLE);
        p.closePath();
        g.setColor(c);
        g.fill(p);
    }

    private void paintTitles(Graphics2D g) {
        Text.titles(g, titleLines, titleFont, subLines, subFont, PAD);
    }

    private void paintGrid(Graphics2D g) {
        // the linear region of the symlog axis, lightly shaded
        g.setColor(new Color(0xf4f4f4));
        double a = x(-symlog.linthresh()), b = x(symlog.linthresh());
        g.fill(new Rectangle2D.Double(Math.max(plot.x(), a), plot.y(), Math.max(0, Math.min(plot.x() + plot.width(), b) - Math.max(plot.x(), a)),
                plot.height()));
        g.setStroke(new BasicStroke(1f));
        g.setColor(new Color(0xe4e4e4));
        for (double t : xTicks) g.draw(new Line2D.Double(x(t), plot.y(), x(t), plot.y() + plot.height()));
        for (double v : ys.ticks()) g.draw(new Line2D.Double(plot.x(), y(v), plot.x() + plot.width(), y(v)));
    }

    private void paintAxes(Graphics2D g) {
        g.setFont(tickFont);
        g.setColor(Colours.TEXT);
        g.setStroke(new BasicStroke(1.2f));
        int base = plot.y() + plot.height();
        g.draw(new Line2D.Double(plot.x(), plot.y(), plot.x(), base));
        g.draw(new Line2D.Double(plot.x(), base, plot.x() + plot.width(), base));
        for (double t : xTicks) {
            g.draw(new Line2D.Double(x(t), base, x(t), base + 5));
            Text.centred(g, tickLabel(t), x(t), base + 8 + lh(tickFont) / 2.0);
        }
        for (double v : ys.ticks()) {
            g.draw(new Line2D.Double(plot.x() - 5, y(v), plot.x(), y(v)));
            Text.right(g, ys.label(v), plot.x() - 8, y(v));
        }
        g.setFont(axisFont);
        Text.centred(g, "eigenvalue of H (symmetric log; linear within ±" + Format.number(symlog.linthresh(), 2) + ", shaded)",
                plot.x() + plot.width() / 2.0, base + 8 + lh(tickFont) + 8 + lh(axisFont) / 2.0);
        Text.vertical(g, "spectral density (log)", PAD + lh(axisFont) / 2.0, plot.y() + plot.height() / 2.0);
    }

    /** 0, or ±10^k written as 0.01, 1, 100, 1e5 (with a minus sign for negative t). */
    static String tickLabel(double t) {
        if (t == 0) return "0";
        String s = Format.number(Math.abs(t), 1);
        return (t < 0 ? "−" : "") + s;
    }

    private void paintLegend(Graphics2D g) {
        int x = legendBox.x();
        double y = legendBox.y() + 8;
        g.setFont(legendHead);
        g.setColor(Colours.TEXT);
        Text.left(g, colourHeading(), x, y);
        y += 22;
        int values = result.colourValues().size();
        int marks = hasTopK() ? 2 : 1;
        for (int i = 0; i < legend.size(); i++) {
            String text = legend.get(i);
            boolean more = text.startsWith("…");
            int mark = i - (legend.size() - marks);
            if (mark == 0) {
                y += 8;
                triangle(g, x + 13, y + TRIANGLE * 0.8, Colours.MUTED);
            } else if (mark == 1) {
                dot(g, x + 13, y, Colours.MUTED);
            } else if (!more && i < values) {
                g.setColor(colour(i));
                g.setStroke(new BasicStroke(3f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER));
                g.draw(new Line2D.Double(x, y, x + 26, y));
            }
            g.setFont(legendFont);
            g.setColor(Colours.TEXT);
            Text.left(g, text, x + 34, y);
            y += 20;
        }
    }

    private static int lh(Font f) {
        return Text.lineHeight(f);
    }
}
