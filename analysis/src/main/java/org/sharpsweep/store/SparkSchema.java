package org.sharpsweep.store;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.sharpsweep.sweeps.ResultSchema;

/** The tables of {@link ResultSchema} as Spark SQL schemas. Every column is nullable. */
public final class SparkSchema {
    private SparkSchema() {
    }

    public static DataType sparkType(ResultSchema.Type t) {
        return switch (t) {
            case STRING -> DataTypes.StringType;
            case INT -> DataTypes.IntegerType;
            case LONG -> DataTypes.LongType;
            case DOUBLE -> DataTypes.DoubleType;
            case BOOLEAN -> DataTypes.BooleanType;
            case TIMESTAMP -> DataTypes.TimestampType;
            case DOUBLE_ARRAY -> DataTypes.createArrayType(DataTypes.DoubleType, false);
        };
    }

    /** All columns in {@link ResultSchema#columns()} order, {@code sweep_id} included. */
    public static StructType results() {
        return of(ResultSchema.RESULTS);
    }

    /** All columns of a table in its order, {@code sweep_id} included. */
    public static StructType of(ResultSchema.Table table) {
        List<StructField> fields = new ArrayList<>();
        for (ResultSchema.Column c : table.columns()) {
            fields.add(DataTypes.createStructField(c.name(), sparkType(c.type()), true));
        }
        return DataTypes.createStructType(fields);
    }
}
