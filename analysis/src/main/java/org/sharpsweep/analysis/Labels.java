package org.sharpsweep.analysis;

import java.util.Map;

import org.sharpsweep.sweeps.ResultSchema;

/** Names a reader understands without the spec: metric titles (declared with their columns, {@link ResultSchema#label}), axis titles, legend symbols. */
final class Labels {
    private Labels() {
    }

    private static final Map<String, String> AXES = Map.ofEntries(
            Map.entry("lr", "learning rate lr"),
            Map.entry("batch_size", "batch size B"),
            Map.entry("penalty_coef", "penalty coefficient λ"),
            Map.entry("n_train", "training samples n"),
            Map.entry("label_noise", "label-noise fraction"),
            Map.entry(ResultSchema.REPLICATE, "seed replicate"));

    /** A metric's title, e.g. {@code sharpness λmax(H)}; the column name itself when it has none. */
    static String metric(String column) {
        return ResultSchema.label(column);
    }

    /** An axis title: the column name with what it means where that is not obvious, e.g. {@code batch size B}. */
    static String axis(String column) {
        return AXES.getOrDefault(column, column.replace('_', ' '));
    }

    /** The symbol of a setting in a legend entry such as {@code B = 50}: B, λ, else the column name. */
    static String symbol(String column) {
        return switch (column) {
            case "batch_size" -> "B";
            case "penalty_coef" -> "λ";
            default -> column;
        };
    }

    /** The short name in titles that list aggregated axes: {@code seed replicate}, else the column name. */
    static String aggregated(String column) {
        return ResultSchema.REPLICATE.equals(column) ? "seed replicates" : column;
    }
}
