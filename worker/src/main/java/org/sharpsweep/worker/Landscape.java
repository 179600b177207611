package org.sharpsweep.worker;

import java.io.Serializable;
import java.util.Map;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.sweeps.GridPoint;
import org.sharpsweep.sweeps.PointSpec;
import org.sharpsweep.sweeps.Seeds;
import org.sharpsweep.worker.blas.Blas;
import org.sharpsweep.worker.curvature.Lanczos;
import org.sharpsweep.worker.data.Data;
import org.sharpsweep.worker.measure.Gaussian;
import org.sharpsweep.worker.model.Model;

/**
 * The loss landscape around a point's saved final parameters theta (docs/science.md, "Loss
 * landscapes"): the training and test loss L(theta + alpha d) along three lines and, on request,
 * on a plane.
 *
 * <ul>
 *   <li>{@code eigenvector}: d = s v, v the unit top eigenvector of the training Hessian at theta
 *       (Lanczos from the seed stream the sharpness measure uses, so the same v), its sign as
 *       Lanczos returns it;</li>
 *   <li>{@code random}: d a filter-normalized Gaussian direction (Li et al. 2018, section 4; the
 *       reference's {@code normalize_directions_for_weights(norm='filter', ignore='biasbn')}):
 *       each filter of d (a column of a dense W [in, out], the weights into one output unit; an
 *       output channel of a convolution kernel [out, in, k, k]) rescaled to the norm of the same
 *       filter of theta, d_f := d_f ||theta_f|| / (||d_f|| + 1e-10), biases zeroed;</li>
 *   <li>{@code path}: theta_0 + alpha (theta - theta_0), the straight line from the initial
 *       parameters (Goodfellow, Vinyals & Saxe 2015), alpha = 0 the start and alpha = 1 theta;
 *       theta_0 is rebuilt exactly as the run drew it (its init seed), or for a point that
 *       started from saved parameters ({@code train.from_sweep}) those parameters, passed in.</li>
 * </ul>
 *
 * The two directions have one length, s = ||theta_W||, the norm of theta's weights (biases left
 * out), which is the random direction's length up to the 1e-10 of its normalization; so alpha
 * moves the same distance on both. The plane is theta + a d_x + b d_y with d_x the random
 * direction above and d_y a second one from its own seed stream. Every loss is float64 over the
 * whole training subset and the whole held-out set, without penalty (the {@code train_loss} and
 * {@code test_loss} convention), so the value at alpha = 0 is the point's {@code train_loss}.
 *
 * <p>No Spark: {@code sharpsweep landscape} calls {@link #compute} on an executor. Safe to call
 * from several threads (each call builds its own model).
 */
public final class Landscape {
    /** Default alpha range and number of grid values of the lines along the directions and of the plane's axes. */
    public static final double FROM = -1.0;
    public static final double TO = 1.0;
    public static final int STEPS = 51;
    /** The path's alpha range: from half-way before the start to half-way beyond theta; its grid holds 0 and 1 ({@link #pathSteps}). */
    public static final double PATH_FROM = -0.5;
    public static final double PATH_TO = 1.5;
    /** The most grid values per axis (a plane of 401 x 401 is 160,801 losses of each kind). */
    public static final int MAX_STEPS = 401;

    private Landscape() {
    }

    /**
     * What to compute.
     *
     * @param from  alpha's first value along the directions (and on both plane axes)
     * @param to    its last value, > from
     * @param steps grid values, evenly spaced from {@code from} to {@code to}, in [3, {@link #MAX_STEPS}]
     * @param plane whether to compute the plane too
     */
    public record Options(double from, double to, int steps, boolean plane) implements Serializable {
        public Options {
            if (!Double.isFinite(from) || !Double.isFinite(to) || !(from < to)) {
                throw new IllegalArgumentException("range must be two finite numbers FROM < TO, got " + from + " to " + to);
            }
            if (steps < 3 || steps > MAX_STEPS) throw new IllegalArgumentException("steps must be in [3, " + MAX_STEPS + "], got " + steps);
        }

        /** [-1, 1] in 51 values, no plane. */
        public static Options defaults() {
            return new Options(FROM, TO, STEPS, false);
        }
    }

    /**
     * One line: the losses at each alpha.
     *
     * @param direction {@code eigenvector}, {@code random} or {@code path}
     */
    public record Line(String direction, double[] alpha, double[] train, double[] test) implements Serializable {
    }

    /**
     * The plane: {@code train[i][j]} and {@code test[i][j]} at theta + y[i] d_y + x[j] d_x.
     */
    public record Plane(double[] x, double[] y, double[][] train, double[][] test) implements Serializable {
    }

    /**
     * A point's landscape.
     *
     * @param trainLoss          L_train(theta), the value of every line at alpha = 0 but the path's
     * @param testLoss           L_test(theta)
     * @param startTrainLoss     L_train(theta_0), the path at alpha = 0
     * @param startTestLoss      L_test(theta_0)
     * @param start              where theta_0 came from: {@code initialization (seed N)} or the source point
     * @param sharpness          the eigenvalue of the eigenvector direction (lambda_max of H at theta)
     * @param sharpnessResidual  its Lanczos relative residual
     * @param directionNorm      s, the length of both directions (||theta_W||)
     * @param lines              eigenvector, random, path, in that order
     * @param plane              null unless asked for
     */
    public record Result(double trainLoss, double testLoss, double startTrainLoss, double startTestLoss, String start,
                         double sharpness, double sharpnessResidual, double directionNorm, java.util.List<Line> lines,
                         Plane plane) implements Serializable {
    }

    /**
     * The landscape of {@code point} around {@code theta}.
     *
     * @param theta       its saved final parameters (params table)
     * @param startParams for a point with {@code train.from_sweep}, the saved parameters it started
     *                    from; null otherwise
     * @throws IllegalArgumentException if theta does not fit the point's network, or a point that
     *                                  started from saved parameters is given none (or the others are given some)
     */
    public static Result compute(GridPoint point, double[] theta, double[] startParams, Options options) {
        Blas.prepare();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        PointSpec spec = point.spec();
        Data data = DataCache.get(spec.data(), point.sweepSeed());
        Model model = PointRunner.model(spec, data);
        if (theta.length != model.numParams()) {
            throw new IllegalArgumentException("saved parameters have " + theta.length + " values, the network " + model.numParams());
        }
        INDArray t = Nd4j.createFromArray(theta.clone());
        INDArray t0 = PointRunner.initialParams(model, point, startParams).castTo(DataType.DOUBLE);
        String start = spec.train().fromSaved()
                ? "saved parameters of point " + spec.train().fromPoint() + " of sweep " + spec.train().fromSweep()
                : "initialization (init seed " + point.initSeed() + ")";

        INDArray random = filterNormalized(model, t, Seeds.stream(point.seed(), "landscape-x"));
        double s = weightNorm(model, t);
        Curvature c = new Curvature(model, t, data.trainX(), data.trainY(), spec.nonuniformitySamples());
        Lanczos.Checked top = Lanczos.topChecked(c.hessian(), model.numParams(), spec.measure().tol(), spec.measure().maxIters(),
                Seeds.stream(point.seed(), "lanczos-hessian"));
        INDArray eigen = top.vector().castTo(DataType.DOUBLE).mul(s);

        double[] alpha = grid(options.from(), options.to(), options.steps());
        double[] pathAlpha = grid(PATH_FROM, PATH_TO, pathSteps(options.steps()));
        java.util.List<Line> lines = java.util.List.of(
                line(model, data, "eigenvector", t, eigen, alpha),
                line(model, data, "random", t, random, alpha),
                line(model, data, "path", t0, t.sub(t0), pathAlpha));
        Plane plane = null;
        if (options.plane()) {
            INDArray second = filterNormalized(model, t, Seeds.stream(point.seed(), "landscape-y"));
            double[][] tr = new double[alpha.length][alpha.length];
            double[][] te = new double[alpha.length][alpha.length];
            for (int i = 0; i < alpha.length; i++) {
                for (int j = 0; j < alpha.length; j++) {
                    INDArray p = t.add(random.mul(alpha[j])).addi(second.mul(alpha[i]));
                    tr[i][j] = model.loss(p, data.trainX(), data.trainY());
                    te[i][j] = model.loss(p, data.testX(), data.testY());
                }
            }
            plane = new Plane(alpha, alpha.clone(), tr, te);
        }
        return new Result(model.loss(t, data.trainX(), data.trainY()), model.loss(t, data.testX(), data.testY()),
                model.loss(t0, data.trainX(), data.trainY()), model.loss(t0, data.testX(), data.testY()), start,
                top.estimate().value(), top.estimate().residual(), s, lines, plane);
    }

    /**
     * The path's grid values: {@code steps} rounded up to 4 m + 1, so that alpha = 0 and 1 (the
     * start and theta) are on the grid of [-0.5, 1.5] exactly.
     */
    static int pathSteps(int steps) {
        return (steps - 1 + 3) / 4 * 4 + 1;
    }

    /** {@code steps} values from {@code from} to {@code to}, evenly spaced, the ends exact. */
    static double[] grid(double from, double to, int steps) {
        double[] a = new double[steps];
        for (int k = 0; k < steps; k++) a[k] = k == steps - 1 ? to : from + (to - from) * k / (steps - 1);
        return a;
    }

    private static Line line(Model model, Data data, String direction, INDArray origin, INDArray d, double[] alpha) {
        double[] train = new double[alpha.length];
        double[] test = new double[alpha.length];
        for (int k = 0; k < alpha.length; k++) {
            INDArray p = alpha[k] == 0 ? origin : origin.add(d.mul(alpha[k]));
            train[k] = model.loss(p, data.trainX(), data.trainY());
            test[k] = model.loss(p, data.testX(), data.testY());
        }
        return new Line(direction, alpha.clone(), train, test);
    }

    /**
     * Where each filter of the parameter vector lies: for every array of the model's export
     * layout ({@link Model#exportArrays}, in order and contiguous in theta), its filters as
     * index lists (a dense W [in, out]: column j, indices i out + j; a kernel [out, in, k, k]:
     * the contiguous block of output channel o), or, for a bias (an array of one dimension), none.
     *
     * @return for each parameter the number of its filter (0, 1, ...), or -1 for a bias
     */
    static int[] filters(Model model, INDArray theta) {
        int[] f = new int[model.numParams()];
        int offset = 0;
        int next = 0;
        for (Map.Entry<String, INDArray> e : model.exportArrays(theta).entrySet()) {
            long[] shape = e.getValue().shape();
            int n = (int) e.getValue().length();
            if (shape.length == 1) {
                for (int i = 0; i < n; i++) f[offset + i] = -1;
            } else if (shape.length == 2) { // W [in, out] row-major: the weights into output unit j are column j
                int outs = (int) shape[1];
                for (int i = 0; i < n; i++) f[offset + i] = next + i % outs;
                next += outs;
            } else if (shape.length == 4) { // K [out, in, k, k]: output channel o is one contiguous block
                int per = n / (int) shape[0];
                for (int i = 0; i < n; i++) f[offset + i] = next + i / per;
                next += (int) shape[0];
            } else {
                throw new IllegalStateException("array " + e.getKey() + " of shape " + java.util.Arrays.toString(shape)
                        + ": no filter normalization for it");
            }
            offset += n;
        }
        if (offset != model.numParams()) {
            throw new IllegalStateException("the export layout covers " + offset + " parameters of " + model.numParams());
        }
        return f;
    }

    /**
     * A Gaussian direction (one standard normal per parameter in layout order, from {@code seed}),
     * filter-normalized: each filter rescaled to the norm of theta's same filter (divided by its
     * own norm + 1e-10, as the reference), biases zero.
     */
    static INDArray filterNormalized(Model model, INDArray theta, long seed) {
        int[] f = filters(model, theta);
        double[] t = theta.castTo(DataType.DOUBLE).toDoubleVector();
        Gaussian g = new Gaussian(seed);
        double[] d = new double[f.length];
        for (int i = 0; i < d.length; i++) d[i] = g.next();
        int count = 0;
        for (int x : f) count = Math.max(count, x + 1);
        double[] dn = new double[count];
        double[] tn = new double[count];
        for (int i = 0; i < d.length; i++) {
            if (f[i] < 0) continue;
            dn[f[i]] += d[i] * d[i];
            tn[f[i]] += t[i] * t[i];
        }
        for (int i = 0; i < d.length; i++) {
            d[i] = f[i] < 0 ? 0.0 : d[i] * Math.sqrt(tn[f[i]]) / (Math.sqrt(dn[f[i]]) + 1e-10);
        }
        return Nd4j.createFromArray(d);
    }

    /** ||theta_W||: the norm of theta's weights, biases left out. */
    static double weightNorm(Model model, INDArray theta) {
        int[] f = filters(model, theta);
        double[] t = theta.castTo(DataType.DOUBLE).toDoubleVector();
        double sum = 0;
        for (int i = 0; i < t.length; i++) if (f[i] >= 0) sum += t[i] * t[i];
        return Math.sqrt(sum);
    }
}
