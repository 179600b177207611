package org.sharpsweep.sweeps;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Canonical decimals for generated values and point ids, independent of the JDK's
 * {@code Double.toString} (which changed in JDK 19 for some values).
 */
public final class Decimals {
    private Decimals() {
    }

    /** Significant digits a generated range value is rounded to. */
    public static final int RANGE_DIGITS = 12;

    private static final MathContext RANGE = new MathContext(RANGE_DIGITS, RoundingMode.HALF_EVEN);
    private static final ConcurrentHashMap<Double, String> SHORTEST = new ConcurrentHashMap<>();

    /**
     * A computed range value as the user would have written it: {@code x} rounded to
     * {@value #RANGE_DIGITS} significant decimal digits (half-even), then the double nearest
     * that decimal. So {@code 0.10000000000000002} (exp/log arithmetic) becomes {@code 0.1},
     * the same double as the literal {@code 0.1}.
     */
    public static double roundRange(double x) {
        if (x == 0 || !Double.isFinite(x)) return x + 0.0;
        double ax = Math.abs(x);
        if (ax >= 1e-9 && ax < 1e9) {
            // Fast and exact: n = x rounded to an integer of 12 digits at scale 10^k, k <= 21, so
            // both 10^k and n are exact doubles and n / 10^k is the double nearest n x 10^-k.
            int k = RANGE_DIGITS - 1 - exponent(ax);
            double scale = POW10[k];
            double n = Math.rint(x * scale);
            // x * scale is rounded once: if that moved it onto a .5 boundary, decide exactly
            if (Math.abs(Math.abs(x * scale - Math.rint(x * scale)) - 0.5) > 1e-3) return n / scale;
        }
        return new BigDecimal(x).round(RANGE).doubleValue();
    }

    private static final double[] POW10 = new double[23];

    static {
        for (int i = 0; i < POW10.length; i++) POW10[i] = Double.parseDouble("1e" + i);
    }

    /** floor(log10 ax) for 1e-9 <= ax < 1e9, exactly (by comparison with exact powers of ten). */
    private static int exponent(double ax) {
        int e = 0;
        if (ax >= 1) {
            while (e < 9 && ax >= POW10[e + 1]) e++;
        } else {
            while (e > -9 && ax < 1 / POW10[-e]) e--;
            if (ax < 1 / POW10[-e]) e--;
        }
        return e;
    }

    /**
     * The shortest decimal that reads back as {@code x} (the fewest significant digits; among
     * those, the nearest to x), without trailing zeros, in plain notation when its exponent is
     * within [-30, 30] and in {@code BigDecimal} scientific notation ({@code 1E+31}) beyond:
     * {@code 0.1}, {@code 1}, {@code 1000}, {@code 0.0001}, {@code -2.5}.
     */
    public static String shortest(double x) {
        String s = SHORTEST.get(x);
        if (s != null) return s;
        s = compute(x);
        if (SHORTEST.size() > 100_000) SHORTEST.clear();
        SHORTEST.put(x, s);
        return s;
    }

    private static String compute(double x) {
        if (x == 0) return "0";
        if (!Double.isFinite(x)) return Double.toString(x);
        BigDecimal exact = new BigDecimal(x);
        // Double.toString reads back as x, so its digit count bounds the shortest from above (on
        // any JDK; JDK 19+ prints the shortest itself). A decimal of k - 1 digits is one of k
        // digits too, so once the nearest k-digit decimal does not read back as x, no shorter does.
        int p = new BigDecimal(Double.toString(x)).stripTrailingZeros().precision();
        BigDecimal d = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
        while (p > 1) {
            BigDecimal c = exact.round(new MathContext(p - 1, RoundingMode.HALF_EVEN));
            if (c.doubleValue() != x) break;
            d = c;
            p--;
        }
        d = d.stripTrailingZeros();
        int exponent = d.precision() - d.scale() - 1;
        return Math.abs(exponent) <= 30 ? d.toPlainString() : d.toString();
    }
}
