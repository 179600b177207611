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
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Lays out and paints a {@link Trajectory.Result}: titles; the metric against the step, one line
 * per point in the colour of its colour-axis value, with each lr's 2/lr dashed in the colour of
 * that lr's lines (Cohen et al. 2021, Figure 1); below it, on the same step axis, the training
 * loss on a log10 axis; the legend on the right.
 */
final class TrajectoryPainter implements Figure {
    /** The picture's size when none is given: legible on a laptop screen and in the report. */
    static final int WIDTH = 900;
    static final int HEIGHT = 700;

    private static final int PAD = 16;
    /** Gap between the two panels (tick marks of the upper one, no labels: the step axis is shared). */
    private static final int GAP = 22;
    /** Share of the plotting height given to the metric; the loss gets the rest. */
    private static final double TOP_SHARE = 0.6;
    /** A 2/lr more than this many times the largest value is cut, not stretched into, so the lines keep their room. */
    static final double AXIS_CAP = 4;
    /** Dash pattern of the 2/lr lines, in pixels: 9 on, 6 off. */
    static final float[] DASH = {9f, 6f};
    private static final int MAX_LEGEND_ENTRIES = 18;

    private final Font titleFont = Text.bold(17f);
    private final Font subFont = Text.plain(12.5f);
    private final Font tickFont = Text.plain(12.5f);
    private final Font axisFont = Text.bold(13f);
    private final Font legendFont = Text.plain(12.5f);
    private final Font legendHead = Text.bold(12.5f);

    private final Trajectory.Result result;
    private final int width;
    private final int height;
    private final List<String> titleLines;
    private final List<String> subLines;
    private final List<String> legend;
    private final Box top;
    private final Box bottom;
    private final Box legendBox;
    private final Scale xs;
    private final Scale ys;
    private final Scale losses;

    /**
     * One axis: linear with "nice" ticks, or log10 between whole decades.
     *
     * @param step the tick spacing of a linear axis (0 on a log one)
     */
    record Scale(double lo, double hi, boolean log, List<Double> ticks, double step) {
        double fraction(double v) {
            if (log) return (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
            return (v - lo) / (hi - lo);
        }

        String label(double t) {
            return log ? Format.number(t, 3) : Format.tick(t, step);
        }

        /**
         * A linear axis over [min, max] (from 0 when min >= 0) with about {@code ticks} ticks, ending
         * on a tick at least {@code room} of the range above max.
         */
        static Scale linear(double min, double max, int ticks, double room) {
            if (!(max > min)) {
                double d = min == 0 ? 1 : Math.abs(min) * 0.1;
                max += d;
                if (min < 0) min -= d;
            }
            double lo = Math.min(min, 0);
            double step = Format.niceStep(max - lo, ticks);
            lo = Math.floor(lo / step) * step;
            double hi = Math.ceil((max + room * (max - lo)) / step - 1e-9) * step;
            List<Double> t = new ArrayList<>();
            for (int i = 0; lo + i * step <= hi + step * 1e-9; i++) t.add(lo + i * step);
            return new Scale(lo, hi, false, t, step);
        }

        /** A log10 axis from the decade at or below min to the one at or above max (min > 0). */
        static Scale log(double min, double max) {
            double lo = Math.pow(10, Math.floor(Math.log10(min)));
            double hi = Math.pow(10, Math.ceil(Math.log10(max)));
            if (hi <= lo) hi = lo * 10;
            return new Scale(lo, hi, true, Format.logTicks(lo, hi), 0);
        }
    }

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
        xs = Scale.linear(0, Math.max(maxStep, 1), 8, 0);
        // room above the largest value, so a line or a bound there does not sit on the frame
        ys = Scale.linear(vMin, vMax, 6, 0.04);
        losses = lMax > 0 ? Scale.log(lMin, lMax) : null;

        titleLines = Text.wrap(titleFont, result.title(), width - 2 * PAD);
        subLines = Text.wrap(subFont, subtitle(), width - 2 * PAD);
        legend = legendTexts();

        int legendW = 36 + legend.stream().mapToInt(s -> Text.width(legendFont, s)).max().orElse(0);
        legendW = Math.max(legendW, Text.width(legendHead, colourHeading()));
        int topY = PAD + titleLines.size() * lh(titleFont) + 4 + subLines.size() * lh(subFont) + 16;
        int yLabelW = 0;
        for (double t : ys.ticks()) yLabelW = Math.max(yLabelW, Text.width(tickFont, ys.label(t)));
        if (losses != null) for (double t : losses.ticks()) yLabelW = Math.max(yLabelW, Text.width(tickFont, losses.label(t)));
        int left = PAD + lh(axisFont) + 8 + yLabelW + 8;
        int right = legendW + 24 + PAD;
        int below = 8 + lh(tickFont) + 8 + lh(axisFont) + PAD;
        int pw = width - left - right;
        int ph = height - topY - below - GAP;
        if (pw < 120 || ph < 160) {
            throw new IllegalArgumentException("a " + width + "x" + height + " trajectory picture has no room for its plots; give a larger size");
        }
        int th = (int) Math.round(ph * TOP_SHARE);
        top = new Box(left, topY, pw, th);
        bottom = new Box(left, topY + th + GAP, pw, ph - th);
        legendBox = new Box(width - PAD - legendW, topY, legendW, ph);
    }

    private String subtitle() {
        List<String> parts = new ArrayList<>();
        parts.add(result.lines().size() + (result.lines().size() == 1 ? " point, " : " points, ") + result.measurements()
                + " measurements; one line per point, coloured by " + Labels.axis(result.colourBy()) + ".");
        if (!result.bounds().isEmpty()) {
            long cut = result.bounds().stream().filter(b -> b.value() > ys.hi()).count();
            parts.add("Dashed: 2/lr of each lr, beyond which gradient descent is unstable (Cohen et al. 2021)"
                    + (cut > 0 ? "; " + cut + " above the axis, not drawn" : "") + ".");
        }
        parts.add("Below: train loss, log scale.");
        if (result.where() != null) parts.add("Where " + result.where() + ".");
        return String.join(" ", parts);
    }

    private String colourHeading() {
        return "colour: " + Labels.axis(result.colourBy());
    }

    /** Legend entries below the heading: one per colour value (at most {@link #MAX_LEGEND_ENTRIES}), then the bound. */
    private List<String> legendTexts() {
        List<String> out = new ArrayList<>();
        List<Object> values = result.colourValues();
        int shown = values.size() <= MAX_LEGEND_ENTRIES ? values.size() : MAX_LEGEND_ENTRIES - 1;
        for (int i = 0; i < shown; i++) out.add(shortName(result.colourBy()) + " = " + Query.show(values.get(i)));
        if (shown < values.size()) out.add("… and " + (values.size() - shown) + " more");
        if (!result.bounds().isEmpty()) out.add("2/lr (dashed)");
        return out;
    }

    private static String shortName(String column) {
        return switch (column) {
            case "batch_size" -> "B";
            case "penalty_coef" -> "λ";
            default -> column;
        };
    }

    /** The colour of the i-th colour value; of a bound whose lines have several colours, -1: grey. */
    Color colour(int i) {
        return i < 0 ? Colours.MUTED : Colours.category(i, result.colourValues().size());
    }

    /** The upper panel, where the metric is drawn, in image pixels. */
    Box topPlot() {
        return top;
    }

    /** The lower panel, where the loss is drawn. */
    Box bottomPlot() {
        return bottom;
    }

    /** The pixel column of a step. */
    double x(double step) {
        return top.x() + top.width() * xs.fraction(step);
    }

    /** The pixel row of a metric value in the upper panel. */
    double yMetric(double v) {
        return top.y() + top.height() * (1 - ys.fraction(v));
    }

    /** The pixel row of a loss value in the lower panel. */
    double yLoss(double v) {
        return bottom.y() + bottom.height() * (1 - losses.fraction(v));
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
        paintGrid(g, top, ys, this::yMetric);
        if (losses != null) paintGrid(g, bottom, losses, this::yLoss);
        Shape saved = g.getClip();
        g.clip(new Rectangle2D.Double(top.x(), top.y() - 1, top.width() + 1, top.height() + 2));
        float stroke = result.lines().size() > 30 ? 1.2f : 1.8f;
        for (Trajectory.Line l : result.lines()) series(g, l.values(), colour(l.colourIndex()), stroke, v -> yMetric(v));
        for (Trajectory.Bound b : result.bounds()) {
            if (b.value() > ys.hi()) continue;
            double y = yMetric(b.value());
            g.setColor(colour(b.colourIndex()));
            g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, DASH, 0f));
            g.draw(new Line2D.Double(top.x(), y, top.x() + top.width(), y));
            g.setFont(tickFont);
            String label = "2/lr = " + Format.number(b.value(), 3);
            Text.right(g, label, top.x() + top.width() - 4, y - 4 - lh(tickFont) / 2.0);
        }
        g.setClip(saved);
        if (losses != null) {
            g.clip(new Rectangle2D.Double(bottom.x(), bottom.y() - 1, bottom.width() + 1, bottom.height() + 2));
            for (Trajectory.Line l : result.lines()) {
                List<Trajectory.Sample> positive = l.trainLoss().stream().filter(s -> s.value() > 0).toList();
                series(g, positive, colour(l.colourIndex()), stroke, v -> yLoss(v));
            }
            g.setClip(saved);
        } else {
            g.setFont(axisFont);
            g.setColor(Colours.MUTED);
            Text.centred(g, "no positive train_loss to draw on a log axis", bottom.centreX(), bottom.centreY());
        }
        paintAxes(g);
        paintLegend(g);
    }

    /** A polyline through the samples in step order; a lone sample is a dot. */
    private void series(Graphics2D g, List<Trajectory.Sample> samples, Color c, float stroke, ToDoubleFunction<Double> y) {
        if (samples.isEmpty()) return;
        g.setColor(c);
        if (samples.size() == 1) {
            Trajectory.Sample s = samples.get(0);
            double r = 3;
            g.fill(new Ellipse2D.Double(x(s.step()) - r, y.applyAsDouble(s.value()) - r, 2 * r, 2 * r));
            return;
        }
        Path2D.Double path = new Path2D.Double();
        for (int i = 0; i < samples.size(); i++) {
            Trajectory.Sample s = samples.get(i);
            if (i == 0) path.moveTo(x(s.step()), y.applyAsDouble(s.value()));
            else path.lineTo(x(s.step()), y.applyAsDouble(s.value()));
        }
        g.setStroke(new BasicStroke(stroke, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(path);
    }

    private void paintTitles(Graphics2D g) {
        Text.titles(g, titleLines, titleFont, subLines, subFont, PAD);
    }

    private void paintGrid(Graphics2D g, Box plot, Scale s, ToDoubleFunction<Double> y) {
        g.setStroke(new BasicStroke(1f));
        g.setColor(new Color(0xeeeeee));
        for (double t : xs.ticks()) g.draw(new Line2D.Double(x(t), plot.y(), x(t), plot.y() + plot.height()));
        for (double t : s.ticks()) {
            double py = y.applyAsDouble(t);
            g.draw(new Line2D.Double(plot.x(), py, plot.x() + plot.width(), py));
        }
    }

    private void paintAxes(Graphics2D g) {
        g.setFont(tickFont);
        for (Box plot : List.of(top, bottom)) {
            g.setColor(Colours.TEXT);
            g.setStroke(new BasicStroke(1.2f));
            int base = plot.y() + plot.height();
            g.draw(new Line2D.Double(plot.x(), plot.y(), plot.x(), base));
            g.draw(new Line2D.Double(plot.x(), base, plot.x() + plot.width(), base));
            for (double t : xs.ticks()) {
                g.draw(new Line2D.Double(x(t), base, x(t), base + 5));
                if (plot == bottom) Text.centred(g, xs.label(t), x(t), base + 8 + lh(tickFont) / 2.0);
            }
        }
        for (double t : ys.ticks()) {
            g.draw(new Line2D.Double(top.x() - 5, yMetric(t), top.x(), yMetric(t)));
            Text.right(g, ys.label(t), top.x() - 8, yMetric(t));
        }
        if (losses != null) {
            for (double t : losses.ticks()) {
                g.draw(new Line2D.Double(bottom.x() - 5, yLoss(t), bottom.x(), yLoss(t)));
                Text.right(g, losses.label(t), bottom.x() - 8, yLoss(t));
            }
        }
        g.setFont(axisFont);
        int base = bottom.y() + bottom.height();
        Text.centred(g, "step (updates taken)", bottom.x() + bottom.width() / 2.0, base + 8 + lh(tickFont) + 8 + lh(axisFont) / 2.0);
        double cx = PAD + lh(axisFont) / 2.0;
        Text.vertical(g, Labels.metric(result.metric()), cx, top.y() + top.height() / 2.0);
        Text.vertical(g, Labels.metric(Trajectory.LOSS) + " (log)", cx, bottom.y() + bottom.height() / 2.0);
    }

    private void paintLegend(Graphics2D g) {
        int x = legendBox.x();
        double y = legendBox.y() + 8;
        g.setFont(legendHead);
        g.setColor(Colours.TEXT);
        Text.left(g, colourHeading(), x, y);
        y += 22;
        int values = result.colourValues().size();
        for (int i = 0; i < legend.size(); i++) {
            String text = legend.get(i);
            boolean bound = !result.bounds().isEmpty() && i == legend.size() - 1;
            boolean more = text.startsWith("…");
            if (bound) {
                y += 8;
                g.setColor(Colours.MUTED);
                g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, DASH, 0f));
                g.draw(new Line2D.Double(x, y, x + 26, y));
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
