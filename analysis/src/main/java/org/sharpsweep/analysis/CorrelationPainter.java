package org.sharpsweep.analysis;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;

/**
 * Horizontal bars on a fixed [-1, 1] axis: per measure, its tau-b over all points and its
 * granulated Psi. A NaN coefficient has no bar and is written as "undefined".
 */
final class CorrelationPainter implements Figure {
    private static final int PAD = 16;
    private static final int ROW = 46;
    private static final int BAR = 16;
    private static final Color TAU = Colours.category(0, 2);
    private static final Color PSI = Colours.category(1, 2);

    private final Font titleFont = Text.bold(17f);
    private final Font subFont = Text.plain(12.5f);
    private final Font labelFont = Text.plain(13f);

    private final Correlate.Result result;
    private final int width = 820;
    private final int labelW;
    private final int top = 84;

    CorrelationPainter(Correlate.Result result) {
        this.result = result;
        this.labelW = 24 + result.lines().stream().mapToInt(l -> Text.width(labelFont, l.measure())).max().orElse(0);
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int height() {
        return top + result.lines().size() * ROW + 56;
    }

    @Override
    public void paint(Graphics2D g) {
        g.setColor(Colours.TEXT);
        g.setFont(titleFont);
        Text.left(g, "Which measure predicts " + result.target() + "?", PAD, PAD + 10);
        g.setFont(subFont);
        g.setColor(Colours.MUTED);
        String axes = result.axes().isEmpty() ? "no grid axes" : "axes " + String.join(", ", result.axes());
        Text.left(g, "Kendall tau-b over all OK points and granulated Psi (mean of psi_i over " + axes + "), Jiang et al. 2019",
                PAD, PAD + 34);
        double x0 = PAD + labelW, x1 = width - PAD - 70;
        double zero = (x0 + x1) / 2;
        double bottom = top + result.lines().size() * ROW;
        g.setStroke(new BasicStroke(1f));
        for (double t = -1; t <= 1.0001; t += 0.5) {
            double x = zero + t * (x1 - x0) / 2;
            g.setColor(t == 0 ? Colours.TEXT : Colours.GRID_LINE);
            g.draw(new Line2D.Double(x, top - 6, x, bottom));
            g.setColor(Colours.MUTED);
            g.setFont(labelFont);
            Text.centred(g, Format.number(t, 2), x, bottom + 14);
        }
        for (int i = 0; i < result.lines().size(); i++) {
            Correlate.Line l = result.lines().get(i);
            double y = top + i * ROW;
            g.setColor(Colours.TEXT);
            g.setFont(labelFont);
            Text.right(g, l.measure(), x0 - 10, y + ROW / 2.0);
            bar(g, l.result().tau(), zero, (x1 - x0) / 2, y + 6, TAU);
            bar(g, l.result().psiMean(), zero, (x1 - x0) / 2, y + 6 + BAR, PSI);
        }
        double ly = bottom + 36;
        legend(g, TAU, "tau (all points)", PAD + labelW, ly);
        legend(g, PSI, "Psi (granulated)", PAD + labelW + 170, ly);
    }

    private void bar(Graphics2D g, double v, double zero, double half, double y, Color c) {
        g.setFont(Text.plain(11.5f));
        if (Double.isNaN(v)) {
            g.setColor(Colours.MUTED);
            Text.left(g, "undefined", zero + 4, y + BAR / 2.0);
            return;
        }
        double len = v * half;
        g.setColor(c);
        g.fill(new Rectangle2D.Double(Math.min(zero, zero + len), y, Math.abs(len), BAR - 2));
        g.setColor(Colours.TEXT);
        String s = Format.number(v, 3);
        if (v >= 0) Text.left(g, s, zero + len + 4, y + BAR / 2.0);
        else Text.right(g, s, zero + len - 4, y + BAR / 2.0);
    }

    private void legend(Graphics2D g, Color c, String text, double x, double y) {
        g.setColor(c);
        g.fill(new Rectangle2D.Double(x, y - 6, 14, 12));
        g.setColor(Colours.TEXT);
        g.setFont(labelFont);
        Text.left(g, text, x + 20, y);
    }
}
