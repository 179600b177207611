package org.sharpsweep.analysis;

import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.GraphicsEnvironment;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fonts every picture uses, measuring and placing text; layout is measured on a scratch
 * raster so PNG and SVG agree.
 */
final class Text {
    private Text() {
    }

    /**
     * DejaVu Sans where installed (Debian's default, has λ, Σ and √), else Java's SansSerif. A
     * real family name also lets a browser pick the same face for the SVG's text.
     */
    static final String FAMILY = Arrays.asList(GraphicsEnvironment.getLocalGraphicsEnvironment()
            .getAvailableFontFamilyNames()).contains("DejaVu Sans") ? "DejaVu Sans" : Font.SANS_SERIF;

    private static final Graphics2D SCRATCH = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();

    /** The title, in {@link Titles}. */
    static final Font TITLE = bold(17f);
    /** The subtitle under it. */
    static final Font SUBTITLE = plain(12.5f);
    /** Tick labels, and other small text on a plot. */
    static final Font TICK = plain(13f);
    /** Axis titles, and a notice written across an empty plot. */
    static final Font AXIS = bold(13.5f);
    /** A {@link Legend}'s entries and its headings. */
    static final Font LEGEND = plain(12.5f);
    static final Font LEGEND_HEADING = bold(12.5f);

    static Font plain(float size) {
        return new Font(FAMILY, Font.PLAIN, 1).deriveFont(size);
    }

    static Font bold(float size) {
        return new Font(FAMILY, Font.BOLD, 1).deriveFont(size);
    }

    static synchronized FontMetrics metrics(Font f) {
        return SCRATCH.getFontMetrics(f);
    }

    static int width(Font f, String s) {
        return metrics(f).stringWidth(s);
    }

    /** Greedy word wrap to {@code maxWidth} pixels; a word longer than a line stays whole. */
    static List<String> wrap(Font f, String text, int maxWidth) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            String candidate = line.length() == 0 ? word : line + " " + word;
            if (line.length() > 0 && width(f, candidate) > maxWidth) {
                lines.add(line.toString());
                line = new StringBuilder(word);
            } else {
                line = new StringBuilder(candidate);
            }
        }
        if (line.length() > 0) lines.add(line.toString());
        return lines;
    }

    /** Draws {@code s} centred horizontally on cx with its visual middle on cy. */
    static void centred(Graphics2D g, String s, double cx, double cy) {
        FontMetrics fm = g.getFontMetrics();
        g.drawString(s, (float) (cx - fm.stringWidth(s) / 2.0), (float) (cy + (fm.getAscent() - fm.getDescent()) / 2.0));
    }

    /** Draws {@code s} right-aligned at x with its visual middle on cy. */
    static void right(Graphics2D g, String s, double x, double cy) {
        FontMetrics fm = g.getFontMetrics();
        g.drawString(s, (float) (x - fm.stringWidth(s)), (float) (cy + (fm.getAscent() - fm.getDescent()) / 2.0));
    }

    /** Draws {@code s} left-aligned at x with its visual middle on cy. */
    static void left(Graphics2D g, String s, double x, double cy) {
        FontMetrics fm = g.getFontMetrics();
        g.drawString(s, (float) x, (float) (cy + (fm.getAscent() - fm.getDescent()) / 2.0));
    }

    /** Draws {@code s} rotated by {@code theta} radians about (x, y), where its start (baseline) is anchored. */
    static void rotated(Graphics2D g, String s, double x, double y, double theta) {
        AffineTransform saved = g.getTransform();
        g.translate(x, y);
        g.rotate(theta);
        g.drawString(s, 0f, 0f);
        g.setTransform(saved);
    }

    /** Draws {@code s} rotated a quarter turn anticlockwise, centred on (cx, cy): a vertical axis title. */
    static void vertical(Graphics2D g, String s, double cx, double cy) {
        FontMetrics fm = g.getFontMetrics();
        AffineTransform saved = g.getTransform();
        g.translate(cx, cy);
        g.rotate(-Math.PI / 2);
        g.drawString(s, (float) (-fm.stringWidth(s) / 2.0), (float) ((fm.getAscent() - fm.getDescent()) / 2.0));
        g.setTransform(saved);
    }

    /** The line height of a font: ascent, descent and leading. */
    static int lineHeight(Font f) {
        return metrics(f).getHeight();
    }
}
