package org.sharpsweep.analysis;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;

/** Number formatting for cell values, tick and axis labels; pure functions, thread-safe. */
final class Format {
    private Format() {
    }

    /** Relative spread of consecutive log-ratios below which a grid reads as log-spaced. */
    static final double LOG_SPACING_CV = 0.25;

    /**
     * True if numeric values (sorted, distinct) are log-spaced: at least three, all positive,
     * and the gaps between their logarithms vary less (coefficient of variation below
     * {@link #LOG_SPACING_CV}) than the gaps between the values themselves. So 0.01, 0.1, 1
     * and 10, 50, 200 are log-spaced; 10, 20, 30 is not. Two values cannot tell and count as
     * linear.
     */
    static boolean isLogSpaced(List<?> values) {
        if (values.size() < 3) return false;
        double[] v = new double[values.size()];
        for (int i = 0; i < v.length; i++) {
            if (!(values.get(i) instanceof Number n)) return false;
            v[i] = n.doubleValue();
            if (!(v[i] > 0) || Double.isInfinite(v[i])) return false;
        }
        double[] lin = new double[v.length - 1];
        double[] log = new double[v.length - 1];
        for (int i = 0; i + 1 < v.length; i++) {
            lin[i] = v[i + 1] - v[i];
            log[i] = Math.log(v[i + 1]) - Math.log(v[i]);
        }
        double cvLog = cv(log);
        return cvLog < LOG_SPACING_CV && cvLog < cv(lin);
    }

    private static double cv(double[] d) {
        double mean = 0;
        for (double x : d) mean += x;
        mean /= d.length;
        double var = 0;
        for (double x : d) var += (x - mean) * (x - mean);
        return Math.sqrt(var / d.length) / Math.abs(mean);
    }

    /** A value in at most {@code sig} significant digits: plain for 1e-3 <= |v| < 1e5, else {@code 1.23e-5}. */
    static String number(double v, int sig) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "∞" : "-∞";
        if (v == 0) return "0";
        double a = Math.abs(v);
        BigDecimal rounded = new BigDecimal(v).round(new MathContext(sig));
        if (a >= 1e-3 && a < 1e5) return rounded.stripTrailingZeros().toPlainString();
        return scientific(v, sig);
    }

    /** {@code m e k} with a trimmed mantissa: 1e-3, 2.15e-2, -4e5; the mantissa alone for k = 0. */
    static String scientific(double v, int sig) {
        if (v == 0) return "0";
        BigDecimal rounded = new BigDecimal(v).round(new MathContext(sig));
        int exp = rounded.precision() - rounded.scale() - 1;
        BigDecimal mantissa = rounded.movePointLeft(exp).stripTrailingZeros();
        return exp == 0 ? mantissa.toPlainString() : mantissa.toPlainString() + "e" + exp;
    }

    /** A cell value: three significant digits. */
    static String cell(double v) {
        return number(v, 3);
    }

    /**
     * Labels of the actual values of one axis, in their order. Numbers get the fewest
     * significant digits (3 to 6) that keep the labels distinct; integers print as integers.
     * A log-spaced axis whose values do not all print short in plain decimals is written in
     * {@code 1e-3} style throughout, so the decades read at a glance. Null prints as "null".
     */
    static List<String> axisLabels(List<Object> values, boolean logSpaced) {
        boolean allNumbers = values.stream().allMatch(v -> v instanceof Number);
        if (!allNumbers) return values.stream().map(v -> v == null ? "null" : String.valueOf(v)).toList();
        if (values.stream().allMatch(v -> v instanceof Integer || v instanceof Long)) {
            return values.stream().map(String::valueOf).toList();
        }
        for (int sig = 3; sig <= 6; sig++) {
            List<String> plain = new ArrayList<>();
            for (Object v : values) plain.add(number(((Number) v).doubleValue(), sig));
            boolean shortPlain = plain.stream().allMatch(s -> s.length() <= 6 && !s.contains("e"));
            List<String> out = plain;
            if (logSpaced && !shortPlain) {
                out = new ArrayList<>();
                for (Object v : values) out.add(scientific(((Number) v).doubleValue(), sig));
            }
            if (new HashSet<>(out).size() == out.size() || sig == 6) return List.copyOf(out);
        }
        throw new AssertionError("unreachable");
    }

    /** Tick labels of a linear axis with the given step: as many decimals as the step needs (0.25 -> 2). */
    static String tick(double v, double step) {
        if (Math.abs(v) < step * 1e-9) return "0";
        double a = Math.max(Math.abs(v), step);
        if (a >= 1e5 || step < 1e-4) return scientific(v, 3);
        int decimals = Math.max(0, new BigDecimal(step).round(new MathContext(3)).stripTrailingZeros().scale());
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** Step of about {@code targetTicks} "nice" ticks (1, 2, 5 times a power of ten) over [0, max]. */
    static double niceStep(double max, int targetTicks) {
        if (!(max > 0)) return 1;
        double raw = max / targetTicks;
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        double m = raw / p;
        double nice = m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5 ? 2.5 : m <= 5 ? 5 : 10;
        return nice * p;
    }

    /** 1, 2, 5 times powers of ten inside [min, max]; only powers of ten when those are too many. */
    static List<Double> logTicks(double min, double max) {
        List<Double> all = new ArrayList<>();
        if (!(min > 0) || !(max >= min) || Double.isInfinite(max)) return all;
        List<Double> decades = new ArrayList<>();
        for (int k = (int) Math.floor(Math.log10(min)); k <= (int) Math.ceil(Math.log10(max)); k++) {
            for (int m : new int[] {1, 2, 5}) {
                double v = m * Math.pow(10, k);
                if (v >= min * (1 - 1e-12) && v <= max * (1 + 1e-12)) {
                    all.add(v);
                    if (m == 1) decades.add(v);
                }
            }
        }
        return all.size() <= 7 || decades.size() < 2 ? all : decades;
    }

}
