package org.sharpsweep.driver;

import java.util.List;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * The colour column of the per-point tables that the picture commands print ({@code trajectory},
 * {@code density}): numeric when every value is a number (or null), else text.
 */
record ColourColumn(String name, boolean numeric) {
    static ColourColumn of(String name, List<Object> values) {
        return new ColourColumn(name, values.stream().allMatch(v -> v == null || v instanceof Number));
    }

    StructField field() {
        return DataTypes.createStructField(name, numeric ? DataTypes.DoubleType : DataTypes.StringType, true);
    }

    /** A value as a cell of {@link #field}. */
    Object cell(Object value) {
        return value == null ? null : numeric ? ((Number) value).doubleValue() : String.valueOf(value);
    }
}
