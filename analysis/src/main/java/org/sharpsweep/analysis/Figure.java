package org.sharpsweep.analysis;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

import javax.imageio.ImageIO;

import de.erichseifert.vectorgraphics2d.Document;
import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;

/**
 * A picture: a white {@code width x height} canvas and what paints on it (origin top left),
 * written as PNG (a {@link BufferedImage}) or SVG (VectorGraphics2D) from the same painting, so
 * both formats show the same thing.
 *
 * <p>The figure toolkit, which every painter draws its frame with, so that one picture's frame
 * reads like another's: {@link Text} (the fonts, measuring and placing text), {@link Titles} (the
 * title block), {@link Scale} (an axis: linear, log or symmetric-log, its ticks and their labels),
 * {@link Plot} (a plotting area: grid, axes, tick labels, axis titles, margins, marks),
 * {@link Legend} (a key, in a column or in rows), {@link ColourBar}, {@link Colours} and
 * {@link Format}. A painter holds only what its picture means: its layout, its marks and its words.
 *
 * @param painter paints the picture onto the canvas; called once per format written
 */
record Figure(int width, int height, Consumer<Graphics2D> painter) {
    /** The empty margin on every side of every picture, in pixels. */
    static final int PAD = 16;

    /** Image format of an output path, from its extension. */
    enum Kind { PNG, SVG }

    static Kind formatOf(Path out) {
        String name = out.getFileName() == null ? "" : out.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".png")) return Kind.PNG;
        if (name.endsWith(".svg")) return Kind.SVG;
        throw new IllegalArgumentException("output file must end in .png or .svg, got " + out);
    }

    /** Writes to {@code out} (PNG or SVG by extension), creating parent directories. */
    static void write(Figure f, Path out) {
        Kind format = formatOf(out);
        try {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            if (format == Kind.PNG) {
                ImageIO.write(toImage(f), "png", out.toFile());
            } else {
                VectorGraphics2D g = new VectorGraphics2D();
                prepare(g, f);
                f.painter().accept(g);
                Document doc = new SVGProcessor().getDocument(g.getCommands(), new PageSize(0, 0, f.width(), f.height()));
                ByteArrayOutputStream svg = new ByteArrayOutputStream();
                doc.writeTo(svg);
                Files.writeString(out, withoutDoctype(svg.toString(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
        }
    }

    /**
     * Drops the SVG 1.1 DOCTYPE VectorGraphics2D writes: it points at a DTD on w3.org that
     * browsers ignore but XML tools fetch, and the files must open with no network.
     */
    static String withoutDoctype(String svg) {
        return svg.replaceFirst("<!DOCTYPE[^>]*>\\s*", "");
    }

    static BufferedImage toImage(Figure f) {
        BufferedImage img = new BufferedImage(f.width(), f.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            prepare(g, f);
            f.painter().accept(g);
        } finally {
            g.dispose();
        }
        return img;
    }

    private static void prepare(Graphics2D g, Figure f) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, f.width(), f.height());
    }
}
