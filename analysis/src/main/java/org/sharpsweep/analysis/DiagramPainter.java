package org.sharpsweep.analysis;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.sharpsweep.analysis.DiagramResult.LineStyle;
import org.sharpsweep.analysis.DiagramResult.Point;
import org.sharpsweep.analysis.DiagramResult.Region;
import org.sharpsweep.sweeps.ResultSchema;

/** Lays out and paints the sharpness / non-uniformity diagram: titles, the plane, a legend on the right. */
final class DiagramPainter {
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
    /** Width of a region's outline. */
    private static final float EDGE = 2.2f;

    private final int width;
    private final int height;
    private final Titles titles;
    private final List<Point> points;
    private final List<Region> regions;
    private final Legend legend;
    private final Plot plot;

    private DiagramPainter(int width, int height, Titles titles, List<Point> points, List<Region> regions, Legend legend,
                           Scale xs, Scale ys) {
        this.width = width;
        this.height = height;
        this.titles = titles;
        this.points = points;
        this.regions = regions;
        this.legend = legend;
        int top = titles.below();
        int left = Plot.left(ys.labelWidth());
        int pw = width - left - legend.margin();
        int ph = height - top - Plot.below();
        if (pw < 100 || ph < 100) {
            throw new IllegalArgumentException("a " + width + "x" + height + " diagram has no room for its plot; give a larger size");
        }
        plot = new Plot(new Box(left, top, pw, ph), xs, ys);
    }

    /**
     * One axis: linear from 0, or logarithmic when the positive values on it span at least
     * {@link #LOG_AXIS_RATIO} (sharpness near 2/lr over a log-spaced lr grid spans decades, and
     * a linear axis would crush the large-lr groups into the origin). On a log axis the origin
     * is off the chart, so regions extend to the plot's left and bottom edges.
     *
     * @param pts    the points' coordinates on this axis (all of them, may be empty)
     * @param bounds the regions' finite bounds on it
     */
    static Scale scale(double[] pts, double[] bounds) {
        double pMin = Arrays.stream(pts).min().orElse(0);
        double pMax = Arrays.stream(pts).max().orElse(0);
        double bMin = Arrays.stream(bounds).min().orElse(Double.POSITIVE_INFINITY);
        double bMax = Arrays.stream(bounds).max().orElse(0);
        double reach = Math.max(pMax, Math.min(bMax, AXIS_CAP * pMax));
        if (pts.length > 0 && pMin > 0 && reach / pMin >= LOG_AXIS_RATIO) return Scale.log(Math.min(pMin, bMin) / 1.3, reach * 1.3);
        return Scale.linear(0, axisEnd(pMax, bMax), 6);
    }

    static DiagramResult draw(int width, int height, List<Path> outs, String by, String where, List<Point> points,
                              List<Region> regions, List<? extends Number> colourKeys, List<? extends Number> styleKeys,
                              int notShown, List<String> sweeps, Map<String, Object> constants) {
        Scale xs = scale(points.stream().mapToDouble(Point::sharpness).toArray(),
                regions.stream().mapToDouble(Region::sharpnessBound).toArray());
        Scale ys = scale(points.stream().mapToDouble(Point::nonuniformity).toArray(),
                regions.stream().mapToDouble(Region::nonuniformityBound).filter(Double::isFinite).toArray());

        boolean byLr = by.equals(Diagram.BY_LR);
        String styleBy = byLr ? Diagram.BY_BATCH_SIZE : Diagram.BY_LR;
        String title = "Sharpness vs non-uniformity — " + points.size() + " OK points, coloured by " + Labels.axis(by)
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

        List<Legend.Entry> legend = new ArrayList<>();
        legend.add(Legend.heading("colour: " + Labels.axis(by)));
        for (int i = 0; i < colourKeys.size(); i++) {
            Color c = Colours.category(i, colourKeys.size());
            legend.add(Legend.entry(Labels.symbol(by) + " = " + label(colourKeys.get(i)),
                    (g, slot) -> marker(g, slot.centreX(), slot.centreY(), c, true)));
        }
        legend.add(Legend.heading("region outline: " + Labels.axis(styleBy)));
        for (int i = 0; i < styleKeys.size(); i++) {
            Number key = styleKeys.get(i);
            boolean gd = byLr && regions.stream().anyMatch(r -> r.band() && r.batchSize() == key.intValue());
            LineStyle style = LineStyle.values()[i % LineStyle.values().length];
            legend.add(Legend.entry(Labels.symbol(styleBy) + " = " + label(key) + (gd ? " (= n, GD: band)" : ""),
                    (g, slot) -> outline(g, slot, style, gd)));
        }
        legend.add(Legend.heading("points"));
        legend.add(Legend.entry("inside its region", (g, slot) -> marker(g, slot.centreX(), slot.centreY(), Colours.MUTED, true)));
        legend.add(Legend.entry("outside its region", (g, slot) -> marker(g, slot.centreX(), slot.centreY(), Colours.MUTED, false)));

        DiagramPainter p = new DiagramPainter(width, height, Titles.wrap(title, subtitle, width), points, regions,
                new Legend(legend), xs, ys);
        for (Path out : outs) Figure.write(new Figure(width, height, p::paint), out);
        return new DiagramResult(outs.get(0), width, height, title, subtitle, by, p.plot.box(), xs.lo(), xs.hi(), xs.log(),
                ys.lo(), ys.hi(), ys.log(), points, regions, notShown);
    }

    /** Axis end: the largest point, stretched to take in region bounds up to {@link #AXIS_CAP} times it, plus 5%. */
    static double axisEnd(double pointMax, double boundMax) {
        double end = pointMax > 0 ? Math.max(pointMax, Math.min(boundMax, AXIS_CAP * pointMax)) : boundMax;
        return end > 0 ? end * 1.05 : 1;
    }

    private static String label(Number v) {
        return v instanceof Double d ? Format.number(d, 4) : String.valueOf(v);
    }

    private void paint(Graphics2D g) {
        titles.paint(g);
        plot.grid(g);
        Shape saved = plot.clip(g);
        for (Region r : regions) paintRegionFill(g, r);
        for (Region r : regions) paintRegionEdge(g, r);
        for (Point p : points) if (p.inside()) paintPoint(g, p);
        for (Point p : points) if (!p.inside()) paintPoint(g, p);
        g.setClip(saved);
        plot.axes(g, true);
        plot.xTitle(g, Labels.metric(ResultSchema.SHARPNESS) + " (training-loss Hessian)" + (plot.x().log() ? ", log scale" : ""));
        plot.yTitle(g, Labels.metric(ResultSchema.NONUNIFORMITY) + " (per-sample Hessians)" + (plot.y().log() ? ", log scale" : ""));
        if (points.isEmpty()) plot.notice(g, "no OK point with both sharpness and non-uniformity");
        legend.paintRight(g, width, plot.box().y());
    }

    private void paintRegionFill(Graphics2D g, Region r) {
        Box b = plot.box();
        double top = r.band() ? b.y() : plot.py(Math.min(r.nonuniformityBound(), plot.y().hi() * 1.01));
        double right = plot.px(Math.min(r.sharpnessBound(), plot.x().hi() * 1.01));
        g.setColor(Colours.withAlpha(r.colour(), FILL_ALPHA));
        g.fill(new Rectangle2D.Double(b.x(), top, right - b.x(), plot.bottom() - top));
    }

    /** The region's right edge at 2/lr and, unless it is a band, its top edge at the non-uniformity bound. */
    private void paintRegionEdge(Graphics2D g, Region r) {
        double x = plot.px(r.sharpnessBound());
        double y = r.band() ? plot.box().y() - 10 : plot.py(r.nonuniformityBound());
        g.setColor(r.colour());
        g.setStroke(Plot.dashed(EDGE, r.lineStyle().dash()));
        g.draw(new Line2D.Double(x, plot.bottom(), x, y));
        if (!r.band()) g.draw(new Line2D.Double(plot.box().x(), y, x, y));
    }

    /** A legend swatch of a region outline: its corner, or the right edge of a band. */
    private static void outline(Graphics2D g, Box slot, LineStyle style, boolean band) {
        double x = slot.x() + 26;
        double y = slot.centreY();
        g.setColor(Colours.MUTED);
        g.setStroke(Plot.dashed(EDGE, style.dash()));
        if (band) {
            g.draw(new Line2D.Double(x, y + 6, x, y - 8));
        } else {
            g.draw(new Line2D.Double(slot.x() + 2, y - 6, x, y - 6));
            g.draw(new Line2D.Double(x, y - 6, x, y + 6));
        }
    }

    private void paintPoint(Graphics2D g, Point p) {
        marker(g, plot.px(p.sharpness()), plot.py(p.nonuniformity()), p.colour(), p.inside());
    }

    /** A dot (inside its region) or a cross in a red ring (outside). */
    private static void marker(Graphics2D g, double x, double y, Color colour, boolean inside) {
        if (inside) {
            Plot.dot(g, x, y, POINT_RADIUS, colour);
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
}
