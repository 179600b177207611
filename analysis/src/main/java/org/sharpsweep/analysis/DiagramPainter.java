package org.sharpsweep.analysis;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.sharpsweep.analysis.DiagramResult.LineStyle;
import org.sharpsweep.analysis.DiagramResult.Point;
import org.sharpsweep.analysis.DiagramResult.Region;

/** Lays out and paints the sharpness / non-uniformity diagram: titles, the plane, a legend on the right. */
final class DiagramPainter implements Figure {
    private static final int PAD = 16;
    /**
     * A region bound more than this many times the largest point coordinate is cut at the
     * axis end instead of stretching the axis, so the points do not shrink into a corner.
     */
    static final double AXIS_CAP = 4;
    /** Ratio of largest to smallest coordinate on an axis from which it is drawn logarithmic. */
    static final double LOG_AXIS_RATIO = 30;
    private static final double POINT_RADIUS = 4.5;
    private static final double RING_RADIUS = 8;
    private static final int FILL_ALPHA = 26;

    private final Font titleFont = Text.bold(17f);
    private final Font subFont = Text.plain(12.5f);
    private final Font tickFont = Text.plain(13f);
    private final Font axisFont = Text.bold(13.5f);
    private final Font legendFont = Text.plain(12.5f);
    private final Font legendHead = Text.bold(12.5f);

    private final int width;
    private final int height;
    private final List<String> titleLines;
    private final List<String> subLines;
    private final List<Point> points;
    private final List<Region> regions;
    private final List<LegendLine> legend;
    private final Box plot;
    private final Box legendBox;
    private final Scale xs;
    private final Scale ys;

    /**
     * One axis: linear from 0, or logarithmic when the positive values on it span at least
     * {@link #LOG_AXIS_RATIO} (sharpness near 2/lr over a log-spaced lr grid spans decades, and
     * a linear axis would crush the large-lr groups into the origin). On a log axis the origin
     * is off the chart, so regions extend to the plot's left and bottom edges.
     */
    record Scale(double lo, double hi, boolean log, List<Double> ticks, double step) {
        double fraction(double v) {
            return DiagramResult.fraction(v, lo, hi, log);
        }

        String label(double t) {
            return log ? Format.number(t, 3) : Format.tick(t, step);
        }

        /** Scale over point coordinates (all of them, may be empty) and finite region bounds. */
        static Scale of(double[] pts, double[] bounds) {
            double pMin = java.util.Arrays.stream(pts).min().orElse(0);
            double pMax = java.util.Arrays.stream(pts).max().orElse(0);
            double bMin = java.util.Arrays.stream(bounds).min().orElse(Double.POSITIVE_INFINITY);
            double bMax = java.util.Arrays.stream(bounds).max().orElse(0);
            if (pts.length > 0 && pMin > 0 && Math.max(pMax, Math.min(bMax, AXIS_CAP * pMax)) / pMin >= LOG_AXIS_RATIO) {
                double hi = Math.max(pMax, Math.min(bMax, AXIS_CAP * pMax)) * 1.3;
                double lo = Math.min(pMin, bMin) / 1.3;
                return new Scale(lo, hi, true, Format.logTicks(lo, hi), 0);
            }
            double hi = axisEnd(pMax, bMax);
            double step = Format.niceStep(hi, 6);
            List<Double> ticks = new ArrayList<>();
            for (int i = 0; i * step <= hi * (1 + 1e-9); i++) ticks.add(i * step);
            return new Scale(0, hi, false, ticks, step);
        }
    }

    /** One legend line: a heading, a colour, a line style or a marker, with its text. */
    private record LegendLine(String text, boolean heading, Color colour, LineStyle style, boolean band, Boolean inside) {
    }

    private DiagramPainter(int width, int height, String title, String subtitle, List<Point> points, List<Region> regions,
                           List<LegendLine> legend, Scale xs, Scale ys) {
        this.width = width;
        this.height = height;
        this.points = points;
        this.regions = regions;
        this.legend = legend;
        this.xs = xs;
        this.ys = ys;
        this.titleLines = Text.wrap(titleFont, title, width - 2 * PAD);
        this.subLines = Text.wrap(subFont, subtitle, width - 2 * PAD);

        int legendW = 40 + legend.stream().mapToInt(l -> Text.width(l.heading() ? legendHead : legendFont, l.text())).max().orElse(0);
        int top = PAD + titleLines.size() * lh(titleFont) + 4 + subLines.size() * lh(subFont) + 16;
        int yLabelW = 0;
        for (double t : ys.ticks()) yLabelW = Math.max(yLabelW, Text.width(tickFont, ys.label(t)));
        int left = PAD + lh(axisFont) + 10 + yLabelW + 8;
        int right = legendW + 28 + PAD;
        int bottom = 8 + lh(tickFont) + 10 + lh(axisFont) + PAD;
        int pw = width - left - right;
        int ph = height - top - bottom;
        if (pw < 100 || ph < 100) {
            throw new IllegalArgumentException("a " + width + "x" + height + " diagram has no room for its plot; give a larger size");
        }
        plot = new Box(left, top, pw, ph);
        legendBox = new Box(width - PAD - legendW, top, legendW, ph);
    }

    static DiagramResult draw(int width, int height, List<Path> outs, String by, String where, List<Point> points,
                              List<Region> regions, List<? extends Number> colourKeys, List<? extends Number> styleKeys,
                              int notShown, List<String> sweeps, Map<String, Object> constants) {
        Scale xs = Scale.of(points.stream().mapToDouble(Point::sharpness).toArray(),
                regions.stream().mapToDouble(Region::sharpnessBound).toArray());
        Scale ys = Scale.of(points.stream().mapToDouble(Point::nonuniformity).toArray(),
                regions.stream().mapToDouble(Region::nonuniformityBound).filter(Double::isFinite).toArray());

        boolean byLr = by.equals(Diagram.BY_LR);
        String colourName = byLr ? "learning rate lr" : "batch size B";
        String title = "Sharpness vs non-uniformity — " + points.size() + " OK points, coloured by " + colourName
                + (where == null || where.isBlank() ? "" : " | where " + where);
        long outside = points.stream().filter(p -> !p.inside()).count();
        boolean band = regions.stream().anyMatch(Region::band);
        boolean cut = regions.stream().anyMatch(r -> r.sharpnessBound() > xs.hi()
                || (Double.isFinite(r.nonuniformityBound()) && r.nonuniformityBound() > ys.hi()));
        String logNote = xs.log() && ys.log() ? "Log axes" : xs.log() ? "Log sharpness axis" : ys.log() ? "Log non-uniformity axis" : "";
        List<String> sub = new ArrayList<>();
        sub.add("Region of each (lr, B): sharpness ≤ 2/lr and non-uniformity ≤ √(B(n−1)/(n−B))/lr, the linear-stability"
                + " conditions of SGD (Wu, Ma & E 2018)" + (band ? "; full-batch GD (B = n) bounds sharpness only: a band" : "")
                + (cut ? "; regions beyond the axes are cut" : "") + "."
                + (logNote.isEmpty() ? "" : " " + logNote + " (values span decades): a region reaches the plot's edges."));
        sub.add(outside + " of " + points.size() + " points outside their own region (red ring)."
                + (notShown > 0 ? " " + notShown + " diverged, failed or unmeasured points not shown." : ""));
        sub.add((sweeps.size() == 1 ? "sweep " : "sweeps ") + String.join(", ", sweeps));
        String fixed = Query.fixedSettings(constants);
        if (!fixed.isEmpty()) sub.add(fixed);
        String subtitle = String.join(" ", sub.subList(0, 2)) + " " + String.join(" · ", sub.subList(2, sub.size()));

        List<LegendLine> legend = new ArrayList<>();
        legend.add(new LegendLine("colour: " + colourName, true, null, null, false, null));
        for (int i = 0; i < colourKeys.size(); i++) {
            legend.add(new LegendLine((byLr ? "lr = " : "B = ") + label(colourKeys.get(i)), false,
                    Colours.category(i, colourKeys.size()), null, false, null));
        }
        legend.add(new LegendLine("region outline: " + (byLr ? "batch size B" : "learning rate lr"), true, null, null, false, null));
        for (int i = 0; i < styleKeys.size(); i++) {
            Number key = styleKeys.get(i);
            boolean gd = regions.stream().anyMatch(r -> r.band() && (byLr ? r.batchSize() == key.intValue() : r.lr() == key.doubleValue()));
            String text = (byLr ? "B = " : "lr = ") + label(key) + (gd && byLr ? " (= n, GD: band)" : "");
            legend.add(new LegendLine(text, false, Colours.MUTED, LineStyle.values()[i % LineStyle.values().length], gd && byLr, null));
        }
        legend.add(new LegendLine("points", true, null, null, false, null));
        legend.add(new LegendLine("inside its region", false, Colours.MUTED, null, false, true));
        legend.add(new LegendLine("outside its region", false, Colours.MUTED, null, false, false));

        DiagramPainter p = new DiagramPainter(width, height, title, subtitle, points, regions, legend, xs, ys);
        for (Path out : outs) Figure.write(p, out);
        return new DiagramResult(outs.get(0), width, height, title, subtitle, by, p.plot, xs.lo(), xs.hi(), xs.log(), ys.lo(), ys.hi(),
                ys.log(), points, regions, notShown);
    }

    /** Axis end: the largest point, stretched to take in region bounds up to {@link #AXIS_CAP} times it, plus 5%. */
    static double axisEnd(double pointMax, double boundMax) {
        double end = pointMax > 0 ? Math.max(pointMax, Math.min(boundMax, AXIS_CAP * pointMax)) : boundMax;
        return end > 0 ? end * 1.05 : 1;
    }

    private static String label(Number v) {
        return v instanceof Double d ? Format.number(d, 4) : String.valueOf(v);
    }

    private static int lh(Font f) {
        return Text.lineHeight(f);
    }

    private double px(double sharpness) {
        return plot.x() + plot.width() * xs.fraction(sharpness);
    }

    private double py(double nonuniformity) {
        return plot.y() + plot.height() * (1 - ys.fraction(nonuniformity));
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
        g.clip(new Rectangle2D.Double(plot.x(), plot.y(), plot.width(), plot.height()));
        for (Region r : regions) paintRegionFill(g, r);
        for (Region r : regions) paintRegionEdge(g, r);
        for (Point p : points) if (p.inside()) paintPoint(g, p);
        for (Point p : points) if (!p.inside()) paintPoint(g, p);
        g.setClip(saved);
        paintAxes(g);
        if (points.isEmpty()) {
            g.setFont(axisFont);
            g.setColor(Colours.MUTED);
            Text.centred(g, "no OK point with both sharpness and non-uniformity", plot.centreX(), plot.centreY());
        }
        paintLegend(g);
    }

    private void paintTitles(Graphics2D g) {
        Text.titles(g, titleLines, titleFont, subLines, subFont, PAD);
    }

    private void paintGrid(Graphics2D g) {
        g.setStroke(new BasicStroke(1f));
        g.setColor(new Color(0xeeeeee));
        for (double t : xs.ticks()) g.draw(new Line2D.Double(px(t), plot.y(), px(t), plot.y() + plot.height()));
        for (double t : ys.ticks()) g.draw(new Line2D.Double(plot.x(), py(t), plot.x() + plot.width(), py(t)));
    }

    private void paintRegionFill(Graphics2D g, Region r) {
        double top = r.band() ? plot.y() : py(Math.min(r.nonuniformityBound(), ys.hi() * 1.01));
        double right = px(Math.min(r.sharpnessBound(), xs.hi() * 1.01));
        g.setColor(Colours.withAlpha(r.colour(), FILL_ALPHA));
        g.fill(new Rectangle2D.Double(plot.x(), top, right - plot.x(), plot.y() + plot.height() - top));
    }

    private void paintRegionEdge(Graphics2D g, Region r) {
        double x = px(r.sharpnessBound());
        double y = r.band() ? plot.y() - 10 : py(r.nonuniformityBound());
        g.setColor(r.colour());
        g.setStroke(new BasicStroke(2.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, r.lineStyle().dash(), 0f));
        g.draw(new Line2D.Double(x, plot.y() + plot.height(), x, y));
        if (!r.band()) g.draw(new Line2D.Double(plot.x(), y, x, y));
    }

    private void paintPoint(Graphics2D g, Point p) {
        marker(g, px(p.sharpness()), py(p.nonuniformity()), p.colour(), p.inside());
    }

    /** A dot (inside its region) or a cross in a red ring (outside). */
    private static void marker(Graphics2D g, double x, double y, Color colour, boolean inside) {
        if (inside) {
            Ellipse2D dot = new Ellipse2D.Double(x - POINT_RADIUS, y - POINT_RADIUS, 2 * POINT_RADIUS, 2 * POINT_RADIUS);
            g.setColor(colour);
            g.fill(dot);
            g.setColor(Color.WHITE);
            g.setStroke(new BasicStroke(1f));
            g.draw(dot);
            return;
        }
        g.setColor(Colours.OUTSIDE);
        g.setStroke(new BasicStroke(2.2f));
        g.draw(new Ellipse2D.Double(x - RING_RADIUS, y - RING_RADIUS, 2 * RING_RADIUS, 2 * RING_RADIUS));
        g.setColor(colour);
        g.setStroke(new BasicStroke(2.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        double c = RING_RADIUS * 0.62;
        g.draw(new Line2D.Double(x - c, y - c, x + c, y + c));
        g.draw(new Line2D.Double(x - c, y + c, x + c, y - c));
    }

    private void paintAxes(Graphics2D g) {
        g.setColor(Colours.TEXT);
        g.setStroke(new BasicStroke(1.2f));
        g.draw(new Line2D.Double(plot.x(), plot.y(), plot.x(), plot.y() + plot.height()));
        g.draw(new Line2D.Double(plot.x(), plot.y() + plot.height(), plot.x() + plot.width(), plot.y() + plot.height()));
        g.setFont(tickFont);
        int base = plot.y() + plot.height();
        for (double t : xs.ticks()) {
            g.draw(new Line2D.Double(px(t), base, px(t), base + 5));
            Text.centred(g, xs.label(t), px(t), base + 8 + lh(tickFont) / 2.0);
        }
        for (double t : ys.ticks()) {
            g.draw(new Line2D.Double(plot.x() - 5, py(t), plot.x(), py(t)));
            Text.right(g, ys.label(t), plot.x() - 8, py(t));
        }
        g.setFont(axisFont);
        Text.centred(g, Labels.metric(org.sharpsweep.sweeps.ResultSchema.SHARPNESS) + " (training-loss Hessian)"
                        + (xs.log() ? ", log scale" : ""),
                plot.x() + plot.width() / 2.0, base + 8 + lh(tickFont) + 10 + lh(axisFont) / 2.0);
        Text.vertical(g, Labels.metric(org.sharpsweep.sweeps.ResultSchema.NONUNIFORMITY) + " (per-sample Hessians)"
                        + (ys.log() ? ", log scale" : ""),
                PAD + lh(axisFont) / 2.0, plot.y() + plot.height() / 2.0);
    }

    private void paintLegend(Graphics2D g) {
        int x = legendBox.x();
        double y = legendBox.y() + 8;
        for (LegendLine l : legend) {
            if (l.heading()) {
                y += 6;
                g.setFont(legendHead);
                g.setColor(Colours.TEXT);
                Text.left(g, l.text(), x, y);
                y += 20;
                continue;
            }
            if (l.style() != null) {
                g.setColor(l.colour());
                g.setStroke(new BasicStroke(2.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, l.style().dash(), 0f));
                if (l.band()) {
                    g.draw(new Line2D.Double(x + 26, y + 6, x + 26, y - 8));
                } else {
                    g.draw(new Line2D.Double(x + 2, y - 6, x + 26, y - 6));
                    g.draw(new Line2D.Double(x + 26, y - 6, x + 26, y + 6));
                }
            } else if (l.inside() != null) {
                marker(g, x + 14, y, Colours.MUTED, l.inside());
            } else {
                marker(g, x + 14, y, l.colour(), true);
            }
            g.setFont(legendFont);
            g.setColor(Colours.TEXT);
            Text.left(g, l.text(), x + 36, y);
            y += 20;
        }
    }
}
