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
final class HeatmapPainter {
    private static final int HATCH_SPACING = 9;
    /** Smallest cell text that is still readable; smaller cells carry no text. */
    private static final float MIN_TEXT = 8f;
    private static final float MAX_TEXT = 16f;
    /** Space between the x title and the legend below it. */
    private static final int LEGEND_GAP = 12;
    /**
     * Positive values spanning at least this ratio get a logarithmic colour scale: sharpness
     * near 2/lr over a log-spaced lr grid spans decades, and a linear scale would paint all but
     * one column the same dark colour.
     */
    static final double LOG_COLOUR_RATIO = 20;

    private final int width;
    private final int height;
    private final Titles titles;
    private final List<Cell> cells;
    private final int nx;
    private final int ny;
    private final List<String> xLabels;
    private final List<String> yLabels;
    private final String xTitle;
    private final String yTitle;
    private final ColourBar bar;
    private final boolean rotateX;
    private final int xLabelsHeight;
    private final Box grid;
    private final Font cellFont;
    private final Legend legend;

    private HeatmapPainter(int width, int height, Titles titles, List<Object> xs, List<Object> ys,
                           List<String> xLabels, List<String> yLabels, String xTitle, String yTitle, ColourBar bar,
                           Map<List<Object>, Heatmap.CellStats> byCell) {
        this.width = width;
        this.height = height;
        this.titles = titles;
        this.nx = xs.size();
        this.ny = ys.size();
        this.xLabels = xLabels;
        this.yLabels = yLabels;
        this.xTitle = xTitle;
        this.yTitle = yTitle;
        this.bar = bar;

        int top = titles.below();
        int left = Plot.left(yLabels.stream().mapToInt(s -> Text.width(Text.TICK, s)).max().orElse(0));
        int cw = (width - left - bar.margin()) / nx;

        int xLabelW = xLabels.stream().mapToInt(s -> Text.width(Text.TICK, s)).max().orElse(0);
        rotateX = xLabelW + 10 > cw;
        xLabelsHeight = rotateX ? (int) Math.ceil(xLabelW * Math.sqrt(0.5) + Text.metrics(Text.TICK).getAscent()) + 4
                : Text.lineHeight(Text.TICK);

        legend = new Legend(legendEntries(byCell, nx * ny));
        int legendH = legend.entries().isEmpty() ? 0 : LEGEND_GAP + legend.rowsHeight(width - 2 * Figure.PAD);
        int ch = (height - top - Plot.below(xLabelsHeight) - legendH) / ny;
        if (cw < 4 || ch < 4) {
            throw new IllegalArgumentException("a " + width + "x" + height + " image cannot hold " + nx + " x " + ny
                    + " cells; give a larger width/height");
        }
        grid = new Box(left, top, cw * nx, ch * ny);

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
                Color fill = s == State.VALUE ? bar.colour(value) : fill(s);
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

        boolean logColour = min > 0 && max / min >= LOG_COLOUR_RATIO;
        ColourBar bar = new ColourBar(logColour ? Scale.log(min, max) : Scale.linear(min, max, 5), barTitle, barShortTitle);

        HeatmapPainter p = new HeatmapPainter(o.width(), o.height(), Titles.wrap(title, subtitle, o.width()), xs, ys,
                xLabels, yLabels, xTitle, yTitle, bar, byCell);
        for (Path out : outs) Figure.write(new Figure(p.width, p.height, p::paint), out);
        return new HeatmapResult(outs.get(0), o.width(), o.height(), title, subtitle, o.metric(), o.x(), o.y(), o.agg(),
                aggregated, xs, ys, xLabels, yLabels, xLog, yLog, min, max, logColour, p.cells);
    }

    private static String note(int div, int fail) {
        List<String> parts = new ArrayList<>();
        if (div > 0) parts.add("+" + div + " div");
        if (fail > 0) parts.add("+" + fail + " fail");
        return parts.isEmpty() ? "" : "\n" + String.join(" ", parts);
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

    /** The legend: the marks present in the picture, a partly diverged or failed cell's corner first. */
    private static List<Legend.Entry> legendEntries(Map<List<Object>, Heatmap.CellStats> byCell, int cellCount) {
        EnumSet<State> present = EnumSet.noneOf(State.class);
        boolean partial = false;
        for (Heatmap.CellStats r : byCell.values()) {
            State s = r.state();
            present.add(s);
            if (s == State.VALUE && (r.diverged() > 0 || r.failed() > 0)) partial = true;
        }
        if (byCell.size() < cellCount) present.add(State.MISSING);
        present.remove(State.VALUE);
        List<State> shown = new ArrayList<>(present);
        if (partial) shown.add(0, State.VALUE);
        return shown.stream().map(s -> Legend.entry(legendText(s), (g, slot) -> swatch(g, slot, s))).toList();
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

    private void paint(Graphics2D g) {
        titles.paint(g);
        for (Cell c : cells) paintCell(g, c);
        paintGridLines(g);
        for (Cell c : cells) paintCellText(g, c);
        paintAxes(g);
        bar.paint(g, grid);
        legend.paintRows(g, Figure.PAD, grid.y() + grid.height() + Plot.underneath(xLabelsHeight) + LEGEND_GAP, width - 2 * Figure.PAD);
    }

    private static void paintCell(Graphics2D g, Cell c) {
        Color corner = c.diverged() > 0 ? Colours.DIVERGED_HATCH : c.failed() > 0 ? Colours.FAILED_HATCH : null;
        patch(g, c.box(), c.state(), c.fill(), corner);
    }

    /** A legend swatch: the look of a cell in state s, a value's cell with the red corner, outlined. */
    private static void swatch(Graphics2D g, Box slot, State s) {
        patch(g, slot, s, s == State.VALUE ? Colours.viridis(0.5) : fill(s), Colours.DIVERGED_HATCH);
        g.setColor(Colours.MUTED);
        g.setStroke(new BasicStroke(1f));
        g.draw(new Rectangle2D.Double(slot.x(), slot.y(), slot.width(), slot.height()));
    }

    /** The fill of a cell without a value. */
    private static Color fill(State s) {
        return switch (s) {
            case DIVERGED -> Colours.DIVERGED_FILL;
            case FAILED -> Colours.FAILED_FILL;
            case VALUE, NO_VALUE, MISSING -> Color.WHITE;
        };
    }

    /**
     * A cell's look: its fill, then the red hatching of a diverged cell, the grey cross-hatching
     * of a failed one, the inset outline of an empty one, or a value's corner mark (when
     * {@code corner} is not null).
     */
    private static void patch(Graphics2D g, Box b, State s, Color fill, Color corner) {
        Rectangle2D r = new Rectangle2D.Double(b.x(), b.y(), b.width(), b.height());
        g.setColor(fill);
        g.fill(r);
        switch (s) {
            case DIVERGED -> hatch(g, r, Colours.DIVERGED_HATCH, false);
            case FAILED -> hatch(g, r, Colours.FAILED_HATCH, true);
            case MISSING, NO_VALUE -> {
                g.setColor(Colours.GRID_LINE);
                g.setStroke(new BasicStroke(1f));
                g.draw(new Rectangle2D.Double(b.x() + 1.5, b.y() + 1.5, b.width() - 3, b.height() - 3));
            }
            case VALUE -> {
                if (corner != null) {
                    g.setColor(corner);
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
        boolean second = lines.length > 1 && Text.lineHeight(cellFont) + Text.lineHeight(small) < b.height() - 4
                && Text.width(small, lines[1]) <= b.width() - 8;
        double cy = b.y() + b.height() / 2.0 - (second ? Text.lineHeight(small) / 2.0 : 0);
        Color ink = switch (c.state()) {
            case VALUE -> Colours.textOn(c.fill());
            case DIVERGED -> Colours.DIVERGED_HATCH;
            case FAILED -> Colours.FAILED_HATCH;
            default -> Colours.MUTED;
        };
        if (c.state() == State.DIVERGED || c.state() == State.FAILED) {
            int w = Text.width(cellFont, lines[0]) + 8;
            int h = Text.lineHeight(cellFont);
            g.setColor(c.fill());
            g.fill(new Rectangle2D.Double(b.centreX() - w / 2.0, cy - h / 2.0, w, h));
        }
        g.setColor(ink);
        g.setFont(cellFont);
        Text.centred(g, lines[0], b.x() + b.width() / 2.0, cy);
        if (second) {
            g.setFont(small);
            Text.centred(g, lines[1], b.x() + b.width() / 2.0, cy + (Text.lineHeight(cellFont) + Text.lineHeight(small)) / 2.0);
        }
    }

    /** The categorical axes: one label per cell column and row, turned 45 degrees where they do not fit; the axis titles. */
    private void paintAxes(Graphics2D g) {
        g.setColor(Colours.TEXT);
        g.setFont(Text.TICK);
        int cw = grid.width() / nx;
        int ch = grid.height() / ny;
        FontMetrics fm = Text.metrics(Text.TICK);
        int labelTop = grid.y() + grid.height() + Plot.LABEL_GAP;
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
        for (int j = 0; j < ny; j++) Plot.yLabel(g, yLabels.get(j), grid, grid.y() + (ny - 1 - j + 0.5) * ch);
        Plot.xTitle(g, xTitle, grid, xLabelsHeight);
        if (!yTitle.isEmpty()) Plot.yTitle(g, yTitle, grid.y() + grid.height() / 2.0);
    }
}
