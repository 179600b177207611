package org.sharpsweep.driver;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.sharpsweep.store.KeptSpecs;
import org.sharpsweep.store.TableFiles;
import org.sharpsweep.sweeps.GridPoint;
import org.sharpsweep.sweeps.PointSpec;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.Setting;
import org.sharpsweep.sweeps.SweepSpec;

/**
 * Checks the points that start from saved parameters ({@code train.from_sweep}/{@code from_point})
 * against their sources, with the table's files alone (the sources' kept specs, no Spark), so that
 * a wrong source is refused before a Spark session starts (docs/spec.md, "Starting from saved
 * parameters"): the source sweep must be in the table, the point one of its points, and of the
 * same network on the same data as the restart ({@link #SAME}). A parameter vector means something only for the network and data it was
 * trained on: the same number of parameters read by another activation, another family's layout
 * or against other inputs trains another network from it, silently.
 *
 * <p>Whether the point has saved parameters (its status, {@code measure.save_params} when it ran)
 * is in the tables, not in the kept spec: {@link SavedParams} reads those once the session is open.
 */
final class RestartSources {
    private RestartSources() {
    }

    /**
     * The settings that must be the source's: those that give the parameter vector its meaning
     * (the network: family, depth, width, activation, init, as mean-field scales the output by
     * 1/width, and the cnn's blocks, channels, kernel and pool) and the data it was trained on
     * (data set, teacher target and input dimension, n_train, classes, label noise, input
     * scaling). Everything else may differ on purpose: how the restart optimizes (lr, batch
     * size, steps or epochs, momentum, optimizer (SAM or not), divergence_loss, dtype: the layout does not depend on
     * the precision), its objective (loss, penalty), n_test and the data path, and how it is
     * executed. Settings that do not apply to both points ({@link Setting#appliesTo}) compare
     * as absent.
     */
    static final List<Setting> SAME = List.of(
            Setting.FAMILY, Setting.DEPTH, Setting.WIDTH, Setting.ACTIVATION, Setting.INIT,
            Setting.CONV_BLOCKS, Setting.CHANNELS, Setting.KERNEL, Setting.POOL,
            Setting.DATASET, Setting.TARGET, Setting.INPUT_DIM, Setting.N_TRAIN, Setting.CLASSES,
            Setting.LABEL_NOISE, Setting.INPUT_SCALE);

    /**
     * @throws IllegalArgumentException naming the source when {@code dir} holds no such sweep or
     *                                  point, or naming the first setting of {@link #SAME} that
     *                                  differs, with both values
     */
    static void check(TableFiles table, String dir, List<GridPoint> points) {
        Map<String, SweepSpec> specs = new LinkedHashMap<>();
        Map<String, Map<String, Integer>> byId = new LinkedHashMap<>();
        for (GridPoint p : points) {
            if (!p.spec().train().fromSaved()) continue;
            String sweep = p.spec().train().fromSweep(), point = p.spec().train().fromPoint();
            Map<String, Integer> ids = byId.get(sweep);
            if (ids == null) {
                SweepSpec spec = sourceSpec(table, dir, sweep);
                specs.put(sweep, spec);
                ids = KeptSpecs.indicesById(spec);
                byId.put(sweep, ids);
            }
            Integer index = ids.get(point);
            GridPoint source = index == null ? null : specs.get(sweep).points().get(index);
            if (source == null) {
                throw new IllegalArgumentException("train.from_point: sweep '" + sweep + "' in " + dir + " has no point '" + point
                        + "' (its points: sharpsweep sql " + dir + " \"SELECT point_id, lr, batch_size FROM results WHERE sweep_id = '"
                        + sweep + "'\")");
            }
            String diff = firstDifference(source.spec(), p.spec());
            if (diff != null) {
                throw new IllegalArgumentException("train.from_point: point '" + point + "' of sweep '" + sweep + "' was trained with "
                        + diff.replace("%s", "point " + p.index()) + "; a restart continues the source's network on the source's data, so "
                        + "its network and data settings must be the source's (" + names() + "; lr, batch size, steps, momentum, "
                        + "dtype, loss and penalty may differ)");
            }
        }
    }

    /**
     * The first setting of {@link #SAME} in which {@code restart} differs from {@code source},
     * as {@code "model.activation relu, but %s has tanh"} ({@code %s} for the restart point), or null.
     */
    static String firstDifference(PointSpec source, PointSpec restart) {
        Map<Setting, Object> a = source.settings().values(), b = restart.settings().values();
        for (Setting s : SAME) {
            Object va = s.appliesTo(source) ? s.toColumn(a.get(s)) : null;
            Object vb = s.appliesTo(restart) ? s.toColumn(b.get(s)) : null;
            if (!Objects.equals(va, vb)) {
                return s.path() + " " + shown(va) + ", but %s has " + s.path() + " " + shown(vb);
            }
        }
        return null;
    }

    private static String shown(Object v) {
        return v == null ? "(none)" : String.valueOf(v);
    }

    private static String names() {
        return String.join(", ", SAME.stream().map(s -> s.shortName).toList());
    }

    /** The kept spec of the source sweep, or an error saying the table does not hold that sweep. */
    private static SweepSpec sourceSpec(TableFiles table, String dir, String sweep) {
        SweepSpec kept = table.keptSpec(sweep);
        if (kept != null) return kept;
        if (table.hasKeptSpec(sweep)) {
            throw new IllegalArgumentException("train.from_sweep: the spec kept for sweep '" + sweep + "' (" + dir + "/"
                    + ResultSchema.specFile(sweep) + ") no longer reads, so its network and data cannot be checked against this "
                    + "spec's; run that sweep again with --restart");
        }
        if (!table.holdsTable()) {
            throw new IllegalArgumentException("train.from_sweep: " + dir + " holds no results table, so no saved parameters of "
                    + sweep + "; run that sweep into " + dir + " with measure.save_params: true first");
        }
        throw new IllegalArgumentException("train.from_sweep: no sweep '" + sweep + "' in " + dir
                + "; run it there with measure.save_params: true first");
    }
}
