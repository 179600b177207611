package org.sharpsweep.sweeps;

/**
 * Minibatch SGD (or SAM, {@link #optimizer}) with reshuffling every epoch;
 * {@code batchSize == n_train} is full-batch GD: the {@code train} settings of a {@link Settings}.
 */
public final class TrainSpec extends SettingsView {
    private static final long serialVersionUID = 1L;

    TrainSpec(Settings settings) {
        super(settings, "train");
    }

    /** Number of parameter updates (when {@code epochs > 0}, {@link PointChecks} sets it to epochs x floor(n_train / B)). */
    public int steps() {
        return settings.intValue(Setting.STEPS);
    }

    /** Learning rate eta. */
    public double lr() {
        return settings.doubleValue(Setting.LR);
    }

    /**
     * Null, or the learning rate as a multiple of 2/lambda_0 ({@code train.lr_in_2_over_lambda0}):
     * {@link #lr} is then a placeholder until the point has measured lambda_0 and resolved it
     * ({@link GridPoint#withLr}).
     */
    public Double lrIn2OverLambda0() {
        return (Double) settings.get(Setting.LR_IN_2_OVER_LAMBDA0);
    }

    /** Minibatch size B, drawn without replacement (0 before a point resolves it to n_train: full batch). */
    public int batchSize() {
        return settings.intValue(Setting.BATCH_SIZE);
    }

    /** Heavy-ball momentum (0 = plain SGD, the default). */
    public double momentum() {
        return settings.doubleValue(Setting.MOMENTUM);
    }

    /** The update rule: {@code sgd} or {@code sam} ({@link Optimizer}). */
    public Optimizer optimizer() {
        return (Optimizer) settings.get(Setting.OPTIMIZER);
    }

    /** Whether steps are SAM's (the gradient at the perturbed parameters theta + e). */
    public boolean sam() {
        return optimizer() == Optimizer.SAM;
    }

    /** SAM's radius rho, > 0 (its default for sgd, where it does not apply). */
    public double samRho() {
        return settings.doubleValue(Setting.SAM_RHO);
    }

    /** Whether SAM's ball is scaled by |theta| (ASAM); false for sgd, where it does not apply. */
    public boolean samAdaptive() {
        return settings.booleanValue(Setting.SAM_ADAPTIVE);
    }

    /** A minibatch loss above this (or NaN/Inf) ends the point as DIVERGED. */
    public double divergenceLoss() {
        return settings.doubleValue(Setting.DIVERGENCE_LOSS);
    }

    /**
     * Null, or the loss that ends training early: after the first epoch (floor(n_train / B)
     * steps, one for full-batch GD) whose minibatch losses, each at the parameters before its
     * step, have a mean below it. {@link #steps} is then the most a point takes.
     */
    public Double stopAtLoss() {
        return (Double) settings.get(Setting.STOP_AT_LOSS);
    }

    /**
     * Passes over the training set, each floor(n_train / B) steps (the last n_train mod B samples
     * of each permutation sit out); 0: {@code steps} counts.
     */
    public int epochs() {
        return settings.intValue(Setting.EPOCHS);
    }

    /** Floating-point type of training: data, parameters and buffers (see {@link DType}). */
    public DType dtype() {
        return (DType) settings.get(Setting.DTYPE);
    }

    /**
     * Null, or the sweep (in the same results table) whose point {@link #fromPoint} saved the
     * final parameters this point starts from instead of an initialization.
     */
    public String fromSweep() {
        return (String) settings.get(Setting.FROM_SWEEP);
    }

    /** That point's id (results.point_id); given with fromSweep or not at all. */
    public String fromPoint() {
        return (String) settings.get(Setting.FROM_POINT);
    }

    /** How the training is spread: each point in one task, or one point data-parallel ({@link Parallel}); not in the point id. */
    public Parallel parallel() {
        return (Parallel) settings.get(Setting.PARALLEL);
    }

    /** The Spark workers of a data-parallel point (each takes batchSize / workers rows of every batch); 1 without {@code parallel: data}. */
    public int workers() {
        return settings.intValue(Setting.WORKERS);
    }

    /** Whether the point may train in a group with compatible points ({@link Lockstep}); not in the point id. */
    public Lockstep lockstep() {
        return (Lockstep) settings.get(Setting.LOCKSTEP);
    }

    /** Whether the point is trained data-parallel over several Spark workers. */
    public boolean dataParallel() {
        return parallel() == Parallel.DATA;
    }

    /** Whether the point starts from another point's saved parameters. */
    public boolean fromSaved() {
        return fromSweep() != null;
    }
}
