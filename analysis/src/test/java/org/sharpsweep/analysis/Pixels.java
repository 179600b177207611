package org.sharpsweep.analysis;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

import javax.imageio.ImageIO;

/** Reading rendered images back: colours at points and fractions of a colour inside boxes. */
public final class Pixels {
    private Pixels() {
    }

    /** Largest per-channel difference for two colours to count as the same (antialiasing, rounding). */
    public static final int SAME_COLOUR = 12;

    public static BufferedImage read(Path png) throws IOException {
        BufferedImage img = ImageIO.read(png.toFile());
        if (img == null) throw new IOException(png + " is not an image ImageIO can read");
        return img;
    }

    public static Color at(BufferedImage img, double x, double y) {
        return new Color(img.getRGB((int) Math.round(x), (int) Math.round(y)));
    }

    public static int distance(Color a, Color b) {
        return Math.max(Math.abs(a.getRed() - b.getRed()),
                Math.max(Math.abs(a.getGreen() - b.getGreen()), Math.abs(a.getBlue() - b.getBlue())));
    }

    public static boolean same(Color a, Color b) {
        return distance(a, b) <= SAME_COLOUR;
    }

    /** Fraction of the pixels of a box (inset by {@code inset} on every side) within {@link #SAME_COLOUR} of c. */
    public static double fraction(BufferedImage img, Box b, int inset, Color c) {
        int n = 0;
        int hit = 0;
        for (int y = b.y() + inset; y < b.y() + b.height() - inset; y++) {
            for (int x = b.x() + inset; x < b.x() + b.width() - inset; x++) {
                n++;
                if (same(new Color(img.getRGB(x, y)), c)) hit++;
            }
        }
        return n == 0 ? 0 : (double) hit / n;
    }

    /** Pixels within radius r of (cx, cy) that are within {@code tol} of colour c. */
    public static int countNear(BufferedImage img, double cx, double cy, double r, Color c, int tol) {
        int hit = 0;
        for (int y = (int) Math.floor(cy - r); y <= Math.ceil(cy + r); y++) {
            for (int x = (int) Math.floor(cx - r); x <= Math.ceil(cx + r); x++) {
                if (x < 0 || y < 0 || x >= img.getWidth() || y >= img.getHeight()) continue;
                if ((x - cx) * (x - cx) + (y - cy) * (y - cy) > r * r) continue;
                if (distance(new Color(img.getRGB(x, y)), c) <= tol) hit++;
            }
        }
        return hit;
    }
}
