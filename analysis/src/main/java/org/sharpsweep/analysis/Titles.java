package org.sharpsweep.analysis;

import java.awt.Graphics2D;
import java.util.List;

/**
 * A picture's title block, from the top left corner inside the {@link Figure#PAD}: the title in
 * bold, then 4 px lower the subtitle in muted grey, each wrapped to the canvas's width.
 *
 * @param title    the title's lines
 * @param subtitle the subtitle's lines (none for a picture without one)
 */
record Titles(List<String> title, List<String> subtitle) {
    /** Space between the block and the picture's content below it. */
    static final int GAP = 16;

    Titles {
        title = List.copyOf(title);
        subtitle = List.copyOf(subtitle);
    }

    /** Wraps both to a canvas {@code width} wide. */
    static Titles wrap(String title, String subtitle, int width) {
        int lineWidth = width - 2 * Figure.PAD;
        return new Titles(Text.wrap(Text.TITLE, title, lineWidth), Text.wrap(Text.SUBTITLE, subtitle, lineWidth));
    }

    /** Where the content below the block starts: its last line plus {@link #GAP}. */
    int below() {
        return Figure.PAD + title.size() * Text.lineHeight(Text.TITLE) + 4 + subtitle.size() * Text.lineHeight(Text.SUBTITLE) + GAP;
    }

    void paint(Graphics2D g) {
        g.setColor(Colours.TEXT);
        g.setFont(Text.TITLE);
        int y = Figure.PAD + Text.metrics(Text.TITLE).getAscent();
        for (String line : title) {
            g.drawString(line, Figure.PAD, y);
            y += Text.lineHeight(Text.TITLE);
        }
        y += 4 - Text.lineHeight(Text.TITLE) + Text.lineHeight(Text.SUBTITLE);
        g.setColor(Colours.MUTED);
        g.setFont(Text.SUBTITLE);
        for (String line : subtitle) {
            g.drawString(line, Figure.PAD, y);
            y += Text.lineHeight(Text.SUBTITLE);
        }
    }
}
