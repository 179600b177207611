package org.sharpsweep.analysis;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.List;

/**
 * Horizontal bars on a fixed [-1, 1] axis: per measure, its tau-b over all points and its
 * granulated Psi. A NaN coefficient has no bar and is written as "undefined".
 */
final class CorrelationPainter {
    private static final int WIDTH = 820;
    private static final int ROW = 46;
    private static final int BAR = 16;
    /** How far the value axis's lines reach above the first row. */
    private static final int OVERHANG = 6;
    /** From the last row down to the middle of the value labels, and to the top of the legend. */
    private static final int LABELS_AT = 14;
    private static final int LEGEND_AT = 28;
    private static final Color TAU = Colours.category(0, 2);
    private static final Color PSI = Colours.category(1, 2);
    /** The coefficient written at a bar's end. */
    private static final Font VALUE = Text.plain(11.5f);

    private final Correlate.Result result;
    private final Titles titles;
    private final Legend legend;
    private final int labelW;
    private final int top;

    CorrelationPainter(Correlate.Result result) {
        this.result = result;
        String axes = result.axes().isEmpty() ? "no grid axes" : "axes " + String.join(", ", result.axes());
        this.titles = Titles.wrap("Which measure predicts " + result.target() + "?",
                "Kendall tau-b over all OK points and granulated Psi (mean of psi_i over " + axes + "), Jiang et al. 2019", WIDTH);
        this.legend = new Legend(List.of(Legend.entry("tau (all points)", patch(TAU)), Legend.entry("Psi (granulated)", patch(PSI))));
        this.labelW = 24 + result.lines().stream().mapToInt(l -> Text.width(Text.TICK, l.measure())).max().orElse(0);
        this.top = titles.below() + OVERHANG;
    }

    Figure figure() {
        int legendTop = top + result.lines().size() * ROW + LEGEND_AT;
        return new Figure(WIDTH, legendTop + legend.rowsHeight(legendWidth()) + OVERHANG, this::paint);
    }

    private int legendWidth() {
        return WIDTH - 2 * Figure.PAD - labelW;
    }

    private static Legend.Swatch patch(Color c) {
        return (g, slot) -> {
            g.setColor(c);
            g.fill(new Rectangle2D.Double(slot.x(), slot.y(), slot.width(), slot.height()));
        };
    }

    private void paint(Graphics2D g) {
        titles.paint(g);
        double x0 = Figure.PAD + labelW, x1 = WIDTH - Figure.PAD - 70;
        double zero = (x0 + x1) / 2;
        double bottom = top + result.lines().size() * ROW;
        g.setStroke(new BasicStroke(1f));
        g.setFont(Text.TICK);
        for (double t = -1; t <= 1.0001; t += 0.5) {
            double x = zero + t * (x1 - x0) / 2;
            g.setColor(t == 0 ? Colours.TEXT : Colours.GRID_LINE);
            g.draw(new Line2D.Double(x, top - OVERHANG, x, bottom));
            g.setColor(Colours.MUTED);
            Text.centred(g, Format.number(t, 2), x, bottom + LABELS_AT);
        }
        for (int i = 0; i < result.lines().size(); i++) {
            Correlate.Line l = result.lines().get(i);
            double y = top + i * ROW;
            g.setColor(Colours.TEXT);
            g.setFont(Text.TICK);
            Text.right(g, l.measure(), x0 - 10, y + ROW / 2.0);
            bar(g, l.result().tau(), zero, (x1 - x0) / 2, y + 6, TAU);
            bar(g, l.result().psiMean(), zero, (x1 - x0) / 2, y + 6 + BAR, PSI);
        }
        legend.paintRows(g, (int) x0, (int) bottom + LEGEND_AT, legendWidth());
    }

    private static void bar(Graphics2D g, double v, double zero, double half, double y, Color c) {
        g.setFont(VALUE);
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
}
