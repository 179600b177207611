package org.sharpsweep.analysis;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;

/**
 * A vertical colour bar right of a plot, as high as the plot: viridis from the scale's bottom
 * (dark) to its top (light), a tick mark and label at each of the scale's ticks, and the title
 * turned a quarter beside the labels, with " (log scale)" on a log scale. {@link #colour} is the
 * colour of a value, so what the plot shows and what the bar says agree.
 *
 * @param title      the title when the bar is high enough for it
 * @param shortTitle the title when it is not (e.g. the column name instead of its words)
 */
record ColourBar(Scale scale, String title, String shortTitle) {
    /** Space between the plot and the bar. */
    static final int GAP = 22;
    static final int WIDTH = 20;
    /** Gap between the bar and its labels, and between the labels and the title. */
    private static final int LABEL_AT = 7;
    private static final int TITLE_GAP = 10;
    /** The smallest the title's font shrinks to while it is longer than the bar. */
    private static final float MIN_TITLE = 8f;

    ColourBar {
        String scaleNote = scale.log() ? " (log scale)" : "";
        title += scaleNote;
        shortTitle += scaleNote;
    }

    /** The colour of value v: viridis at its fraction of the scale. */
    Color colour(double v) {
        return Colours.viridis(scale.fraction(v));
    }

    /** The margin the bar, its labels and its title take right of the plot, with the canvas's pad. */
    int margin() {
        return GAP + WIDTH + LABEL_AT + scale.labelWidth() + TITLE_GAP + Text.lineHeight(Text.AXIS) + Figure.PAD;
    }

    /** Paints the bar beside {@code plot}. */
    void paint(Graphics2D g, Box plot) {
        Box bar = new Box(plot.x() + plot.width() + GAP, plot.y(), WIDTH, plot.height());
        int steps = Math.max(1, bar.height());
        for (int i = 0; i < steps; i++) {
            double t = scale.hi() > scale.lo() ? 1 - (i + 0.5) / steps : 0.5;
            g.setColor(Colours.viridis(t));
            g.fill(new Rectangle2D.Double(bar.x(), bar.y() + i, bar.width(), 1.5));
        }
        g.setColor(Colours.MUTED);
        g.setStroke(new BasicStroke(1f));
        g.draw(new Rectangle2D.Double(bar.x() - 0.5, bar.y() - 0.5, bar.width() + 1, bar.height() + 1));
        g.setFont(Text.TICK);
        g.setColor(Colours.TEXT);
        double right = bar.x() + bar.width();
        for (double t : scale.ticks()) {
            double y = bar.y() + bar.height() * (1 - scale.fraction(t));
            g.draw(new Line2D.Double(right, y, right + 5, y));
            Text.left(g, scale.label(t), right + LABEL_AT, y);
        }
        String t = Text.width(Text.AXIS, title) > bar.height() ? shortTitle : title;
        Font font = Text.AXIS;
        while (Text.width(font, t) > bar.height() && font.getSize2D() > MIN_TITLE) font = font.deriveFont(font.getSize2D() - 0.5f);
        g.setFont(font);
        Text.vertical(g, t, right + LABEL_AT + scale.labelWidth() + TITLE_GAP + Text.lineHeight(Text.AXIS) / 2.0, bar.centreY());
    }
}
