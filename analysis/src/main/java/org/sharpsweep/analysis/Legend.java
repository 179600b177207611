package org.sharpsweep.analysis;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A picture's key: headings, and entries of a swatch (a sample of a line, a mark or a patch,
 * drawn by the painter, which knows what its marks look like) beside a text. Laid out either as
 * a column right of the plot ({@link #margin}, {@link #paintRight}) or in rows that wrap below
 * it ({@link #rowsHeight}, {@link #paintRows}).
 */
record Legend(List<Entry> entries) {
    /** Space between a plot and a legend column right of it. */
    static final int MARGIN = 24;
    /** The most values {@link #colours} lists one by one. */
    static final int MAX_VALUES = 18;

    /**
     * In a column: the advance per entry and per heading, and the extra space above a heading
     * after the first and above an entry set {@link Entry#apart}.
     */
    private static final int LINE = 20;
    private static final int HEADING_LINE = 22;
    private static final int HEADING_GAP = 6;
    private static final int APART_GAP = 8;
    /** In rows, the space after an entry's text and the advance per row. */
    private static final int ROW_SPACING = 24;
    private static final int ROW = 22;

    /** The box left of an entry's text where its swatch goes, and where the text starts, from the slot's left edge. */
    private record Slot(int width, int height, int textAt) {
        Box at(int x, int y) {
            return new Box(x, y, width, height);
        }
    }

    private static final Slot IN_COLUMN = new Slot(28, 16, 34);
    private static final Slot IN_ROWS = new Slot(24, 15, 30);

    /** Draws an entry's sample into its slot, the box left of its text. */
    interface Swatch {
        void paint(Graphics2D g, Box slot);
    }

    /**
     * @param swatch  null for a heading, or an entry that is text alone
     * @param apart   set off from the entry above it (the first of another kind of mark)
     */
    record Entry(String text, Swatch swatch, boolean heading, boolean apart) {
    }

    Legend {
        entries = List.copyOf(entries);
    }

    static Entry heading(String text) {
        return new Entry(text, null, true, false);
    }

    static Entry entry(String text, Swatch swatch) {
        return new Entry(text, swatch, false, false);
    }

    static Entry apart(String text, Swatch swatch) {
        return new Entry(text, swatch, false, true);
    }

    /** A swatch of a horizontal line across the slot. */
    static Swatch line(Color c, BasicStroke stroke) {
        return (g, slot) -> {
            g.setColor(c);
            g.setStroke(stroke);
            g.draw(new Line2D.Double(slot.x(), slot.centreY(), slot.x() + slot.width() - 2, slot.centreY()));
        };
    }

    /**
     * The key of a colour axis: the heading {@code colour: <axis title>}, then {@code <symbol> =
     * <value>} beside a line in its colour for each value, up to {@link #MAX_VALUES} entries in
     * all (the last then says how many more there are).
     */
    static List<Entry> colours(String column, List<Object> values, IntFunction<Color> colour) {
        List<Entry> out = new ArrayList<>();
        out.add(heading("colour: " + Labels.axis(column)));
        int shown = values.size() <= MAX_VALUES ? values.size() : MAX_VALUES - 1;
        BasicStroke stroke = new BasicStroke(3f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER);
        for (int i = 0; i < shown; i++) {
            out.add(entry(Labels.symbol(column) + " = " + Query.show(values.get(i)), line(colour.apply(i), stroke)));
        }
        if (shown < values.size()) out.add(entry("… and " + (values.size() - shown) + " more", null));
        return out;
    }

    /** The width of the column: its widest heading, or its widest entry's text and slot. */
    int width() {
        int w = 0;
        for (Entry e : entries) {
            w = Math.max(w, e.heading() ? Text.width(Text.LEGEND_HEADING, e.text()) : IN_COLUMN.textAt() + Text.width(Text.LEGEND, e.text()));
        }
        return w;
    }

    /** The margin the column takes right of a plot: {@link #MARGIN}, the column and the canvas's pad. */
    int margin() {
        return MARGIN + width() + Figure.PAD;
    }

    /** Paints the column at the right edge of a canvas {@code canvasWidth} wide, inside its pad, from row top down. */
    void paintRight(Graphics2D g, int canvasWidth, int top) {
        int x = canvasWidth - Figure.PAD - width();
        int y = top + 8;
        boolean first = true;
        for (Entry e : entries) {
            if (e.heading()) {
                if (!first) y += HEADING_GAP;
                g.setFont(Text.LEGEND_HEADING);
                g.setColor(Colours.TEXT);
                Text.left(g, e.text(), x, y);
                y += HEADING_LINE;
            } else {
                if (e.apart()) y += APART_GAP;
                if (e.swatch() != null) e.swatch().paint(g, IN_COLUMN.at(x, y - IN_COLUMN.height() / 2));
                g.setFont(Text.LEGEND);
                g.setColor(Colours.TEXT);
                Text.left(g, e.text(), x + IN_COLUMN.textAt(), y);
                y += LINE;
            }
            first = false;
        }
    }

    /** The height of the rows, wrapped at {@code maxWidth}; 0 for no entries. */
    int rowsHeight(int maxWidth) {
        return rows(maxWidth).size() * ROW;
    }

    /** Paints the entries in rows from (x, top), each row as wide as {@code maxWidth} allows. */
    void paintRows(Graphics2D g, int x, int top, int maxWidth) {
        int y = top;
        for (List<Entry> row : rows(maxWidth)) {
            int at = x;
            for (Entry e : row) {
                if (e.swatch() != null) e.swatch().paint(g, IN_ROWS.at(at, y));
                g.setFont(Text.LEGEND);
                g.setColor(Colours.TEXT);
                Text.left(g, e.text(), at + IN_ROWS.textAt(), y + IN_ROWS.height() / 2.0);
                at += rowWidth(e);
            }
            y += ROW;
        }
    }

    private List<List<Entry>> rows(int maxWidth) {
        List<List<Entry>> rows = new ArrayList<>();
        List<Entry> row = new ArrayList<>();
        int x = 0;
        for (Entry e : entries) {
            int w = rowWidth(e);
            if (!row.isEmpty() && x + w > maxWidth) {
                rows.add(row);
                row = new ArrayList<>();
                x = 0;
            }
            row.add(e);
            x += w;
        }
        if (!row.isEmpty()) rows.add(row);
        return rows;
    }

    private static int rowWidth(Entry e) {
        return IN_ROWS.textAt() + Text.width(Text.LEGEND, e.text()) + ROW_SPACING;
    }
}
