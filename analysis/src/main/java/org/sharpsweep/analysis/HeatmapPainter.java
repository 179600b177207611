package org.sharpsweep.analysis;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import org.sharpsweep.analysis.HeatmapResult.Cell;
import org.sharpsweep.analysis.HeatmapResult.State;

/**
 * Lays out and paints a heatmap: titles on top, the cell grid with its axes, the colour bar
 * on the right, a legend of the cell marks below. The layout is fixed before painting, so
 * the cells' boxes in the {@link HeatmapResult} are where the pixels are.
 */
final class HeatmapPainter implements Figure {
    private static final int PAD = 16;
    private static final int BAR_GAP = 22;
    private static final int BAR_WIDTH = 20;
    private static final int HATCH_SPACING = 9;
    /** Smallest cell text that is still readable; smaller cells carry no text. */
    private static final float MIN_TEXT = 8f;
    private static final float MAX_TEXT = 16f;
    /**
     * Positive values spanning at least this ratio get a logarithmic colour scale: sharpness
     * near 2/lr over a log-spaced lr grid spans decades, and a linear scale would paint all but
     * one column the same dark colour.
     */
    static final double LOG_COLOUR_RATIO = 20;

    private final Font titleFont = Text.bold(17f);
    private final Font subFont = Text.plain(12.5f);
    private final Font tickFont = Text.plain(13f);
    private final Font axisFont = Text.bold(13.5f);
    private final Font legendFont = Text.plain(12f);

    private final int width;
    private final int height;
    private final List<String> titleLines;
    private final List<String> subLines;
    private final List<Cell> cells;
    private final int nx;
    private final int ny;
    private final List<String> xLabels;
    private final List<String> yLabels;
    private final String xTitle;
    private final String yTitle;
    private final String barTitle;
    /** The colour bar's title when the full one is longer than the bar: the column name. */
    private final String barShortTitle;
    private final double min;
    private final double max;
    private final boolean logColour;
    private final List<Double> barTicks;
    private final double barStep;
    private final boolean rotateX;
    private final Box grid;
    private final Box bar;
    private final Font cellFont;
    private final List<List<State>> legendRows;
    private final int legendTop;

    private HeatmapPainter(int width, int height, String title, String subtitle, List<Object> xs, List<Object> ys,
                           List<String> xLabels, List<String> yLabels, String xTitle, String yTitle, String barTitle,
                           String barShortTitle,
                           Map<List<Object>, Heatmap.CellStats> byCell, double min, double max) {
        this.width = width;
        this.height = height;
        this.nx = xs.size();
        this.ny = ys.size();
        this.xLabels = xLabels;
        this.yLabels = yLabels;
        this.xTitle = xTitle;
        this.yTitle = yTitle;
        String scale = min > 0 && max / min >= LOG_COLOUR_RATIO ? " (log scale)" : "";
        this.barTitle = barTitle + scale;
        this.barShortTitle = barShortTitle + scale;
        this.min = min;
        this.max = max;
        this.logColour = min > 0 && max / min >= LOG_COLOUR_RATIO;
        this.titleLines = Text.wrap(titleFont, title, width - 2 * PAD);
        this.subLines = Text.wrap(subFont, subtitle, width - 2 * PAD);

        barStep = max > min ? Format.niceStep(max - min, 5) : 1;
        barTicks = new ArrayList<>();
        if (logColour) {
            barTicks.addAll(Format.logTicks(min, max));
        } else if (max > min) {
            for (double t = Math.ceil(min / barStep - 1e-9) * barStep; t <= max + barStep * 1e-9; t += barStep) barTicks.add(t);
        } else {
            barTicks.add(min);
        }

        int top = PAD + titleLines.size() * lineHeight(titleFont) + 4 + subLines.size() * lineHeight(subFont) + 14;
        int yLabelW = yLabels.stream().mapToInt(s -> Text.width(tickFont, s)).max().orElse(0);
        int left = PAD + lineHeight(axisFont) + 10 + yLabelW + 8;
        int barLabelW = barTicks.stream().mapToInt(t -> Text.width(tickFont, barLabel(t))).max().orElse(0);
        int right = BAR_GAP + BAR_WIDTH + 6 + barLabelW + 10 + lineHeight(axisFont) + PAD;
        int cw = (width - left - right) / nx;

        int xLabelW = xLabels.stream().mapToInt(s -> Text.width(tickFont, s)).max().orElse(0);
        rotateX = xLabelW + 10 > cw;
        int xLabelsH = rotateX ? (int) Math.ceil(xLabelW * Math.sqrt(0.5) + metrics(tickFont).getAscent()) + 4
                : lineHeight(tickFont);

        // legend entries present in the picture
        EnumSet<State> present = EnumSet.noneOf(State.class);
        boolean partial = false;
        for (Heatmap.CellStats r : byCell.values()) {
            State s = r.state();
            present.add(s);
            if (s == State.VALUE && (r.diverged() > 0 || r.failed() > 0)) partial = true;
        }
        if (byCell.size() < nx * ny) present.add(State.MISSING);
        present.remove(State.VALUE);
        List<State> legend = new ArrayList<>(present);
        if (partial) legend.add(0, State.VALUE);
        legendRows = layoutLegend(legend);
        int legendH = legendRows.isEmpty() ? 0 : 12 + legendRows.size() * 22;

        int bottom = 8 + xLabelsH + 8 + lineHeight(axisFont) + legendH + PAD;
        int ch = (height - top - bottom) / ny;
        if (cw < 4 || ch < 4) {
            throw new IllegalArgumentException("a " + width + "x" + height + " image cannot hold " + nx + " x " + ny
                    + " cells; give a larger width/height");
        }
        grid = new Box(left, top, cw * nx, ch * ny);
        bar = new Box(grid.x() + grid.width() + BAR_GAP, grid.y(), BAR_WIDTH, grid.height());
        legendTop = grid.y() + grid.height() + 8 + xLabelsH + 8 + lineHeight(axisFont) + 12;

        List<Cell> out = new ArrayList<>();
        List<String> primary = new ArrayList<>();
        for (int iy = 0; iy < ny; iy++) {
            for (int ix = 0; ix < nx; ix++) {
                Heatmap.CellStats r = byCell.get(Heatmap.key(xs.get(ix), ys.get(iy)));
                Box b = new Box(grid.x() + ix * cw, grid.y() + (ny - 1 - iy) * ch, cw, ch);
                State s = r == null ? State.MISSING : r.state();
                int ok = r == null ? 0 : (int) r.ok();
                int div = r == null ? 0 : (int) r.diverged();
                int fail = r == null ? 0 : (int) r.failed();
                Double value = s == State.VALUE ? r.value() : null;
                Color fill = switch (s) {
                    case VALUE -> colour(value);
                    case DIVERGED -> Colours.DIVERGED_FILL;
                    case FAILED -> Colours.FAILED_FILL;
                    case NO_VALUE, MISSING -> Color.WHITE;
                };
                String text = switch (s) {
                    case VALUE -> Format.cell(value) + note(div, fail);
                    case DIVERGED -> "diverged" + (fail > 0 ? "\n+" + fail + " fail" : "");
                    case FAILED -> "failed";
                    case NO_VALUE -> "n/a";
                    case MISSING -> "";
                };
                primary.add(text.split("\n")[0]);
                out.add(new Cell(ix, iy, xs.get(ix), ys.get(iy), s, value, ok, div, fail, fill, b, text));
            }
        }
        cellFont = cellFont(primary, cw, ch);
        if (cellFont == null) {
            List<Cell> bare = new ArrayList<>();
            for (Cell c : out) {
                bare.add(new Cell(c.ix(), c.iy(), c.xValue(), c.yValue(), c.state(), c.value(), c.ok(), c.diverged(),
                        c.failed(), c.fill(), c.box(), ""));
            }
            out = bare;
        }
        cells = List.copyOf(out);
    }

    /** Lays out, writes every path in {@code outs} and returns what was drawn. */
    static HeatmapResult draw(HeatmapOptions o, List<Path> outs, List<Object> xs, List<Object> ys, Map<List<Object>, Heatmap.CellStats> byCell,
                              List<String> aggregated, List<String> sweeps, Map<String, Object> constants) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Heatmap.CellStats r : byCell.values()) {
            if (r.state() == State.VALUE) {
                min = Math.min(min, r.value());
                max = Math.max(max, r.value());
            }
        }
        if (min > max) {
            min = 0;
            max = 1;
        }
        boolean xLog = Format.isLogSpaced(xs);
        boolean yLog = o.y() != null && Format.isLogSpaced(ys);
        List<String> xLabels = Format.axisLabels(xs, xLog);
        List<String> yLabels = o.y() == null ? List.of("all") : Format.axisLabels(ys, yLog);

        String over = aggregated.isEmpty() ? "one point per cell"
                : o.agg().word() + " over " + String.join(", ", aggregated.stream().map(Labels::aggregated).toList());
        String title = Labels.metric(o.metric()) + " — " + over + (o.where() == null ? "" : " | where " + o.where());

        int n = 0, ok = 0, div = 0, fail = 0;
        for (Heatmap.CellStats r : byCell.values()) {
            n += (int) r.n();
            ok += (int) r.ok();
            div += (int) r.diverged();
            fail += (int) r.failed();
        }
        List<String> sub = new ArrayList<>();
        sub.add((sweeps.size() == 1 ? "sweep " : "sweeps ") + String.join(", ", sweeps));
        String fixed = Query.fixedSettings(constants);
        if (!fixed.isEmpty()) sub.add(fixed);
        sub.add(n + " points: " + ok + " OK, " + div + " diverged, " + fail + " failed");
        String subtitle = String.join(" · ", sub);

        String xTitle = Labels.axis(o.x()) + (xLog ? " (log-spaced)" : "");
        String yTitle = o.y() == null ? "" : Labels.axis(o.y()) + (yLog ? " (log-spaced)" : "");
        String barTitle = Labels.metric(o.metric()) + (aggregated.isEmpty() ? "" : ", " + o.agg().word());
        String barShortTitle = o.metric() + (aggregated.isEmpty() ? "" : ", " + o.agg().word());

        HeatmapPainter p = new HeatmapPainter(o.width(), o.height(), title, subtitle, xs, ys, xLabels, yLabels,
                xTitle, yTitle, barTitle, barShortTitle, byCell, min, max);
        for (Path out : outs) Figure.write(p, out);
        return new HeatmapResult(outs.get(0), o.width(), o.height(), title, subtitle, o.metric(), o.x(), o.y(), o.agg(),
                aggregated, xs, ys, xLabels, yLabels, xLog, yLog, min, max, p.logColour, p.cells);
    }

    private static String note(int div, int fail) {
        List<String> parts = new ArrayList<>();
        if (div > 0) parts.add("+" + div + " div");
        if (fail > 0) parts.add("+" + fail + " fail");
        return parts.isEmpty() ? "" : "\n" + String.join(" ", parts);
    }

    private Color colour(double v) {
        return Colours.viridis(position(v));
    }

    /** Where v sits on the colour scale, 0 at its bottom and 1 at its top. */
    private double position(double v) {
        if (!(max > min)) return 0.5;
        if (logColour) return Math.log(v / min) / Math.log(max / min);
        return (v - min) / (max - min);
    }

    private String barLabel(double t) {
        if (logColour) return Format.number(t, 3);
        return max > min ? Format.tick(t, barStep) : Format.cell(t);
    }

    private static FontMetrics metrics(Font f) {
        return Text.metrics(f);
    }

    private static int lineHeight(Font f) {
        return metrics(f).getHeight();
    }

    /** The largest font up to {@link #MAX_TEXT} in which every cell's first line fits its cell, or null. */
    private static Font cellFont(List<String> texts, int cw, int ch) {
        float size = Math.min(MAX_TEXT, ch * 0.28f);
        while (size >= MIN_TEXT) {
            Font f = Text.bold(size);
            int widest = texts.stream().mapToInt(s -> Text.width(f, s)).max().orElse(0);
            if (widest <= cw - 10) return f;
            size -= 0.5f;
        }
        return null;
    }

    private List<List<State>> layoutLegend(List<State> items) {
        List<List<State>> rows = new ArrayList<>();
        List<State> row = new ArrayList<>();
        int x = 0;
        for (State s : items) {
            int w = 30 + Text.width(legendFont, legendText(s)) + 24;
            if (!row.isEmpty() && x + w > width - 2 * PAD) {
                rows.add(row);
                row = new ArrayList<>();
                x = 0;
            }
            row.add(s);
            x += w;
        }
        if (!row.isEmpty()) rows.add(row);
        return rows;
    }

    private static String legendText(State s) {
        return switch (s) {
            case VALUE -> "some points diverged (red corner) or failed (grey): value over the OK ones";
            case DIVERGED -> "every point diverged";
            case FAILED -> "every point failed";
            case NO_VALUE -> "n/a: metric not computed";
            case MISSING -> "no grid point";
        };
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
        for (Cell c : cells) paintCell(g, c);
        paintGridLines(g);
        for (Cell c : cells) paintCellText(g, c);
        paintAxes(g);
        paintBar(g);
        paintLegend(g);
    }

    private void paintTitles(Graphics2D g) {
        g.setColor(Colours.TEXT);
        g.setFont(titleFont);
        int y = PAD + metrics(titleFont).getAscent();
        for (String line : titleLines) {
            g.drawString(line, PAD, y);
            y += lineHeight(titleFont);
        }
        y += 4 - lineHeight(titleFont) + lineHeight(subFont);
        g.setColor(Colours.MUTED);
        g.setFont(subFont);
        for (String line : subLines) {
            g.drawString(line, PAD, y);
            y += lineHeight(subFont);
        }
    }

    private void paintCell(Graphics2D g, Cell c) {
        Box b = c.box();
        Rectangle2D r = new Rectangle2D.Double(b.x(), b.y(), b.width(), b.height());
        g.setColor(c.fill());
        g.fill(r);
        switch (c.state()) {
            case DIVERGED -> hatch(g, r, Colours.DIVERGED_HATCH, false);
            case FAILED -> hatch(g, r, Colours.FAILED_HATCH, true);
            case MISSING, NO_VALUE -> {
                g.setColor(Colours.GRID_LINE);
                g.setStroke(new BasicStroke(1f));
                g.draw(new Rectangle2D.Double(b.x() + 1.5, b.y() + 1.5, b.width() - 3, b.height() - 3));
            }
            case VALUE -> {
                if (c.diverged() > 0 || c.failed() > 0) {
                    g.setColor(c.diverged() > 0 ? Colours.DIVERGED_HATCH : Colours.FAILED_HATCH);
                    g.fill(corner(b));
                }
            }
        }
    }

    /** The mark of a cell some of whose points did not finish OK: a triangle in its top right corner. */
    static Shape corner(Box b) {
        double leg = Math.max(8, Math.min(16, Math.min(b.width(), b.height()) * 0.18));
        Path2D t = new Path2D.Double();
        t.moveTo(b.x() + b.width() - leg, b.y());
        t.lineTo(b.x() + b.width(), b.y());
        t.lineTo(b.x() + b.width(), b.y() + leg);
        t.closePath();
        return t;
    }

    private static void hatch(Graphics2D g, Rectangle2D r, Color colour, boolean cross) {
        Shape saved = g.getClip();
        g.clip(r);
        g.setColor(colour);
        g.setStroke(new BasicStroke(1.6f));
        for (double d = -r.getHeight(); d < r.getWidth() + HATCH_SPACING; d += HATCH_SPACING) {
            g.draw(new Line2D.Double(r.getX() + d, r.getMaxY(), r.getX() + d + r.getHeight(), r.getY()));
            if (cross) g.draw(new Line2D.Double(r.getX() + d, r.getY(), r.getX() + d + r.getHeight(), r.getMaxY()));
        }
        g.setClip(saved);
    }

    private void paintGridLines(Graphics2D g) {
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke(2f));
        int cw = grid.width() / nx;
        int ch = grid.height() / ny;
        for (int i = 1; i < nx; i++) g.draw(new Line2D.Double(grid.x() + i * cw, grid.y(), grid.x() + i * cw, grid.y() + grid.height()));
        for (int j = 1; j < ny; j++) g.draw(new Line2D.Double(grid.x(), grid.y() + j * ch, grid.x() + grid.width(), grid.y() + j * ch));
        g.setColor(Colours.MUTED);
        g.setStroke(new BasicStroke(1f));
        g.draw(new Rectangle2D.Double(grid.x() - 0.5, grid.y() - 0.5, grid.width() + 1, grid.height() + 1));
    }

    private void paintCellText(Graphics2D g, Cell c) {
        if (c.text().isEmpty() || cellFont == null) return;
        Box b = c.box();
        String[] lines = c.text().split("\n");
        Font small = cellFont.deriveFont(Font.PLAIN, Math.max(MIN_TEXT, cellFont.getSize2D() * 0.72f));
        boolean second = lines.length > 1 && lineHeight(cellFont) + lineHeight(small) < b.height() - 4
                && Text.width(small, lines[1]) <= b.width() - 8;
        double cy = b.y() + b.height() / 2.0 - (second ? lineHeight(small) / 2.0 : 0);
        Color ink = switch (c.state()) {
            case VALUE -> Colours.textOn(c.fill());
            case DIVERGED -> Colours.DIVERGED_HATCH;
            case FAILED -> Colours.FAILED_HATCH;
            default -> Colours.MUTED;
        };
        if (c.state() == State.DIVERGED || c.state() == State.FAILED) {
            int w = Text.width(cellFont, lines[0]) + 8;
            int h = lineHeight(cellFont);
            g.setColor(c.fill());
            g.fill(new Rectangle2D.Double(b.centreX() - w / 2.0, cy - h / 2.0, w, h));
        }
        g.setColor(ink);
        g.setFont(cellFont);
        Text.centred(g, lines[0], b.x() + b.width() / 2.0, cy);
        if (second) {
            g.setFont(small);
            Text.centred(g, lines[1], b.x() + b.width() / 2.0, cy + (lineHeight(cellFont) + lineHeight(small)) / 2.0);
        }
    }

    private void paintAxes(Graphics2D g) {
        g.setColor(Colours.TEXT);
        g.setFont(tickFont);
        int cw = grid.width() / nx;
        int ch = grid.height() / ny;
        FontMetrics fm = metrics(tickFont);
        int labelTop = grid.y() + grid.height() + 8;
        for (int i = 0; i < nx; i++) {
            double cx = grid.x() + (i + 0.5) * cw;
            if (rotateX) {
                double w = fm.stringWidth(xLabels.get(i));
                double d = w * Math.sqrt(0.5);
                Text.rotated(g, xLabels.get(i), cx - d, labelTop + fm.getAscent() + d, -Math.PI / 4);
            } else {
                Text.centred(g, xLabels.get(i), cx, labelTop + fm.getHeight() / 2.0);
            }
        }
        for (int j = 0; j < ny; j++) {
            double cy = grid.y() + (ny - 1 - j + 0.5) * ch;
            Text.right(g, yLabels.get(j), grid.x() - 8, cy);
        }
        g.setFont(axisFont);
        int xTitleY = legendTop - 12 - lineHeight(axisFont) / 2;
        Text.centred(g, xTitle, grid.x() + grid.width() / 2.0, xTitleY);
        if (!yTitle.isEmpty()) Text.vertical(g, yTitle, PAD + lineHeight(axisFont) / 2.0, grid.y() + grid.height() / 2.0);
    }

    private void paintBar(Graphics2D g) {
        int steps = Math.max(1, bar.height());
        for (int i = 0; i < steps; i++) {
            double t = max > min ? 1 - (i + 0.5) / steps : 0.5;
            g.setColor(Colours.viridis(t));
            g.fill(new Rectangle2D.Double(bar.x(), bar.y() + i, bar.width(), 1.5));
        }
        g.setColor(Colours.MUTED);
        g.setStroke(new BasicStroke(1f));
        g.draw(new Rectangle2D.Double(bar.x() - 0.5, bar.y() - 0.5, bar.width() + 1, bar.height() + 1));
        g.setFont(tickFont);
        g.setColor(Colours.TEXT);
        int labelRight = 0;
        for (double t : barTicks) {
            double y = bar.y() + bar.height() * (1 - position(t));
            g.draw(new Line2D.Double(bar.x() + bar.width(), y, bar.x() + bar.width() + 5, y));
            String s = barLabel(t);
            Text.left(g, s, bar.x() + bar.width() + 7, y);
            labelRight = Math.max(labelRight, Text.width(tickFont, s));
        }
        g.setFont(axisFont);
        String t = barTitle;
        if (Text.width(axisFont, t) > bar.height()) t = barShortTitle;
        float size = axisFont.getSize2D();
        while (Text.width(axisFont.deriveFont(size), t) > bar.height() && size > MIN_TEXT) size -= 0.5f;
        g.setFont(axisFont.deriveFont(size));
        Text.vertical(g, t, bar.x() + bar.width() + 7 + labelRight + 10 + lineHeight(axisFont) / 2.0, bar.centreY());
    }

    private void paintLegend(Graphics2D g) {
        int y = legendTop;
        g.setFont(legendFont);
        for (List<State> row : legendRows) {
            int x = PAD;
            for (State s : row) {
                Box sw = new Box(x, y, 24, 15);
                Rectangle2D r = new Rectangle2D.Double(sw.x(), sw.y(), sw.width(), sw.height());
                switch (s) {
                    case DIVERGED -> {
                        g.setColor(Colours.DIVERGED_FILL);
                        g.fill(r);
                        hatch(g, r, Colours.DIVERGED_HATCH, false);
                    }
                    case FAILED -> {
                        g.setColor(Colours.FAILED_FILL);
                        g.fill(r);
                        hatch(g, r, Colours.FAILED_HATCH, true);
                    }
                    case VALUE -> {
                        g.setColor(Colours.viridis(0.5));
                        g.fill(r);
                        g.setColor(Colours.DIVERGED_HATCH);
                        g.fill(corner(sw));
                    }
                    default -> {
                        g.setColor(Color.WHITE);
                        g.fill(r);
                    }
                }
                g.setColor(Colours.MUTED);
                g.setStroke(new BasicStroke(1f));
                g.draw(r);
                g.setColor(Colours.TEXT);
                Text.left(g, legendText(s), x + 30, y + 7.5);
                x += 30 + Text.width(legendFont, legendText(s)) + 24;
            }
            y += 22;
        }
    }
}
