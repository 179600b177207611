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
        return new BigDecimal(x).round(RANGE).doubleValue();
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
        BigDecimal d = exact;
        for (int p = 1; p <= 17; p++) {
            BigDecimal c = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            if (c.doubleValue() == x) {
                d = c;
                break;
            }
        }
        d = d.stripTrailingZeros();
        int exponent = d.precision() - d.scale() - 1;
        return Math.abs(exponent) <= 30 ? d.toPlainString() : d.toString();
    }
}
