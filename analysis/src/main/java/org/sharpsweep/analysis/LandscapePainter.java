package org.sharpsweep.analysis;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;

/**
 * Lays out and paints a {@link LossLandscape.Result}. The lines' picture: one panel per line
 * side by side, alpha against the loss on a log axis (its own per panel: the eigenvector's line
 * rises far faster than the others), the training loss solid and the test loss dashed, a dot
 * on each at theta (alpha = 0; on the path alpha = 1) and on the path a ring at theta_0
 * (alpha = 0). The plane's picture: one panel for the training loss and one for the test loss,
 * each cell of the grid coloured by its loss on one log colour bar, contour lines at the bar's
 * ticks (marching squares on log10 of the loss), theta marked at the centre.
 */
final class LandscapePainter {
    static final int WIDTH = 1200;
    static final int HEIGHT = 520;

    private static final float[] DASH = {6f, 4f};
    private static final double DOT = 4;
    /** Space between panels, left of the next panel's tick labels. */
    private static final int PANEL_GAP = 28;

    private final LossLandscape.Result result;
    private final int width;
    private final int height;
    private final Titles titles;
    private final Legend legend;
    private final int legendTop;
    private final List<Plot> plots = new ArrayList<>();
    private final ColourBar bar;

    LandscapePainter(LossLandscape.Result result, int width, int height) {
        this.result = result;
        this.width = width;
        this.height = height;
        titles = Titles.wrap("Loss landscape of point " + result.pointId() + " (sweep " + result.sweepId() + ")", subtitle(), width);
        List<Legend.Entry> entries = new ArrayList<>();
        if (result.plane() == null) {
            entries.add(Legend.entry("train loss", Legend.line(Colours.MUTED, new BasicStroke(2f))));
            entries.add(Legend.entry("test loss", Legend.line(Colours.MUTED, Plot.dashed(2f, DASH))));
            entries.add(Legend.entry("θ (final parameters)", (g, slot) -> Plot.dot(g, slot.x() + 13, slot.centreY(), DOT, Colours.MUTED)));
            entries.add(Legend.entry("θ₀ (start)", (g, slot) -> ring(g, slot.x() + 13, slot.centreY(), Colours.MUTED)));
        } else {
            entries.add(Legend.entry("θ (final parameters)", (g, slot) -> Plot.dot(g, slot.x() + 13, slot.centreY(), DOT, Colours.MUTED)));
            entries.add(Legend.entry("contours at the colour bar's ticks", Legend.line(Color.WHITE.darker(), new BasicStroke(1f))));
        }
        legend = new Legend(entries);
        legendTop = titles.below();
        int top = legendTop + legend.rowsHeight(width - 2 * Figure.PAD) + Text.lineHeight(Text.AXIS) + 10;
        int ph = height - top - Plot.below();
        if (result.plane() == null) {
            bar = null;
            List<Scale> ys = new ArrayList<>();
            for (LossLandscape.Line l : result.lines()) ys.add(logScale(l.train(), l.test()));
            int taken = Figure.PAD;
            for (int i = 0; i < ys.size(); i++) {
                taken += i == 0 ? Plot.left(ys.get(i).labelWidth()) : PANEL_GAP + Plot.LABEL_GAP + ys.get(i).labelWidth();
            }
            int pw = (width - taken) / Math.max(1, ys.size());
            checkRoom(pw, ph);
            int x = 0;
            for (int i = 0; i < ys.size(); i++) {
                x += i == 0 ? Plot.left(ys.get(i).labelWidth()) : PANEL_GAP + Plot.LABEL_GAP + ys.get(i).labelWidth();
                double[] a = result.lines().get(i).alpha();
                plots.add(new Plot(new Box(x, top, pw, ph), Scale.linear(a[0], a[a.length - 1], 5), ys.get(i)));
                x += pw;
            }
        } else {
            LossLandscape.Plane p = result.plane();
            Scale colours = logScale(flat(p.train()), flat(p.test()));
            bar = new ColourBar(colours, "loss", "loss");
            Scale ys = Scale.linear(p.y()[0], p.y()[p.y().length - 1], 5);
            int left = Plot.left(ys.labelWidth());
            int pw = (width - left - (PANEL_GAP + Plot.LABEL_GAP + ys.labelWidth()) - bar.margin()) / 2;
            pw = Math.min(pw, ph); // square cells where there is room
            checkRoom(pw, ph);
            for (int i = 0; i < 2; i++) {
                int x = left + i * (pw + PANEL_GAP + Plot.LABEL_GAP + ys.labelWidth());
                plots.add(new Plot(new Box(x, top, pw, ph), Scale.linear(p.x()[0], p.x()[p.x().length - 1], 5), ys));
            }
        }
    }

    private void checkRoom(int pw, int ph) {
        if (pw < 120 || ph < 120) {
            throw new IllegalArgumentException("a " + width + "x" + height + " landscape picture has no room for its plots; give a larger size");
        }
    }

    private String subtitle() {
        List<String> parts = new ArrayList<>();
        if (!result.settings().isEmpty()) parts.add(result.settings() + ".");
        parts.add("Loss (whole training subset and held-out set, no penalty) at θ + α d; train loss at θ "
                + Format.number(result.trainLoss(), 4) + ", test " + Format.number(result.testLoss(), 4) + ".");
        parts.add("Directions of length ‖θ_W‖ = " + Format.number(result.directionNorm(), 4)
                + " (the weights' norm); random directions filter-normalized, biases zero (Li et al. 2018).");
        if (result.plane() == null) parts.add("Path: θ₀ + α (θ − θ₀), θ₀ the " + result.start() + " (Goodfellow et al. 2015).");
        else parts.add("Plane: θ + α d_x + β d_y, two filter-normalized random directions.");
        return String.join(" ", parts);
    }

    /** A log axis over the positive finite values of a and b (1 decade around 1 when there are none). */
    private static Scale logScale(double[] a, double[] b) {
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (double[] v : new double[][] {a, b}) {
            for (double x : v) {
                if (Double.isFinite(x) && x > 0) {
                    lo = Math.min(lo, x);
                    hi = Math.max(hi, x);
                }
            }
        }
        if (!(hi > 0)) return Scale.decades(0.1, 1);
        return Scale.decades(lo, hi);
    }

    private static double[] flat(double[][] m) {
        return java.util.Arrays.stream(m).flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    /** The plots, left to right (the lines' order, or train then test on the plane). */
    List<Plot> plots() {
        return plots;
    }

    /** The colour of line i (the panel's). */
    static Color colour(int i, int n) {
        return Colours.category(i, n);
    }

    Figure figure() {
        return new Figure(width, height, this::paint);
    }

    private void paint(Graphics2D g) {
        titles.paint(g);
        legend.paintRows(g, Figure.PAD, legendTop, width - 2 * Figure.PAD);
        if (result.plane() == null) paintLines(g);
        else paintPlane(g);
    }

    private void paintLines(Graphics2D g) {
        int n = result.lines().size();
        for (int i = 0; i < n; i++) {
            LossLandscape.Line l = result.lines().get(i);
            Plot plot = plots.get(i);
            Color c = colour(i, n);
            plot.grid(g);
            Shape saved = plot.clip(g);
            polyline(g, plot, l.alpha(), l.train(), c, new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            polyline(g, plot, l.alpha(), l.test(), c, Plot.dashed(2f, DASH));
            g.setClip(saved);
            plot.axes(g, true); // before the dots, which may sit on the bottom edge
            boolean path = l.direction().equals("path");
            double at = path ? 1.0 : 0.0;
            Plot.dot(g, plot.px(at), y(plot, result.trainLoss()), DOT, c);
            Plot.dot(g, plot.px(at), y(plot, result.testLoss()), DOT, c);
            if (path) {
                ring(g, plot.px(0), y(plot, result.startTrainLoss()), c);
                ring(g, plot.px(0), y(plot, result.startTestLoss()), c);
            }
            plot.xTitle(g, "α");
            g.setFont(Text.AXIS);
            g.setColor(Colours.TEXT);
            Text.centred(g, panelTitle(l.direction()), plot.box().centreX(), plot.box().y() - Text.lineHeight(Text.AXIS) / 2.0 - 4);
        }
        plots.get(0).yTitle(g, "loss (log)");
    }

    private String panelTitle(String direction) {
        return switch (direction) {
            case "eigenvector" -> "top Hessian eigenvector (λmax = " + Format.number(result.sharpness(), 4) + ")";
            case "random" -> "filter-normalized random direction";
            case "path" -> "straight path from θ₀ (α = 0) to θ (α = 1)";
            default -> direction;
        };
    }

    /** The pixel row of a loss, clamped into the plot (non-positive values on the bottom edge). */
    private static double y(Plot plot, double v) {
        if (!(v > 0)) return plot.bottom();
        return plot.py(Math.max(plot.y().lo(), Math.min(plot.y().hi(), v)));
    }

    /** The polyline through the finite points, broken where a value is not finite. */
    private static void polyline(Graphics2D g, Plot plot, double[] x, double[] v, Color c, BasicStroke stroke) {
        Path2D.Double p = new Path2D.Double();
        boolean open = false;
        for (int k = 0; k < x.length; k++) {
            if (!Double.isFinite(v[k]) || !(v[k] > 0)) {
                open = false;
                continue;
            }
            double px = plot.px(x[k]), py = plot.py(v[k]);
            if (open) p.lineTo(px, py);
            else p.moveTo(px, py);
            open = true;
        }
        g.setColor(c);
        g.setStroke(stroke);
        g.draw(p);
    }

    /** An open circle: theta_0. */
    private static void ring(Graphics2D g, double x, double y, Color c) {
        java.awt.geom.Ellipse2D e = new java.awt.geom.Ellipse2D.Double(x - DOT, y - DOT, 2 * DOT, 2 * DOT);
        g.setColor(Color.WHITE);
        g.fill(e);
        g.setColor(c);
        g.setStroke(new BasicStroke(2f));
        g.draw(e);
    }

    private void paintPlane(Graphics2D g) {
        LossLandscape.Plane p = result.plane();
        for (int k = 0; k < 2; k++) {
            Plot plot = plots.get(k);
            double[][] v = k == 0 ? p.train() : p.test();
            Shape saved = plot.clip(g);
            for (int i = 0; i < p.y().length; i++) {
                for (int j = 0; j < p.x().length; j++) {
                    double x0 = plot.px(edge(p.x(), j, -1)), x1 = plot.px(edge(p.x(), j, 1));
                    double y0 = plot.py(edge(p.y(), i, 1)), y1 = plot.py(edge(p.y(), i, -1));
                    g.setColor(Double.isFinite(v[i][j]) && v[i][j] > 0 ? bar.colour(clamp(v[i][j])) : Colours.FAILED_FILL);
                    g.fill(new Rectangle2D.Double(x0, y0, x1 - x0 + 0.5, y1 - y0 + 0.5));
                }
            }
            g.setStroke(new BasicStroke(1f));
            g.setColor(new Color(255, 255, 255, 190));
            for (double level : bar.scale().ticks()) contour(g, plot, p.x(), p.y(), v, Math.log10(level));
            g.setClip(saved);
            Plot.dot(g, plot.px(0), plot.py(0), DOT, Color.WHITE.darker());
            plot.axes(g, true);
            plot.xTitle(g, "α (first random direction)");
            g.setFont(Text.AXIS);
            g.setColor(Colours.TEXT);
            Text.centred(g, k == 0 ? "train loss" : "test loss", plot.box().centreX(), plot.box().y() - Text.lineHeight(Text.AXIS) / 2.0 - 4);
        }
        plots.get(0).yTitle(g, "β (second random direction)");
        bar.paint(g, plots.get(1).box());
    }

    private double clamp(double v) {
        return Math.max(bar.scale().lo(), Math.min(bar.scale().hi(), v));
    }

    /** Half-way to the neighbour on side {@code side} (-1, +1) of grid value k, or as far out as the other side at the ends. */
    private static double edge(double[] a, int k, int side) {
        int other = k + side;
        if (other >= 0 && other < a.length) return (a[k] + a[other]) / 2;
        int inner = k - side;
        return a[k] + (a[k] - a[inner]) / 2;
    }

    /**
     * The level line log10(loss) = level by marching squares: in each cell of four grid values,
     * the points where the level is crossed on its edges (linearly interpolated), joined in pairs.
     */
    private static void contour(Graphics2D g, Plot plot, double[] xs, double[] ys, double[][] v, double level) {
        for (int i = 0; i + 1 < ys.length; i++) {
            for (int j = 0; j + 1 < xs.length; j++) {
                double[] cx = {xs[j], xs[j + 1], xs[j + 1], xs[j]};
                double[] cy = {ys[i], ys[i], ys[i + 1], ys[i + 1]};
                double[] cv = {log(v[i][j]), log(v[i][j + 1]), log(v[i + 1][j + 1]), log(v[i + 1][j])};
                List<double[]> cross = new ArrayList<>(4);
                for (int e = 0; e < 4; e++) {
                    double a = cv[e], b = cv[(e + 1) % 4];
                    if (!Double.isFinite(a) || !Double.isFinite(b) || (a - level) * (b - level) >= 0 && !(a == level && b != level)) continue;
                    double f = (level - a) / (b - a);
                    cross.add(new double[] {cx[e] + f * (cx[(e + 1) % 4] - cx[e]), cy[e] + f * (cy[(e + 1) % 4] - cy[e])});
                }
                for (int q = 0; q + 1 < cross.size(); q += 2) {
                    g.draw(new Line2D.Double(plot.px(cross.get(q)[0]), plot.py(cross.get(q)[1]),
                            plot.px(cross.get(q + 1)[0]), plot.py(cross.get(q + 1)[1])));
                }
            }
        }
    }

    private static double log(double v) {
        return v > 0 ? Math.log10(v) : Double.NaN;
    }
}
