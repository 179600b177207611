package org.sharpsweep.sweeps;

import java.util.List;

/**
 * Every default of the sweep spec, in one place: the YAML parser and the Java API read these
 * constants, so they cannot drift.
 */
public final class Defaults {
    private Defaults() {
    }

    public static final long SEED = 0L;

    public static final Dataset DATASET = Dataset.TEACHER;
    public static final Target TARGET = Target.SINGLE_NEURON;
    public static final int INPUT_DIM = 20;
    /** Only data sets read from files need a path; the teacher data set needs none. */
    public static final String PATH = null;
    public static final int N_TRAIN = 200;
    public static final int N_TEST = 1000;
    /** Empty means every class of the data set. */
    public static final List<Integer> CLASSES = List.of();
    public static final double LABEL_NOISE = 0.0;
    /** Image inputs at pixel/255 in [0, 1], as Wu, Ma &amp; E. */
    public static final InputScale INPUT_SCALE = InputScale.UNIT;

    public static final int DEPTH = 1;
    public static final int WIDTH = 50;
    public static final Activation ACTIVATION = Activation.RELU;
    public static final Init INIT = Init.DEFAULT;
    /** A fully connected network; {@code cnn} puts convolution blocks before the dense layers. */
    public static final Family FAMILY = Family.MLP;
    /** cnn only: convolution blocks, block i with {@code channels * 2^i} output channels. */
    public static final int CONV_BLOCKS = 2;
    public static final int CHANNELS = 16;
    /** cnn only: k x k kernels, stride 1, zero padding k/2 (odd k keeps the image size). */
    public static final int KERNEL = 3;
    /** cnn only: 2x2 pooling with stride 2 after each block. */
    public static final Pool POOL = Pool.MAX;

    public static final Loss LOSS = Loss.MSE;

    public static final int STEPS = 1000;
    /** 0: {@code steps} counts the updates; E > 0: E passes over the training set instead. */
    public static final int EPOCHS = 0;
    public static final double LR = 0.1;
    /** Null: {@code lr} is the learning rate; a number x: the learning rate is x times 2/lambda_0 of each point. */
    public static final Double LR_IN_2_OVER_LAMBDA0 = null;
    /** 0 stands for "the whole training set": full-batch gradient descent. */
    public static final int BATCH_SIZE = 0;
    public static final double MOMENTUM = 0.0;
    /** Plain steps with the minibatch gradient at theta; {@code sam}: at the SAM perturbation theta + e ({@link Optimizer}). */
    public static final Optimizer OPTIMIZER = Optimizer.SGD;
    /** SAM's radius rho (a common choice for SAM since Foret et al. 2021; docs/science.md, "Optimizer"). */
    public static final double SAM_RHO = 0.05;
    /** false: SAM's ball is Euclidean (T = I); true: scaled by |theta| (ASAM, T = diag(|theta|)). */
    public static final boolean SAM_ADAPTIVE = false;
    /** A training loss above this (or NaN/Inf) ends the point with status DIVERGED. */
    public static final double DIVERGENCE_LOSS = 1.0e3;
    /** Null: train every step; a number: stop after the first epoch whose mean minibatch loss is below it. */
    public static final Double STOP_AT_LOSS = null;
    /** Training in double precision; measurements are always double. */
    public static final DType DTYPE = DType.FLOAT64;
    /** Null: start from the initialization; a sweep name: start from the saved final parameters of its point {@link #FROM_POINT}. */
    public static final String FROM_SWEEP = null;
    public static final String FROM_POINT = null;
    /** Each point in one Spark task; {@code data}: one point over several workers ({@link Parallel}). */
    public static final Parallel PARALLEL = Parallel.NONE;
    /** Spark workers of a data-parallel point; 1 (and only 1) without {@code parallel: data}. */
    public static final int WORKERS = 1;
    /** Compatible points train together, one task per group ({@link Lockstep}). */
    public static final Lockstep LOCKSTEP = Lockstep.AUTO;

    public static final PenaltyKind PENALTY = PenaltyKind.NONE;
    public static final double PENALTY_COEF = 0.0;
    /** 0: the gradnorm penalty is taken on the whole minibatch; b > 0: averaged over its micro-batches of b samples. */
    public static final int PENALTY_MICROBATCH = 0;
    /** false: the penalty's lambda is coef; true: lambda = coef x train.lr (SGD's implicit regularizer has coef 1). */
    public static final boolean PENALTY_SCALE_WITH_LR = false;

    public static final boolean SHARPNESS = true;
    public static final boolean NONUNIFORMITY = true;
    /** Lanczos stops when the relative residual |beta_k e_k^T y| / |theta| is at most this. */
    public static final double TOL = 1.0e-4;
    public static final int MAX_ITERS = 100;
    /** 0 means all n_train samples enter the non-uniformity. */
    public static final int NONUNIFORMITY_SAMPLES = 0;
    /** 0: measure only at the end; K > 0: also at step 0 and every K steps (the trajectories table). */
    public static final int EVERY = 0;
    /** 0: no window statistics; W > 0: sharpness mean, min and max over the measurements of the last W steps. */
    public static final int WINDOW = 0;
    /** With {@code measure.every}, the curvature measures that can run along training do. */
    public static final boolean ALONG_CURVATURE = true;
    /** Top eigenvalues of the Hessian by Lanczos into the spectra table; 0 = none. */
    public static final int TOP_K = 0;
    /** The Hessian's spectral density by stochastic Lanczos quadrature into the spectra table, off by default. */
    public static final boolean DENSITY = false;
    /** Keep the final parameters in the params table (needed by train.from_sweep and sharpsweep measure). */
    public static final boolean SAVE_PARAMS = false;

    // m-sharpness at finite rho (measure.m_sharpness): the defaults of Andriushchenko et al.'s
    // eval_sharpness.py (docs/science.md, "m-sharpness")
    /** Radius of the perturbation ball (their --rho). */
    public static final double M_SHARPNESS_RHO = 0.1;
    /** Training samples per batch B (their --bs_sharpness). */
    public static final int M_SHARPNESS_M = 128;
    /** Whether the ball is scaled by |theta| (their --adaptive, off). */
    public static final boolean M_SHARPNESS_ADAPTIVE = false;
    /** The ball's norm, l2 or linf (their default --algorithm m_apgd_linf). */
    public static final String M_SHARPNESS_NORM = "linf";
    /** APGD iterations per batch, and Gaussian draws per batch of the average case (their --n_iters). */
    public static final int M_SHARPNESS_ITERS = 20;
    /** Leading training samples the batches are cut from (their --n_eval_sharpness). */
    public static final int M_SHARPNESS_SAMPLES = 1024;

    // batch sharpness along SGD (measure.batch_sharpness; docs/science.md, "Batch sharpness")
    /**
     * Random minibatches the mean is over: 32 gradients and 32 Hessian-vector products on B rows
     * per measurement (for B = n / 4 the work of 8 of each on all n rows, less than a Lanczos run
     * of the sharpness), for a standard error of about a sixth of the ratios' spread (reported
     * beside it); more than the reference's minimum of 10 draws (docs/science.md).
     */
    public static final int BATCH_SHARPNESS_BATCHES = 32;
}
