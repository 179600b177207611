package org.sharpsweep.worker;

import java.util.LinkedHashMap;
import java.util.Map;

import org.sharpsweep.sweeps.GridPoint;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.Setting;

/**
 * One row of the results table (DESIGN.md section 6), as column name to value in
 * {@link ResultSchema#columns()} order. Values are String, Integer, Long, Double, Boolean,
 * {@link java.time.Instant} or null. The driver turns it into a Spark row; {@code sharpsweep
 * point} prints it as JSON.
 */
public final class ResultRow {
    private ResultRow() {
    }

    public static Map<String, Object> of(String sweepId, GridPoint point, PointResult r) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (ResultSchema.Column c : ResultSchema.columns()) row.put(c.name(), null);
        row.put(ResultSchema.SWEEP_ID, sweepId);
        row.put(ResultSchema.POINT_ID, point.pointId());
        row.put(ResultSchema.POINT_INDEX, point.index());
        row.put(ResultSchema.STATUS, r.status().name());
        row.put(ResultSchema.ERROR, r.error());
        Setting.flatten(point.spec()).forEach((s, v) -> {
            if (s.appliesTo(point.spec())) row.put(s.shortName, s.toColumn(v));
        });
        row.put(ResultSchema.SEED, point.seed());
        row.put(ResultSchema.REPLICATE, point.replicate());

        row.put(ResultSchema.TRAIN_LOSS, r.trainLoss());
        row.put(ResultSchema.TEST_LOSS, r.testLoss());
        row.put(ResultSchema.TRAIN_ACC, r.trainAcc());
        row.put(ResultSchema.TEST_ACC, r.testAcc());
        row.put(ResultSchema.GEN_GAP_LOSS, r.genGapLoss());
        row.put(ResultSchema.GEN_GAP_ACC, r.genGapAcc());
        row.put(ResultSchema.SHARPNESS, r.sharpness());
        row.put(ResultSchema.SHARPNESS_RESIDUAL, r.sharpnessResidual());
        row.put(ResultSchema.SHARPNESS_ITERS, r.sharpnessIters());
        row.put(ResultSchema.NONUNIFORMITY, r.nonuniformity());
        row.put(ResultSchema.NONUNIFORMITY_RESIDUAL, r.nonuniformityResidual());
        row.put(ResultSchema.NONUNIFORMITY_ITERS, r.nonuniformityIters());
        row.put(ResultSchema.NONUNIFORMITY_N, r.nonuniformityN());
        row.put(ResultSchema.SHARPNESS_BOUND, r.sharpnessBound());
        row.put(ResultSchema.NONUNIFORMITY_BOUND, r.nonuniformityBound());
        row.put(ResultSchema.STABILITY_MAX_EIG, r.stabilityMaxEig());
        row.put(ResultSchema.STABILITY_RESIDUAL, r.stabilityResidual());
        row.put(ResultSchema.STABILITY_ITERS, r.stabilityIters());
        row.put(ResultSchema.PARAM_NORM, r.paramNorm());
        row.put(ResultSchema.GRAD_NORM, r.gradNorm());
        row.put(ResultSchema.NUM_PARAMS, r.numParams());
        row.put(ResultSchema.STEPS_DONE, r.stepsDone());
        row.put(ResultSchema.DIVERGED_AT_STEP, r.divergedAtStep());

        row.put(ResultSchema.ENGINE_VERSION, r.engineVersion());
        row.put(ResultSchema.BACKEND, r.backend());
        row.put(ResultSchema.DEVICE, r.device());
        row.put(ResultSchema.BLAS_CORE, r.blasCore());
        row.put(ResultSchema.EXECUTOR_HOST, r.executorHost());
        row.put(ResultSchema.TRAIN_SECONDS, r.trainSeconds());
        row.put(ResultSchema.MEASURE_SECONDS, r.measureSeconds());
        row.put(ResultSchema.START_TIME, r.startTime());
        if (row.size() != ResultSchema.columns().size()) {
            throw new IllegalStateException("result row has columns the schema does not: " + row.keySet());
        }
        return row;
    }
}
