package org.sharpsweep.analysis;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;

/**
 * A plotting area: its box on the canvas and the scales of its two axes. It maps values to
 * pixels and paints the frame around what is plotted: a light grid line at every tick, the left
 * and bottom axis lines with their tick marks and labels, and the axis titles. What is plotted
 * inside is the painter's.
 *
 * <p>Layout, left to right: {@link Figure#PAD}, the vertical y title, the y tick labels, the
 * plot; below the plot: the x tick labels, the x title, the pad. {@link #left} and {@link #below}
 * give those margins, so a painter sizes its box before it has one.
 */
record Plot(Box box, Scale x, Scale y) {
    /** Length of a tick mark outside the axis line. */
    private static final int TICK_MARK = 5;
    /** Gap between the axis line and its tick labels. */
    static final int LABEL_GAP = 8;
    /** Gap between the x tick labels and the x title. */
    private static final int X_TITLE_GAP = 8;
    /** Gap between the vertical y title and the y tick labels. */
    private static final int Y_TITLE_GAP = 10;

    /** The margin left of a plot whose widest y tick label is {@code yLabelWidth}. */
    static int left(int yLabelWidth) {
        return Figure.PAD + Text.lineHeight(Text.AXIS) + Y_TITLE_GAP + yLabelWidth + LABEL_GAP;
    }

    /** The margin below a plot with one line of x tick labels. */
    static int below() {
        return below(Text.lineHeight(Text.TICK));
    }

    /** The margin below a plot whose x labels are {@code xLabelsHeight} high (turned labels are higher). */
    static int below(int xLabelsHeight) {
        return underneath(xLabelsHeight) + Figure.PAD;
    }

    /** The height of the x labels and the x title under a plot, without the pad (something else may follow). */
    static int underneath(int xLabelsHeight) {
        return LABEL_GAP + xLabelsHeight + X_TITLE_GAP + Text.lineHeight(Text.AXIS);
    }

    /** The pixel column of an x value. */
    double px(double v) {
        return box.x() + box.width() * x.fraction(v);
    }

    /** The pixel row of a y value. */
    double py(double v) {
        return box.y() + box.height() * (1 - y.fraction(v));
    }

    int bottom() {
        return box.y() + box.height();
    }

    int right() {
        return box.x() + box.width();
    }

    /** A light line across the plot at every tick of both axes. */
    void grid(Graphics2D g) {
        g.setStroke(new BasicStroke(1f));
        g.setColor(Colours.PLOT_GRID);
        for (double t : x.ticks()) g.draw(new Line2D.Double(px(t), box.y(), px(t), bottom()));
        for (double t : y.ticks()) g.draw(new Line2D.Double(box.x(), py(t), right(), py(t)));
    }

    /**
     * The left and bottom axis lines, a tick mark at every tick and the tick labels; the x labels
     * only when {@code xLabels} (a panel above another on the same x axis has none).
     */
    void axes(Graphics2D g, boolean xLabels) {
        g.setColor(Colours.TEXT);
        g.setStroke(new BasicStroke(1.2f));
        g.setFont(Text.TICK);
        int base = bottom();
        g.draw(new Line2D.Double(box.x(), box.y(), box.x(), base));
        g.draw(new Line2D.Double(box.x(), base, right(), base));
        for (double t : x.ticks()) {
            g.draw(new Line2D.Double(px(t), base, px(t), base + TICK_MARK));
            if (xLabels) Text.centred(g, x.label(t), px(t), base + LABEL_GAP + Text.lineHeight(Text.TICK) / 2.0);
        }
        for (double t : y.ticks()) {
            g.draw(new Line2D.Double(box.x() - TICK_MARK, py(t), box.x(), py(t)));
            yLabel(g, y.label(t), box, py(t));
        }
    }

    /** The x axis's title, centred under its tick labels. */
    void xTitle(Graphics2D g, String s) {
        xTitle(g, s, box, Text.lineHeight(Text.TICK));
    }

    /** The y axis's title, turned a quarter anticlockwise, at the canvas's left pad beside the plot's middle. */
    void yTitle(Graphics2D g, String s) {
        yTitle(g, s, box.y() + box.height() / 2.0);
    }

    /** A y tick label (font set by the caller), right-aligned left of {@code box} with its middle on cy. */
    static void yLabel(Graphics2D g, String s, Box box, double cy) {
        Text.right(g, s, box.x() - LABEL_GAP, cy);
    }

    /** An x title centred under {@code above} and its x labels, {@code xLabelsHeight} high. */
    static void xTitle(Graphics2D g, String s, Box above, int xLabelsHeight) {
        g.setColor(Colours.TEXT);
        g.setFont(Text.AXIS);
        double cy = above.y() + above.height() + LABEL_GAP + xLabelsHeight + X_TITLE_GAP + Text.lineHeight(Text.AXIS) / 2.0;
        Text.centred(g, s, above.x() + above.width() / 2.0, cy);
    }

    /** A y title, turned a quarter anticlockwise, at the canvas's left pad, centred on row cy. */
    static void yTitle(Graphics2D g, String s, double cy) {
        g.setColor(Colours.TEXT);
        g.setFont(Text.AXIS);
        Text.vertical(g, s, Figure.PAD + Text.lineHeight(Text.AXIS) / 2.0, cy);
    }

    /** A notice across the middle of an empty plot, in muted grey. */
    void notice(Graphics2D g, String s) {
        g.setFont(Text.AXIS);
        g.setColor(Colours.MUTED);
        Text.centred(g, s, box.centreX(), box.centreY());
    }

    /**
     * Clips drawing to the plot, one pixel wider on each side so a line on the frame stays whole,
     * and returns the clip to restore.
     */
    Shape clip(Graphics2D g) {
        Shape saved = g.getClip();
        g.clip(new Rectangle2D.Double(box.x(), box.y() - 1, box.width() + 1, box.height() + 2));
        return saved;
    }

    /** A polyline through the points (x[i], y[i]) in pixels, with round caps and joins. */
    static void line(Graphics2D g, double[] x, double[] y, Color c, float width) {
        Path2D.Double path = new Path2D.Double();
        for (int i = 0; i < x.length; i++) {
            if (i == 0) path.moveTo(x[i], y[i]);
            else path.lineTo(x[i], y[i]);
        }
        g.setColor(c);
        g.setStroke(new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(path);
    }

    /** A filled dot of radius r centred on (x, y), with a white rim that keeps it apart from what is under it. */
    static void dot(Graphics2D g, double x, double y, double r, Color c) {
        Ellipse2D dot = new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r);
        g.setColor(c);
        g.fill(dot);
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke(1f));
        g.draw(dot);
    }

    /** A stroke with butt caps and the dash pattern {@code dash} (on, off, ... in pixels; null: solid). */
    static BasicStroke dashed(float width, float[] dash) {
        return new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, dash, 0f);
    }
}
