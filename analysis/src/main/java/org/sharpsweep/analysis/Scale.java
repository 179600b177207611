package org.sharpsweep.analysis;

import java.util.ArrayList;
import java.util.List;

/**
 * One axis of a picture (or of a colour bar): the values from {@code lo} to {@code hi}, how they
 * are spread along it ({@link Mapping}: evenly, by log10 or symmetric-log), where its ticks are
 * and how they read. Which range and which mapping an axis gets is the painter's choice; the
 * factories here only make the ticks fit.
 *
 * @param step the spacing of a linear axis's ticks; 0 on a log or symlog axis and on a linear
 *             one without a range
 */
record Scale(double lo, double hi, Mapping mapping, List<Double> ticks, double step) {
    Scale {
        ticks = List.copyOf(ticks);
    }

    /** How values are spread along an axis: evenly in the units of {@link #apply}. */
    interface Mapping {
        double apply(double v);

        /** The label of a tick; {@code step} as in {@link Scale}. */
        String label(double tick, double step);
    }

    /** The two common mappings. */
    enum Spacing implements Mapping {
        /** Values as they are; ticks labelled with the decimals their step needs ({@link Format#tick}). */
        LINEAR {
            @Override
            public double apply(double v) {
                return v;
            }

            @Override
            public String label(double tick, double step) {
                return step > 0 ? Format.tick(tick, step) : Format.number(tick, 3);
            }
        },
        /** log10 of the (positive) values; ticks labelled in three significant digits. */
        LOG {
            @Override
            public double apply(double v) {
                return Math.log10(v);
            }

            @Override
            public String label(double tick, double step) {
                return Format.number(tick, 3);
            }
        }
    }

    /** True on a log10 axis. */
    boolean log() {
        return mapping == Spacing.LOG;
    }

    /** Where v sits along the axis, 0 at lo and 1 at hi (outside for v outside); 0.5 when the axis has no range. */
    double fraction(double v) {
        return fraction(v, lo, hi, mapping);
    }

    static double fraction(double v, double lo, double hi, Mapping mapping) {
        if (!(hi > lo)) return 0.5;
        double a = mapping.apply(lo);
        return (mapping.apply(v) - a) / (mapping.apply(hi) - a);
    }

    String label(double tick) {
        return mapping.label(tick, step);
    }

    /** The width of the widest tick label in {@link Text#TICK}. */
    int labelWidth() {
        return ticks.stream().mapToInt(t -> Text.width(Text.TICK, label(t))).max().orElse(0);
    }

    /** A linear axis over exactly [lo, hi] with about {@code targetTicks} "nice" ticks inside it; one tick at lo when hi <= lo. */
    static Scale linear(double lo, double hi, int targetTicks) {
        if (!(hi > lo)) return new Scale(lo, hi, Spacing.LINEAR, List.of(lo), 0);
        double step = Format.niceStep(hi - lo, targetTicks);
        return new Scale(lo, hi, Spacing.LINEAR, multiples(lo, hi, step), step);
    }

    /**
     * A linear axis over [min, max] (from 0 when min >= 0) with about {@code targetTicks} ticks,
     * both ends on a tick, the top one at least {@code room} of the range above max.
     */
    static Scale rounded(double min, double max, int targetTicks, double room) {
        if (!(max > min)) {
            double d = min == 0 ? 1 : Math.abs(min) * 0.1;
            max += d;
            if (min < 0) min -= d;
        }
        double lo = Math.min(min, 0);
        double step = Format.niceStep(max - lo, targetTicks);
        lo = Math.floor(lo / step) * step;
        double hi = Math.ceil((max + room * (max - lo)) / step - 1e-9) * step;
        return new Scale(lo, hi, Spacing.LINEAR, multiples(lo, hi, step), step);
    }

    /** A log10 axis over exactly [lo, hi] (0 < lo < hi), ticks at 1, 2 and 5 times powers of ten ({@link Format#logTicks}). */
    static Scale log(double lo, double hi) {
        return new Scale(lo, hi, Spacing.LOG, Format.logTicks(lo, hi), 0);
    }

    /** A log10 axis from the decade at or below min to the one at or above max (0 < min <= max). */
    static Scale decades(double min, double max) {
        double lo = Math.pow(10, Math.floor(Math.log10(min)));
        double hi = Math.pow(10, Math.ceil(Math.log10(max)));
        if (hi <= lo) hi = lo * 10;
        return log(lo, hi);
    }

    /** A symmetric-log axis over [lo, hi], ticks at 0 and +-10^k ({@link SymLog#ticks}). */
    static Scale symlog(SymLog mapping, double lo, double hi) {
        return new Scale(lo, hi, mapping, mapping.ticks(lo, hi), 0);
    }

    /** An axis without ticks over [0, 1], for a panel with nothing to measure. */
    static Scale blank() {
        return new Scale(0, 1, Spacing.LINEAR, List.of(), 0);
    }

    /** The multiples of step inside [lo, hi]. */
    private static List<Double> multiples(double lo, double hi, double step) {
        List<Double> out = new ArrayList<>();
        for (long k = (long) Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) out.add(k * step);
        return out;
    }

    /**
     * The symmetric-log map of matplotlib's {@code symlog} with linscale 1: u(t) = t / c for
     * |t| <= c and sign(t) (1 + log10(|t| / c)) beyond, c = {@code linthresh} > 0. Odd, strictly
     * increasing and continuous (u = +-1 at t = +-c); each decade beyond c is one unit, as is the
     * linear stretch from 0 to c.
     */
    record SymLog(double linthresh) implements Mapping {
        /** The linear threshold {@link #of} sets, as a fraction of the largest |t| drawn. */
        static final double LINTHRESH = 1e-3;

        SymLog {
            if (!(linthresh > 0) || Double.isInfinite(linthresh)) {
                throw new IllegalArgumentException("linthresh must be > 0 and finite, got " + linthresh);
            }
        }

        /** Threshold {@link #LINTHRESH} times the largest |t|, or 1 when that is 0. */
        static SymLog of(double maxAbs) {
            return new SymLog(maxAbs > 0 && Double.isFinite(maxAbs) ? LINTHRESH * maxAbs : 1);
        }

        @Override
        public double apply(double t) {
            double a = Math.abs(t);
            if (a <= linthresh) return t / linthresh;
            return Math.signum(t) * (1 + Math.log10(a / linthresh));
        }

        double inverse(double u) {
            double a = Math.abs(u);
            if (a <= 1) return u * linthresh;
            return Math.signum(u) * linthresh * Math.pow(10, a - 1);
        }

        /** 0 and +-10^k with linthresh <= 10^k inside [lo, hi]; every other decade when a side has more than 6. */
        List<Double> ticks(double lo, double hi) {
            List<Double> out = new ArrayList<>();
            if (lo <= 0 && hi >= 0) out.add(0.0);
            int kLo = (int) Math.ceil(Math.log10(linthresh) - 1e-9);
            for (int sign : new int[] {-1, 1}) {
                double far = sign < 0 ? -lo : hi;
                if (!(far >= linthresh)) continue;
                int kHi = (int) Math.floor(Math.log10(far) + 1e-9);
                int every = kHi - kLo + 1 > 6 ? 2 : 1;
                for (int k = kHi; k >= kLo; k -= every) out.add(sign * Math.pow(10, k));
            }
            out.sort(null);
            return out;
        }

        @Override
        public String label(double tick, double step) {
            return tickLabel(tick);
        }

        /** 0, or ±10^k written as 0.01, 1, 100, 1e5 (with a minus sign for negative t). */
        static String tickLabel(double t) {
            if (t == 0) return "0";
            String s = Format.number(Math.abs(t), 1);
            return (t < 0 ? "−" : "") + s;
        }
    }
}
