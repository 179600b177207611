package org.sharpsweep.analysis;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;

/**
 * How the points that fall into one heatmap cell (the same x and y, different values of the
 * other axes, typically seed replicates) become one number. Nulls are ignored; {@link #MEDIAN}
 * is Spark's exact {@code median} (the mean of the two middle values for an even count).
 */
public enum Aggregation {
    MEAN, MEDIAN, MIN, MAX;

    /** The Spark SQL aggregate of {@code c}. */
    Column of(Column c) {
        return switch (this) {
            case MEAN -> functions.avg(c);
            case MEDIAN -> functions.median(c);
            case MIN -> functions.min(c);
            case MAX -> functions.max(c);
        };
    }

    /** Lower-case name, as written on the command line and in titles. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code mean | median | min | max}, any case. */
    public static Aggregation parse(String s) {
        if (s != null) {
            for (Aggregation a : values()) if (a.word().equalsIgnoreCase(s.trim())) return a;
        }
        throw new IllegalArgumentException("agg must be one of "
                + Arrays.stream(values()).map(Aggregation::word).collect(Collectors.joining(", ")) + ", got " + s);
    }
}
