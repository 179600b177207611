package org.sharpsweep.sweeps;

/**
 * Minibatch SGD with reshuffling every epoch; {@code batchSize == n_train} is full-batch GD.
 *
 * @param steps          number of parameter updates (when {@code epochs > 0}, {@link PointSpec}
 *                       sets it to epochs x floor(n_train / B))
 * @param lr             learning rate eta
 * @param batchSize      minibatch size B, drawn without replacement
 * @param momentum       heavy-ball momentum (0 = plain SGD, the default)
 * @param divergenceLoss a minibatch loss above this (or NaN/Inf) ends the point as DIVERGED
 * @param epochs         passes over the training set, each floor(n_train / B) steps (the last
 *                       n_train mod B samples of each permutation sit out); 0: {@code steps} counts
 * @param dtype          floating-point type of training: data, parameters and buffers (see {@link DType})
 * @param fromSweep      null, or the sweep (in the same results table) whose point {@code fromPoint}
 *                       saved the final parameters this point starts from instead of an initialization
 * @param fromPoint      that point's id (results.point_id); given with fromSweep or not at all
 * @param parallel       how the training is spread: each point in one task, or one point data-parallel
 *                       ({@link Parallel}); how, not what: not in the point id
 * @param workers        the Spark workers of a data-parallel point (each takes batchSize / workers
 *                       rows of every batch); 1 without {@code parallel: data}
 * @param lockstep       whether the point may train in a group with compatible points ({@link Lockstep});
 *                       how, not what: not in the point id
 */
public record TrainSpec(int steps, double lr, int batchSize, double momentum, double divergenceLoss, int epochs,
                        DType dtype, String fromSweep, String fromPoint, Parallel parallel, int workers, Lockstep lockstep)
        implements java.io.Serializable {
    public TrainSpec {
        if (lockstep == null) throw new SpecException("train.lockstep must be auto or off, got null");
        if (parallel == null) throw new SpecException("train.parallel must be none or data, got null");
        if (workers < 1) throw new SpecException("train.workers must be >= 1, got " + workers);
        if (parallel == Parallel.NONE && workers != 1) {
            throw new SpecException("train.workers " + workers + " needs train.parallel: data (it is the number of Spark workers "
                    + "one data-parallel point is trained on); without it each point runs in one task");
        }
        if ((fromSweep != null && fromSweep.isBlank()) || (fromPoint != null && fromPoint.isBlank())) {
            throw new SpecException("train.from_sweep and train.from_point must not be blank");
        }
        if (dtype == null) throw new SpecException("train.dtype must be float64 or float32, got null");
        if (steps < 0) throw new SpecException("train.steps must be >= 0, got " + steps);
        if (epochs < 0) throw new SpecException("train.epochs must be >= 0, got " + epochs);
        if (!(lr > 0) || Double.isInfinite(lr)) throw new SpecException("train.lr must be > 0 and finite, got " + lr);
        if (batchSize < 0) throw new SpecException("train.batch_size must be >= 1, got " + batchSize);
        if (!(momentum >= 0 && momentum < 1)) throw new SpecException("train.momentum must be in [0, 1), got " + momentum);
        if (!(divergenceLoss > 0)) throw new SpecException("train.divergence_loss must be > 0, got " + divergenceLoss);
    }

    /** Spread as given, grouped by {@code train.lockstep}'s default. */
    public TrainSpec(int steps, double lr, int batchSize, double momentum, double divergenceLoss, int epochs,
                     DType dtype, String fromSweep, String fromPoint, Parallel parallel, int workers) {
        this(steps, lr, batchSize, momentum, divergenceLoss, epochs, dtype, fromSweep, fromPoint, parallel, workers, Defaults.LOCKSTEP);
    }

    /** Each point in one task. */
    public TrainSpec(int steps, double lr, int batchSize, double momentum, double divergenceLoss, int epochs,
                     DType dtype, String fromSweep, String fromPoint) {
        this(steps, lr, batchSize, momentum, divergenceLoss, epochs, dtype, fromSweep, fromPoint, Defaults.PARALLEL, Defaults.WORKERS, Defaults.LOCKSTEP);
    }

    /** A fixed number of steps, in float64. */
    public TrainSpec(int steps, double lr, int batchSize, double momentum, double divergenceLoss) {
        this(steps, lr, batchSize, momentum, divergenceLoss, 0, Defaults.DTYPE);
    }

    /** From an initialization. */
    public TrainSpec(int steps, double lr, int batchSize, double momentum, double divergenceLoss, int epochs, DType dtype) {
        this(steps, lr, batchSize, momentum, divergenceLoss, epochs, dtype, null, null);
    }

    /** This spec trained in one task ({@code parallel: none}, one worker), the other settings kept. */
    public TrainSpec alone() {
        return new TrainSpec(steps, lr, batchSize, momentum, divergenceLoss, epochs, dtype, fromSweep, fromPoint, Parallel.NONE, 1, lockstep);
    }

    /** Whether the point is trained data-parallel over several Spark workers. */
    public boolean dataParallel() {
        return parallel == Parallel.DATA;
    }

    /** Whether the point starts from another point's saved parameters. */
    public boolean fromSaved() {
        return fromSweep != null;
    }

    /** In float64. */
    public TrainSpec(int steps, double lr, int batchSize, double momentum, double divergenceLoss, int epochs) {
        this(steps, lr, batchSize, momentum, divergenceLoss, epochs, Defaults.DTYPE);
    }

    /** This spec with {@code steps} and {@code batchSize} replaced (the other settings kept). */
    TrainSpec withStepsAndBatch(int newSteps, int newBatchSize) {
        return new TrainSpec(newSteps, lr, newBatchSize, momentum, divergenceLoss, epochs, dtype, fromSweep, fromPoint, parallel, workers, lockstep);
    }
}
