package org.sharpsweep.sweeps;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One grid axis: a setting's short name (or {@code seed}, the replicate axis) and its values,
 * ranges already expanded. Values have the setting's Java type ({@link Setting#type}).
 *
 * @param range the range the values were generated from, or null for a list; kept so that
 *              {@link SweepSpec#toYaml} writes the range back and {@link SweepSpec#idUpgrades}
 *              can recompute the values the previous release generated
 */
public record Axis(String name, List<Object> values, Range range) implements java.io.Serializable {
    /** Name of the replicate axis: its values are replicate labels, not settings. */
    public static final String SEED = "seed";

    /**
     * Why {@code grid.NAME} is refused: a measure setting or a setting of how points are
     * trained does not change the point (point ids leave them out), anything else is no setting.
     *
     * @param at where in the spec, e.g. " (line 3)", or ""
     */
    static String notAnAxis(String name, String at) {
        Setting s = name == null ? null : Setting.byShortName(name);
        if (s != null && s.isMeasurement()) {
            return "grid." + name + " is a measure setting, not a grid axis" + at + ": it does not change the trained point "
                    + "(point ids leave measure settings out); measure a finished sweep another way with sharpsweep measure, "
                    + "or run a second sweep under another name";
        }
        if (s != null && s.isExecution()) {
            return "grid." + name + " is not a grid axis" + at + ": " + s.path() + " says how a point is trained "
                    + "(alone, in a lockstep group or spread over Spark workers), not which point; every value computes the same point under the same id. "
                    + "Set it under train:";
        }
        return "grid." + name + " is not a grid axis" + at + "; axes are " + Setting.axisNames();
    }

    public Axis {
        if (name == null || (!SEED.equals(name) && (Setting.byShortName(name) == null || !Setting.byShortName(name).isAxis()))) {
            throw new SpecException(notAnAxis(name, ""));
        }
        if (values == null || values.isEmpty()) throw new SpecException("grid." + name + " is empty: give at least one value");
        values = List.copyOf(values);
        Set<Object> seen = new HashSet<>();
        for (Object v : values) {
            if (!seen.add(v)) {
                throw new SpecException("grid." + name + " repeats a value: " + show(v) + " in " + shortList(values));
            }
        }
    }

    /** A list axis. */
    public Axis(String name, List<Object> values) {
        this(name, values, null);
    }

    /** The setting this axis varies, or null for the replicate axis {@code seed}. */
    public Setting setting() {
        return Setting.byShortName(name);
    }

    private static String show(Object v) {
        return v instanceof Named n ? n.specName() : String.valueOf(v);
    }

    private static String shortList(List<Object> values) {
        return values.size() <= 20 ? values.toString() : values.subList(0, 20) + "... (" + values.size() + " values)";
    }

    /**
     * {@code {from, to, num, scale}}: {@code num} values from {@code from} to {@code to}, both
     * included, evenly spaced ({@code linear}) or evenly spaced in log ({@code log}).
     * Double values are rounded to {@link Decimals#RANGE_DIGITS} significant digits
     * ({@link Decimals#roundRange}), the ends exact. An integer range must hit integers exactly
     * (a log range within 1e-9 relative before rounding to the integer): {@code {from: 1, to: 3,
     * num: 10}} is an error, not three values.
     */
    public record Range(double from, double to, int num, boolean log) implements java.io.Serializable {

        /** The values for {@code setting} (Integer or Double), checked as described above. */
        List<Object> values(Setting setting) {
            String where = "grid." + setting.shortName;
            List<Object> out = new ArrayList<>(num);
            if (setting.type == Integer.class && !log && num > 1) {
                long a = (long) from;
                long b = (long) to;
                if ((b - a) % (num - 1) != 0) {
                    throw new SpecException(where + " " + this + " does not give integers: the step (" + b + " - " + a + ") / "
                            + (num - 1) + " is not whole; choose num so that num - 1 divides " + (b - a)
                            + divisors(Math.abs(b - a)) + ", or list the values");
                }
                long step = (b - a) / (num - 1);
                for (int i = 0; i < num; i++) out.add((int) (a + i * step));
                return out;
            }
            for (int i = 0; i < num; i++) {
                double x = raw(i);
                if (setting.type == Integer.class) {
                    double r = Math.rint(x);
                    if (Math.abs(x - r) > 1e-9 * Math.abs(x)) {
                        throw new SpecException(where + " " + this + " does not give integers: value " + i + " is " + x
                                + "; choose from, to and num so that every value is whole, or list the values");
                    }
                    out.add((int) r);
                } else {
                    out.add(i == 0 || i == num - 1 ? x : Decimals.roundRange(x));
                }
            }
            return out;
        }

        /**
         * The values the previous release generated (for {@link PointIds#legacy}): doubles
         * unrounded, integers rounded to the nearest and de-duplicated.
         */
        List<Object> legacyValues(Setting setting) {
            List<Object> out = new ArrayList<>(num);
            for (int i = 0; i < num; i++) {
                double x = raw(i);
                Object v = setting.type == Integer.class ? (Object) (int) Math.round(x) : (Object) x;
                if (!out.contains(v)) out.add(v);
            }
            return out;
        }

        /** Value i as computed in double arithmetic, the ends exact. */
        private double raw(int i) {
            if (i == 0) return from;
            if (i == num - 1) return to;
            double t = (double) i / (num - 1);
            return log ? Math.exp(Math.log(from) + t * (Math.log(to) - Math.log(from))) : from + t * (to - from);
        }

        private static String divisors(long span) {
            if (span == 0 || span > 10_000) return "";
            StringBuilder sb = new StringBuilder();
            int shown = 0;
            for (long d = 1; d <= span && shown < 6; d++) {
                if (span % d == 0) {
                    sb.append(sb.length() == 0 ? "" : ", ").append(d + 1);
                    shown++;
                }
            }
            return " (num " + sb + (shown == 6 ? ", ..." : "") + ")";
        }

        @Override
        public String toString() {
            return "{from: " + num(from) + ", to: " + num(to) + ", num: " + num + (log ? ", scale: log" : "") + "}";
        }

        private static String num(double x) {
            return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
        }
    }
}
