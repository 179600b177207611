package org.sharpsweep.analysis;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.Line2D;
import java.util.ArrayList;
import java.util.List;

/**
 * Lays out and paints a {@link Trajectory.Result}: titles; the metric against the step, one line
 * per point in the colour of its colour-axis value, with each lr's 2/lr dashed in the colour of
 * that lr's lines (Cohen et al. 2021, Figure 1); below it, on the same step axis, the training
 * loss on a log10 axis; the legend on the right. A DIVERGED point's line ends in a cross at its last
 * measurement (a point that diverged before its second measurement is that cross alone, at step
 * 0), and the legend and subtitle say so. 2/lr labels that would overlap share one label.
 */
final class TrajectoryPainter {
    /** The picture's size when none is given: legible on a laptop screen and in the report. */
    static final int WIDTH = 900;
    static final int HEIGHT = 700;

    /** Gap between the two panels (tick marks of the upper one, no labels: the step axis is shared). */
    private static final int GAP = 22;
    /** Share of the plotting height given to the metric; the loss gets the rest. */
    private static final double TOP_SHARE = 0.6;
    /** A 2/lr more than this many times the largest value is cut, not stretched into, so the lines keep their room. */
    static final double AXIS_CAP = 4;
    /** Dash pattern of the 2/lr lines, in pixels: 9 on, 6 off. */
    static final float[] DASH = {9f, 6f};

    private final Trajectory.Result result;
    private final int width;
    private final int height;
    private final Titles titles;
    private final Legend legend;
    /** The metric against the step; below it the loss, on a log axis when any loss is positive. */
    private final Plot top;
    private final Plot bottom;
    private final boolean hasLoss;

    TrajectoryPainter(Trajectory.Result result, int width, int height) {
        this.result = result;
        this.width = width;
        this.height = height;

        int maxStep = 0;
        double vMin = Double.POSITIVE_INFINITY, vMax = Double.NEGATIVE_INFINITY;
        double lMin = Double.POSITIVE_INFINITY, lMax = 0;
        for (Trajectory.Line l : result.lines()) {
            for (Trajectory.Sample s : l.values()) {
                maxStep = Math.max(maxStep, s.step());
                vMin = Math.min(vMin, s.value());
                vMax = Math.max(vMax, s.value());
            }
            for (Trajectory.Sample s : l.trainLoss()) {
                maxStep = Math.max(maxStep, s.step());
                if (s.value() > 0) {
                    lMin = Math.min(lMin, s.value());
                    lMax = Math.max(lMax, s.value());
                }
            }
        }
        if (vMin > vMax) {
            vMin = 0;
            vMax = 1;
        }
        double cap = vMax > 0 ? AXIS_CAP * vMax : Double.POSITIVE_INFINITY;
        for (Trajectory.Bound b : result.bounds()) {
            if (b.value() <= cap) vMax = Math.max(vMax, b.value());
        }
        Scale xs = Scale.rounded(0, Math.max(maxStep, 1), 8, 0);
        // room above the largest value, so a line or a bound there does not sit on the frame
        Scale ys = Scale.rounded(vMin, vMax, 6, 0.04);
        hasLoss = lMax > 0;
        Scale losses = hasLoss ? Scale.decades(lMin, lMax) : Scale.blank();

        titles = Titles.wrap(result.title(), subtitle(ys), width);
        List<Legend.Entry> entries = new ArrayList<>(Legend.colours(result.colourBy(), result.colourValues(), this::colour));
        if (!result.bounds().isEmpty()) entries.add(Legend.apart("2/lr (dashed)", Legend.line(Colours.MUTED, Plot.dashed(2f, DASH))));
        if (diverged() > 0) {
            entries.add(Legend.apart("diverged (" + diverged() + "): ends in ×", (g, slot) -> cross(g, slot.x() + slot.width() / 2.0,
                    slot.centreY(), Colours.MUTED)));
        }
        legend = new Legend(entries);

        int topY = titles.below();
        int left = Plot.left(Math.max(ys.labelWidth(), losses.labelWidth()));
        int pw = width - left - legend.margin();
        int ph = height - topY - Plot.below() - GAP;
        if (pw < 120 || ph < 160) {
            throw new IllegalArgumentException("a " + width + "x" + height + " trajectory picture has no room for its plots; give a larger size");
        }
        int th = (int) Math.round(ph * TOP_SHARE);
        top = new Plot(new Box(left, topY, pw, th), xs, ys);
        bottom = new Plot(new Box(left, topY + th + GAP, pw, ph - th), xs, losses);
    }

    private String subtitle(Scale ys) {
        List<String> parts = new ArrayList<>();
        parts.add(result.lines().size() + (result.lines().size() == 1 ? " point, " : " points, ") + result.measurements()
                + " measurements; one line per point, coloured by " + Labels.axis(result.colourBy()) + ".");
        if (!result.bounds().isEmpty()) {
            long cut = result.bounds().stream().filter(b -> b.value() > ys.hi()).count();
            parts.add("Dashed: 2/lr of each lr, beyond which gradient descent is unstable (Cohen et al. 2021)"
                    + (cut > 0 ? "; " + cut + " above the axis, not drawn" : "") + ".");
        }
        long diverged = diverged();
        if (diverged > 0) {
            parts.add(diverged + (diverged == 1 ? " point" : " points") + " DIVERGED: a cross marks the last measurement before it"
                    + " (at step 0 when it diverged before the second).");
        }
        parts.add("Below: train loss, log scale.");
        if (result.where() != null) parts.add("Where " + result.where() + ".");
        return String.join(" ", parts);
    }

    /** Lines of points whose status is DIVERGED. */
    private long diverged() {
        return result.lines().stream().filter(l -> org.sharpsweep.sweeps.Status.DIVERGED.name().equals(l.status())).count();
    }

    /**
     * The 2/lr labels to write: one per bound drawn, except that bounds whose labels would touch
     * (rows less than {@code lineHeight} apart) share the label of the first of them, their values
     * listed once each, e.g. {@code 2/lr = 20, 19.8}.
     *
     * @param rows the pixel row of each bound's line, in the order of {@code bounds}
     */
    static List<BoundLabel> boundLabels(List<Trajectory.Bound> bounds, double[] rows, double lineHeight) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < bounds.size(); i++) if (!Double.isNaN(rows[i])) order.add(i);
        order.sort(java.util.Comparator.comparingDouble(i -> rows[i]));
        List<BoundLabel> out = new ArrayList<>();
        List<String> values = new ArrayList<>();
        int colour = 0;
        double at = Double.NaN;
        for (int i : order) {
            String v = Format.number(bounds.get(i).value(), 3);
            if (!Double.isNaN(at) && rows[i] - at < lineHeight) {
                if (!values.contains(v)) values.add(v);
                if (colour != bounds.get(i).colourIndex()) colour = -1;
                continue;
            }
            if (!Double.isNaN(at)) out.add(new BoundLabel("2/lr = " + String.join(", ", values), at, colour));
            values = new ArrayList<>(List.of(v));
            colour = bounds.get(i).colourIndex();
            at = rows[i];
        }
        if (!Double.isNaN(at)) out.add(new BoundLabel("2/lr = " + String.join(", ", values), at, colour));
        return out;
    }

    /** A 2/lr label: its text, the pixel row of its (first) line and its colour index (-1: grey, several colours). */
    record BoundLabel(String text, double row, int colourIndex) {
    }

    /** The colour of the i-th colour value; of a bound whose lines have several colours, -1: grey. */
    Color colour(int i) {
        return i < 0 ? Colours.MUTED : Colours.category(i, result.colourValues().size());
    }

    /** The upper panel, where the metric is drawn, in image pixels. */
    Box topPlot() {
        return top.box();
    }

    /** The lower panel, where the loss is drawn. */
    Box bottomPlot() {
        return bottom.box();
    }

    /** The pixel column of a step. */
    double x(double step) {
        return top.px(step);
    }

    /** The pixel row of a metric value in the upper panel. */
    double yMetric(double v) {
        return top.py(v);
    }

    /** The pixel row of a loss value in the lower panel. */
    double yLoss(double v) {
        return bottom.py(v);
    }

    Figure figure() {
        return new Figure(width, height, this::paint);
    }

    private void paint(Graphics2D g) {
        titles.paint(g);
        top.grid(g);
        bottom.grid(g);
        float stroke = result.lines().size() > 30 ? 1.2f : 1.8f;
        Shape saved = top.clip(g);
        for (Trajectory.Line l : result.lines()) series(g, top, l.values(), colour(l.colourIndex()), stroke);
        double[] rows = new double[result.bounds().size()];
        for (int i = 0; i < rows.length; i++) {
            Trajectory.Bound b = result.bounds().get(i);
            if (b.value() > top.y().hi()) {
                rows[i] = Double.NaN;
                continue;
            }
            double y = top.py(b.value());
            rows[i] = y;
            g.setColor(colour(b.colourIndex()));
            g.setStroke(Plot.dashed(2f, DASH));
            g.draw(new Line2D.Double(top.box().x(), y, top.right(), y));
        }
        g.setFont(Text.TICK);
        for (BoundLabel label : boundLabels(result.bounds(), rows, Text.lineHeight(Text.TICK) + 2)) {
            g.setColor(colour(label.colourIndex()));
            Text.right(g, label.text(), top.right() - 4, label.row() - 4 - Text.lineHeight(Text.TICK) / 2.0);
        }
        for (Trajectory.Line l : result.lines()) {
            if (!org.sharpsweep.sweeps.Status.DIVERGED.name().equals(l.status()) || l.values().isEmpty()) continue;
            Trajectory.Sample last = l.values().get(l.values().size() - 1);
            cross(g, top.px(last.step()), top.py(last.value()), colour(l.colourIndex()));
        }
        g.setClip(saved);
        if (hasLoss) {
            bottom.clip(g);
            for (Trajectory.Line l : result.lines()) {
                List<Trajectory.Sample> positive = l.trainLoss().stream().filter(s -> s.value() > 0).toList();
                series(g, bottom, positive, colour(l.colourIndex()), stroke);
            }
            g.setClip(saved);
        } else {
            bottom.notice(g, "no positive train_loss to draw on a log axis");
        }
        top.axes(g, false);
        bottom.axes(g, true);
        bottom.xTitle(g, "step (updates taken)");
        top.yTitle(g, Labels.metric(result.metric()));
        bottom.yTitle(g, Labels.metric(Trajectory.LOSS) + " (log)");
        legend.paintRight(g, width, top.box().y());
    }

    /** The mark of a diverged point's last measurement: a cross of 9 pixels. */
    private static void cross(Graphics2D g, double x, double y, Color c) {
        g.setColor(c);
        g.setStroke(new java.awt.BasicStroke(2f));
        g.draw(new Line2D.Double(x - 4.5, y - 4.5, x + 4.5, y + 4.5));
        g.draw(new Line2D.Double(x - 4.5, y + 4.5, x + 4.5, y - 4.5));
    }

    /** A polyline through the samples in step order; a lone sample is a dot. */
    private static void series(Graphics2D g, Plot plot, List<Trajectory.Sample> samples, Color c, float stroke) {
        if (samples.isEmpty()) return;
        if (samples.size() == 1) {
            Plot.dot(g, plot.px(samples.get(0).step()), plot.py(samples.get(0).value()), 3, c);
            return;
        }
        Plot.line(g, samples.stream().mapToDouble(s -> plot.px(s.step())).toArray(),
                samples.stream().mapToDouble(s -> plot.py(s.value())).toArray(), c, stroke);
    }
}
