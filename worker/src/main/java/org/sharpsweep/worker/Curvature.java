package org.sharpsweep.worker;


import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sharpsweep.sweeps.MeasureSpec;
import org.sharpsweep.sweeps.PenaltySpec;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.worker.curvature.SymmetricOperator;
import org.sharpsweep.worker.measure.MeasureContext;
import org.sharpsweep.worker.measure.Measurements;
import org.sharpsweep.worker.model.Model;
import org.sharpsweep.worker.train.Darc1;

/**
 * The curvature operators of docs/science.md at fixed parameters, as products v -> A v for
 * Lanczos and Hutchinson; the measures built on them are in the {@code measure} package.
 *
 * <ul>
 *   <li>H v: the Hessian of the training loss L = (1/n) sum_i l_i on the whole training
 *       subset, exact (R-operator).</li>
 *   <li>Sigma v = (1/m) sum_i H_i (H_i v) - H_m (H_m v) over the first m training samples
 *       ({@code measure.nonuniformity_samples}, all n by default), H_m = (1/m) sum_i H_i, so that
 *       Sigma is the covariance of the per-sample Hessians of that sample set and stays PSD. One
 *       batched per-sample pass gives both sums, one more HVP gives H_m (H_m v).</li>
 *   <li>The linear-stability operator (I - eta H)^2 + eta^2 (n-B)/(B(n-1)) Sigma: PSD, and SGD is
 *       linearly stable at the minimum iff its top eigenvalue is at most 1 (Wu, Ma &amp; E 2018).</li>
 * </ul>
 *
 * <p>Products over many samples run in chunks of at most {@link #CHUNK_ROWS} rows, so the
 * model's scratch buffers (a few arrays of rows x width per layer) stay small whatever n is;
 * the chunks' sums are added up exactly as one pass would.
 *
 * <p>Not thread-safe: holds scratch vectors; one instance per point.
 */
public final class Curvature {
    /** Rows per pass over the data: 2048 x width 1000 doubles is 16 MB per buffer. */
    static final int CHUNK_ROWS = 2048;

    /**
     * The sums over training rows that every operator here is made of, at fixed parameters:
     * computed in this JVM ({@link #local}), or over data partitions on Spark workers (the
     * parallel module), which must give the same sums to round-off.
     */
    public interface Sums {
        /** n, the training rows. */
        int rows();

        /** m, the leading rows Sigma is computed on (1..n). */
        int sampled();

        /** out = H v, the Hessian of the mean loss over all n rows, or over the first m when {@code sampledOnly}. */
        void hvp(boolean sampledOnly, INDArray v, INDArray out);

        /** sumHv = sum_i H_i v and sumHHv = sum_i H_i (H_i v) over the first m rows. */
        void moments(INDArray v, INDArray sumHv, INDArray sumHHv);
    }

    private final Model model;
    private final INDArray theta;
    private final Sums sums;
    private final int p;
    private final INDArray t1;
    private final INDArray t2;
    private final INDArray t3;
    private final INDArray t4;

    /**
     * @param samples m, the number of leading training samples Sigma is computed on (1..n)
     */
    public Curvature(Model model, INDArray theta, INDArray x, INDArray y, int samples) {
        this(model, theta, x, y, samples, CHUNK_ROWS);
    }

    Curvature(Model model, INDArray theta, INDArray x, INDArray y, int samples, int chunkRows) {
        this(model, theta, new LocalSums(model, theta, x, y, samples, chunkRows));
    }

    /** The operators on the given sums (their model and parameters are {@code model} and {@code theta}). */
    public Curvature(Model model, INDArray theta, Sums sums) {
        this.model = model;
        this.theta = theta;
        this.sums = sums;
        this.p = model.numParams();
        this.t1 = Nd4j.create(DataType.DOUBLE, p);
        this.t2 = Nd4j.create(DataType.DOUBLE, p);
        this.t3 = Nd4j.create(DataType.DOUBLE, p);
        this.t4 = Nd4j.create(DataType.DOUBLE, p);
    }

    /**
     * The sums over rows x, y in this JVM, in chunks of at most {@link #CHUNK_ROWS} rows (whose
     * means are added up weighted by their rows). Not thread-safe: holds scratch vectors.
     *
     * @param samples m, the leading rows Sigma is computed on (1..n)
     */
    public static Sums local(Model model, INDArray theta, INDArray x, INDArray y, int samples) {
        return new LocalSums(model, theta, x, y, samples, CHUNK_ROWS);
    }

    /** The first {@code rows} samples, cut into chunks of at most {@code chunkRows} rows (views, not copies). */
    private record Rows(INDArray[] x, INDArray[] y, int rows) {
        Rows(INDArray x, INDArray y, int rows, int chunkRows) {
            this(new INDArray[(rows + chunkRows - 1) / chunkRows], new INDArray[(rows + chunkRows - 1) / chunkRows], rows);
            for (int c = 0; c < this.x.length; c++) {
                long from = (long) c * chunkRows;
                long to = Math.min(rows, from + chunkRows);
                boolean whole = from == 0 && to == x.rows();
                this.x[c] = whole ? x : x.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
                this.y[c] = whole ? y : y.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
            }
        }

        /**
         * out := H v at {@code params}, H the Hessian of the mean loss over these rows: each chunk's
         * mean weighted by its rows ({@code scratch} holds a chunk's product).
         */
        void hvp(Model model, INDArray params, INDArray v, INDArray out, INDArray scratch) {
            if (x.length == 1) {
                model.hvp(params, x[0], y[0], v, out);
                return;
            }
            out.assign(0.0);
            for (int c = 0; c < x.length; c++) {
                model.hvp(params, x[c], y[c], v, scratch);
                out.addi(scratch.muli((double) x[c].rows() / rows));
            }
        }
    }

    private static final class LocalSums implements Sums {
        private final Model model;
        private final INDArray theta;
        private final INDArray x;
        private final INDArray y;
        private final Rows all;
        private final Rows sampled;
        private final INDArray c1;
        private final INDArray c2;

        LocalSums(Model model, INDArray theta, INDArray x, INDArray y, int samples, int chunkRows) {
            int n = (int) x.rows();
            if (samples < 1 || samples > n) throw new IllegalArgumentException("samples must be in [1, " + n + "], got " + samples);
            this.model = model;
            this.theta = theta;
            this.x = x;
            this.y = y;
            this.all = new Rows(x, y, n, chunkRows);
            this.sampled = samples == n ? all : new Rows(x, y, samples, chunkRows);
            this.c1 = Nd4j.create(DataType.DOUBLE, model.numParams());
            this.c2 = Nd4j.create(DataType.DOUBLE, model.numParams());
        }

        @Override
        public int rows() {
            return all.rows;
        }

        @Override
        public int sampled() {
            return sampled.rows;
        }

        @Override
        public void hvp(boolean sampledOnly, INDArray v, INDArray out) {
            (sampledOnly ? sampled : all).hvp(model, theta, v, out, c1);
        }

        @Override
        public void moments(INDArray v, INDArray sumHv, INDArray sumHHv) {
            Rows r = sampled;
            if (r.x.length == 1) {
                model.perSampleMoments(theta, r.x[0], r.y[0], v, sumHv, sumHHv);
                return;
            }
            sumHv.assign(0.0);
            sumHHv.assign(0.0);
            for (int c = 0; c < r.x.length; c++) {
                model.perSampleMoments(theta, r.x[c], r.y[c], v, c1, c2);
                sumHv.addi(c1);
                sumHHv.addi(c2);
            }
        }
    }

    public int dim() {
        return p;
    }

    /**
     * Training rows [from, to), to evaluate the network at parameters other than {@link #theta()}:
     * what the perturbation measures (m-sharpness, PAC-Bayes flatness; docs/science.md) are made
     * of. Needs the rows in this JVM: a data-parallel point, whose rows are on its workers, refuses
     * those measures when its spec is validated ({@code Measures.dataParallelProblem}).
     */
    public TrainingRows trainingRows(int from, int to) {
        if (!(sums instanceof LocalSums local)) {
            throw new IllegalStateException("evaluating the network at other parameters needs the training rows in this JVM");
        }
        if (from < 0 || to > local.all.rows || from >= to) {
            throw new IllegalArgumentException("rows [" + from + ", " + to + ") of " + local.all.rows);
        }
        boolean whole = from == 0 && to == local.x.rows();
        INDArray x = whole ? local.x : local.x.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
        INDArray y = whole ? local.y : local.y.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
        return new TrainingRows(model, new Rows(x, y, to - from, CHUNK_ROWS));
    }

    /**
     * The training rows at {@code indices} (copied, in that order): a random minibatch, for a
     * measure that evaluates the network on minibatches as SGD draws them (batch sharpness,
     * docs/science.md). Needs the rows in this JVM, as {@link #trainingRows(int, int)} does.
     */
    public TrainingRows trainingRows(int[] indices) {
        if (!(sums instanceof LocalSums local)) {
            throw new IllegalStateException("evaluating the network on a minibatch needs the training rows in this JVM");
        }
        if (indices.length == 0) throw new IllegalArgumentException("no rows");
        for (int i : indices) {
            if (i < 0 || i >= local.all.rows) throw new IllegalArgumentException("row " + i + " of " + local.all.rows);
        }
        INDArray x = Nd4j.pullRows(local.x, 1, indices);
        INDArray y = Nd4j.pullRows(local.y, 1, indices);
        return new TrainingRows(model, new Rows(x, y, indices.length, CHUNK_ROWS));
    }

    /**
     * Some training rows and the network, evaluated at any parameters in chunks of at most
     * {@link #CHUNK_ROWS} rows (whose means are added up weighted by their rows). Not thread-safe.
     */
    public static final class TrainingRows {
        private final Model model;
        private final Rows rows;
        private final INDArray chunkGrad;

        private TrainingRows(Model model, Rows rows) {
            this.model = model;
            this.rows = rows;
            this.chunkGrad = Nd4j.create(DataType.DOUBLE, model.numParams());
        }

        /** How many rows. */
        public int size() {
            return rows.rows;
        }

        /** The mean loss over these rows at {@code params}; with {@code grad} not null, its gradient goes there. */
        public double loss(INDArray params, INDArray grad) {
            if (rows.x.length == 1) {
                return grad == null ? model.loss(params, rows.x[0], rows.y[0]) : model.lossAndGradient(params, rows.x[0], rows.y[0], grad);
            }
            double loss = 0;
            if (grad != null) grad.assign(0.0);
            for (int c = 0; c < rows.x.length; c++) {
                double w = (double) rows.x[c].rows() / rows.rows;
                if (grad == null) {
                    loss += w * model.loss(params, rows.x[c], rows.y[c]);
                } else {
                    loss += w * model.lossAndGradient(params, rows.x[c], rows.y[c], chunkGrad);
                    grad.addi(chunkGrad.muli(w));
                }
            }
            return loss;
        }

        /**
         * out = H_R v at {@code params}, H_R the Hessian of the mean loss over these rows (exact,
         * the R-operator as {@link Curvature#hessian()}).
         */
        public void hvp(INDArray params, INDArray v, INDArray out) {
            rows.hvp(model, params, v, out, chunkGrad);
        }

        /**
         * The fraction of these rows whose largest output is at their target's largest entry (the
         * label of a one-hot row, first maximum on ties, as {@code train_acc}); null for a single
         * target column (regression: there is no accuracy).
         */
        public Double accuracy(INDArray params) {
            if (rows.y[0].columns() < 2) return null;
            long hits = 0;
            for (int c = 0; c < rows.x.length; c++) {
                INDArray predicted = Nd4j.argMax(model.predict(params, rows.x[c]), 1);
                INDArray labels = Nd4j.argMax(rows.y[c], 1);
                for (int i = 0; i < rows.x[c].rows(); i++) if (predicted.getLong(i) == labels.getLong(i)) hits++;
            }
            return (double) hits / rows.rows;
        }
    }

    /** The parameters the operators are taken at (not a copy: do not change it). */
    public INDArray theta() {
        return theta;
    }

    /** n, the training rows H is taken over. */
    public int rows() {
        return sums.rows();
    }

    /** m, the leading training rows Sigma is taken over. */
    public int samples() {
        return sums.sampled();
    }

    /** out = H v on the whole training subset. */
    public SymmetricOperator hessian() {
        return (v, out) -> sums.hvp(false, v, out);
    }

    /**
     * out = the Hessian of the penalized training objective L + P times v, on the whole training
     * subset taken as one batch (B = n): {@code l2} adds lambda v; {@code darc1}, where its
     * maximising output k* and the signs of h_{k*}(x_i) are locally constant, adds
     * (lambda/n) sum_i sign(h_{k*}(x_i)) hess h_{k*}(x_i) v. The {@code gradnorm} penalty's
     * curvature needs third derivatives of the loss and is refused.
     */
    public SymmetricOperator penalizedHessian(PenaltySpec penalty) {
        if (penalty.scaleWithLr()) throw new IllegalArgumentException("give the penalty at its learning rate: penalty.at(lr)");
        double lambda = penalty.coef();
        return switch (penalty.kind()) {
            case NONE -> hessian();
            case L2 -> (v, out) -> {
                sums.hvp(false, v, out);
                out.addi(v.mul(lambda));
            };
            case DARC1 -> {
                if (!(sums instanceof LocalSums local)) {
                    throw new IllegalStateException("the darc1 penalty's curvature needs the training rows in this JVM");
                }
                Rows all = local.all;
                INDArray[] h = new INDArray[all.x.length];
                for (int c = 0; c < h.length; c++) h[c] = model.predict(theta, all.x[c]);
                INDArray g = Darc1.outputGradient(h.length == 1 ? h[0] : Nd4j.vstack(h), lambda);
                INDArray[] gc = new Rows(g, g, all.rows, (int) all.x[0].rows()).x;
                yield (v, out) -> {
                    sums.hvp(false, v, out);
                    for (int c = 0; c < gc.length; c++) { // sum_i G_i . d2h(x_i) v, chunk by chunk
                        model.hvpOutputLinear(theta, all.x[c], gc[c], v, t4);
                        out.addi(t4);
                    }
                };
            }
            case GRADNORM -> throw new IllegalArgumentException(
                    "the curvature of the gradnorm penalty needs third derivatives of the loss; not supported");
        };
    }

    /** out = Sigma v over the chosen samples. */
    public SymmetricOperator sigma() {
        return (v, out) -> sigma(v, out);
    }

    private void sigma(INDArray v, INDArray out) {
        double m = sums.sampled();
        sums.moments(v, t1, out);     // t1 = sum H_i v, out = sum H_i H_i v
        t1.divi(m);                   // H_m v
        sums.hvp(true, t1, t2);       // H_m (H_m v)
        out.divi(m).subi(t2);
    }

    /**
     * out = [(I - lr H)^2 + lr^2 c Sigma] v with c = (n-B)/(B(n-1)); for B = n (c = 0) Sigma is
     * not evaluated.
     */
    public SymmetricOperator stability(double lr, int batchSize) {
        int n = sums.rows();
        double c = batchSize >= n ? 0.0 : (double) (n - batchSize) / ((double) batchSize * (n - 1));
        return (v, out) -> {
            sums.hvp(false, v, t3);     // H v
            sums.hvp(false, t3, out);   // H H v
            out.muli(lr * lr).addi(v).subi(t3.muli(2 * lr));
            if (c > 0) {
                sigma(v, t4);
                out.addi(t4.muli(lr * lr * c));
            }
        };
    }

    /**
     * Every measure the point asks for ({@code m}) at these parameters, into the results row
     * {@code r} (and the spectra rows, at step {@code steps_done} already put in {@code r}).
     */
    static void measure(Curvature c, MeasureSpec m, double lr, int batchSize, long seed, PointRunner.Builder r) {
        Measurements.atEnd(new MeasureContext(c, m, lr, batchSize, seed, (Integer) r.get(ResultSchema.STEPS_DONE), null, r::put, r::add));
    }
}
