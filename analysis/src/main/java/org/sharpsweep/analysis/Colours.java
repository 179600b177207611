package org.sharpsweep.analysis;

import java.awt.Color;

/** Colour scales and the fixed colours every figure uses. */
final class Colours {
    private Colours() {
    }

    /**
     * Viridis (van der Walt and Smith, matplotlib's default map: perceptually uniform, readable
     * in grey scale and by colour-blind readers), as the 11 samples at t = 0, 0.1, ..., 1,
     * linearly interpolated between them.
     */
    private static final int[] VIRIDIS = {0x440154, 0x482475, 0x414487, 0x355f8d, 0x2a788e, 0x21918c,
        0x22a884, 0x44bf70, 0x7ad151, 0xbddf26, 0xfde725};

    /** Tableau 10 without its red, which marks points outside their stability region. */
    private static final int[] QUALITATIVE = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0x9467bd, 0x8c564b, 0xe377c2,
        0x7f7f7f, 0xbcbd22, 0x17becf};

    /** Fill and hatch of cells whose points all diverged. */
    static final Color DIVERGED_FILL = new Color(0xf6d5d5);
    static final Color DIVERGED_HATCH = new Color(0xb2182b);
    /** Fill and hatch of cells whose points all failed. */
    static final Color FAILED_FILL = new Color(0xe3e3e3);
    static final Color FAILED_HATCH = new Color(0x4d4d4d);
    /** Marks a point outside its own stability region. */
    static final Color OUTSIDE = new Color(0xe0001b);
    /** Outlines of empty heatmap cells, the lines of a bar chart's value axis. */
    static final Color GRID_LINE = new Color(0xdddddd);
    /** The light lines across a {@link Plot} at its ticks. */
    static final Color PLOT_GRID = new Color(0xeeeeee);
    static final Color TEXT = new Color(0x222222);
    static final Color MUTED = new Color(0x555555);

    /** Viridis at t in [0, 1] (clamped; NaN maps to the middle). */
    static Color viridis(double t) {
        if (Double.isNaN(t)) t = 0.5;
        t = Math.max(0, Math.min(1, t));
        double s = t * (VIRIDIS.length - 1);
        int i = Math.min((int) Math.floor(s), VIRIDIS.length - 2);
        double f = s - i;
        Color a = new Color(VIRIDIS[i]);
        Color b = new Color(VIRIDIS[i + 1]);
        return new Color(mix(a.getRed(), b.getRed(), f), mix(a.getGreen(), b.getGreen(), f), mix(a.getBlue(), b.getBlue(), f));
    }

    private static int mix(int a, int b, double f) {
        return (int) Math.round(a + (b - a) * f);
    }

    /** The i-th of n distinct category colours: Tableau colours up to 9 categories, viridis beyond. */
    static Color category(int i, int n) {
        if (n <= QUALITATIVE.length) return new Color(QUALITATIVE[i]);
        return viridis(n == 1 ? 0.5 : 0.9 * i / (n - 1.0));
    }

    /** Relative luminance (ITU-R BT.709 weights on sRGB components, no gamma). */
    static double luminance(Color c) {
        return (0.2126 * c.getRed() + 0.7152 * c.getGreen() + 0.0722 * c.getBlue()) / 255.0;
    }

    /** Black or white, whichever reads better on {@code background}. */
    static Color textOn(Color background) {
        return luminance(background) < 0.55 ? Color.WHITE : Color.BLACK;
    }

    static Color withAlpha(Color c, int alpha) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
    }
}
