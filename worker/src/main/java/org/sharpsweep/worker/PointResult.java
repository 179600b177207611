package org.sharpsweep.worker;

import java.time.Instant;

import org.sharpsweep.sweeps.Status;

/**
 * What one grid point produced: immutable, with provenance. A metric that was not computed is
 * null (a DIVERGED point has no final metrics; {@code measure.sharpness: false} leaves the
 * sharpness null), never a made-up number.
 */
public record PointResult(
        Status status, String error,
        Double trainLoss, Double testLoss, Double trainAcc, Double testAcc,
        Double sharpness, Double sharpnessResidual, Integer sharpnessIters,
        Double nonuniformity, Double nonuniformityResidual, Integer nonuniformityIters, Integer nonuniformityN,
        Double sharpnessBound, Double nonuniformityBound,
        Double stabilityMaxEig, Double stabilityResidual, Integer stabilityIters,
        Double paramNorm, Double gradNorm, Integer numParams, Integer stepsDone, Integer divergedAtStep,
        String engineVersion, String backend, String device, String blasCore, String executorHost,
        Double trainSeconds, Double measureSeconds, Instant startTime) {

    /** A point that failed before producing anything, e.g. when its Spark task was lost. */
    public static PointResult failed(String error, Instant start) {
        return new PointResult(Status.FAILED, error, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, Backend.engineVersion(), null, null, null,
                null, null, null, start);
    }

    public Double genGapLoss() {
        return trainLoss == null || testLoss == null ? null : testLoss - trainLoss;
    }

    public Double genGapAcc() {
        return trainAcc == null || testAcc == null ? null : trainAcc - testAcc;
    }
}
