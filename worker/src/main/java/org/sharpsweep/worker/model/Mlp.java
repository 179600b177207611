package org.sharpsweep.worker.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sharpsweep.sweeps.Activation;
import org.sharpsweep.sweeps.Init;
import org.sharpsweep.sweeps.Loss;
import org.sharpsweep.worker.blas.Blas;
import org.sharpsweep.worker.blas.Gemm;

/**
 * Fully connected network with exact first and second derivatives (docs/science.md).
 *
 * <p><b>Model.</b> Layers are indexed l = 0..L-1 with L = {@link #layers()} = depth + 1 (docs/science.md
 * numbers them 1..L; this API is 0-based). With A_{-1} = x [m, inputs]:
 * Z_l = c_l A_{l-1} W_l + b_l, A_l = act(Z_l) for the hidden layers l < L-1, and the output is
 * f = Z_{L-1} [m, outputs]. The scale c_l is 1 except for the output layer, where it is
 * {@link #outputScale()} (mean-field); the bias is never scaled. depth = 0 is the linear model
 * f = x W + b. relu has relu'(0) = 0 and relu'' = 0; tanh has tanh' = 1 - t^2 and
 * tanh'' = -2 t (1 - t^2).
 *
 * <p><b>Parameter layout</b> (users export it, so it is fixed): one DOUBLE vector of length
 * {@link #numParams()}, layer by layer, each layer W_l as [fanIn, fanOut] row-major followed by
 * b_l [fanOut]; see {@link #weightOffset} and {@link #biasOffset}.
 *
 * <p><b>Losses</b> per sample l_i, averaged over the m rows, with their output-space gradient
 * and Hessian: mse (1/k)||f_i - y_i||^2, 2(f_i - y_i)/k, (2/k) I; half-sse 0.5||f_i - y_i||^2,
 * f_i - y_i, I; xent -sum_k y_ik log softmax(f_i)_k (stable log-sum-exp), s_i p_i - y_i,
 * s_i (diag(p_i) - p_i p_i^T) with p_i = softmax(f_i) and s_i = sum_k y_ik (1 for one-hot rows).
 * y is [m, outputs]: one-hot rows for classification, [m, 1] for regression.
 *
 * <p><b>Derivatives</b> are exact in double precision: the gradient by backpropagation and
 * Hessian-vector products by Pearlmutter's R-operator (forward over reverse; Pearlmutter,
 * "Fast exact multiplication by the Hessian", Neural Computation 6, 1994), never by finite
 * differences. Every pass keeps per-sample signals (not divided by m); the final gemm that
 * sums over the rows applies 1/m where a mean is wanted. One hvp costs about 1.5 gradients and
 * {@link #perSampleMoments} about 1.5 hvps (HvpBench in the tests measures both). The output
 * array of hvp may be the direction v itself.
 *
 * <p><b>Threads.</b> An instance is thread-confined: it owns scratch buffers, cached for the
 * last few row counts m, which every call overwrites, and views of the last few parameter
 * vectors passed in (so it holds references to them). Use one instance per thread. All arrays
 * are of the model's {@link #dataType()}, DOUBLE unless the model was built for FLOAT training
 * ({@link #withDataType}); theta, v, grad and out are vectors of length P (grad and out
 * contiguous); x is [m, inputs]. The derivatives are exact in the arithmetic of that type.
 */
public final class Mlp implements Model {
    static {
        Blas.prepare(); // the kernel is chosen when OpenBLAS loads
    }

    /** How many row counts (minibatch sizes) keep their scratch buffers. */
    private static final int CACHED_ROW_COUNTS = 4;

    private final int inputs;
    private final int depth;
    private final int width;
    private final int outputs;
    private final Activation activation;
    private final Init init;
    private final Loss loss;
    private final int layers;
    private final int[] fanIn;
    private final int[] fanOut;
    private final long[] weightOffset;
    private final long[] biasOffset;
    private final double[] scale;
    private final int numParams;
    private final DataType dataType;
    private final ParamVectors<ParamViews> vectors;
    private final Map<Integer, Buffers> buffersByRows = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Buffers> eldest) {
            return size() > CACHED_ROW_COUNTS;
        }
    };

    /**
     * @param inputs  input dimension d >= 1
     * @param depth   number of hidden layers >= 0 (0: linear model)
     * @param width   units per hidden layer >= 1 (no effect when depth = 0)
     * @param outputs output dimension k >= 1 (classes, or 1 for regression)
     */
    public Mlp(int inputs, int depth, int width, int outputs, Activation activation, Init init, Loss loss) {
        this(inputs, depth, width, outputs, activation, init, loss, DataType.DOUBLE);
    }

    /** @param dataType DOUBLE, or FLOAT for float32 training; every array passed in must have it */
    public Mlp(int inputs, int depth, int width, int outputs, Activation activation, Init init, Loss loss,
               DataType dataType) {
        if (dataType != DataType.DOUBLE && dataType != DataType.FLOAT) {
            throw new IllegalArgumentException("dataType must be DOUBLE or FLOAT, got " + dataType);
        }
        this.dataType = dataType;
        if (inputs < 1) throw new IllegalArgumentException("inputs must be >= 1, got " + inputs);
        if (depth < 0) throw new IllegalArgumentException("depth must be >= 0, got " + depth);
        if (width < 1) throw new IllegalArgumentException("width must be >= 1, got " + width);
        if (outputs < 1) throw new IllegalArgumentException("outputs must be >= 1, got " + outputs);
        if (activation == null) throw new IllegalArgumentException("activation is required");
        if (init == null) throw new IllegalArgumentException("init is required");
        if (loss == null) throw new IllegalArgumentException("loss is required");
        this.inputs = inputs;
        this.depth = depth;
        this.width = width;
        this.outputs = outputs;
        this.activation = activation;
        this.init = init;
        this.loss = loss;
        this.layers = depth + 1;
        fanIn = new int[layers];
        fanOut = new int[layers];
        weightOffset = new long[layers];
        biasOffset = new long[layers];
        scale = new double[layers];
        long offset = 0;
        for (int l = 0; l < layers; l++) {
            fanIn[l] = l == 0 ? inputs : width;
            fanOut[l] = l == layers - 1 ? outputs : width;
            weightOffset[l] = offset;
            biasOffset[l] = offset + (long) fanIn[l] * fanOut[l];
            offset = biasOffset[l] + fanOut[l];
            scale[l] = 1.0;
        }
        scale[layers - 1] = outputScale();
        if (offset > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the model has " + offset + " parameters, more than an array can hold"
                    + " (inputs " + inputs + ", depth " + depth + ", width " + width + ", outputs " + outputs + ")");
        }
        numParams = (int) offset;
        vectors = new ParamVectors<>(dataType, numParams, this::viewsOn);
    }

    /** The type of every array this model reads and writes: DOUBLE, or FLOAT for float32 training. */
    public DataType dataType() {
        return dataType;
    }

    /** The same network (layout, init, loss) for arrays of {@code type}; a new instance with its own buffers. */
    public Mlp withDataType(DataType type) {
        return type == dataType ? this : new Mlp(inputs, depth, width, outputs, activation, init, loss, type);
    }

    /**
     * The order ('f' or 'c') of this model's per-sample arrays for {@code rows} rows. Targets y
     * (and output gradients g) given in this order meet the outputs in one contiguous pass;
     * any order is accepted.
     */
    public char sampleOrder(int rows) {
        return Buffers.order(dataType, rows);
    }

    /** P, the length of the parameter vector. */
    public int numParams() {
        return numParams;
    }

    /** The hidden layers' activation. */
    public Activation activation() {
        return activation;
    }

    /** The loss L averages over the rows. */
    public Loss lossKind() {
        return loss;
    }

    /** Units per hidden layer. */
    public int width() {
        return width;
    }

    /** Hidden layers (0: the linear model). */
    public int depth() {
        return depth;
    }

    /** L = depth + 1 (hidden layers and the output layer). */
    public int layers() {
        return layers;
    }

    /** Rows of W_l: inputs for layer 0, width after it. Layers are 0-based. */
    public int fanIn(int layer) {
        return fanIn[checkLayer(layer)];
    }

    /** Columns of W_l and length of b_l: outputs for the last layer, width before it. */
    public int fanOut(int layer) {
        return fanOut[checkLayer(layer)];
    }

    /** Offset in the parameter vector of W_l[0,0]; W_l[i,j] is at weightOffset + i fanOut + j. */
    public long weightOffset(int layer) {
        return weightOffset[checkLayer(layer)];
    }

    /** Offset in the parameter vector of b_l[0] (right after W_l). */
    public long biasOffset(int layer) {
        return biasOffset[checkLayer(layer)];
    }

    /** c = 1/width for init mean-field with depth >= 1, else 1: f = c A W_out + b_out. */
    public double outputScale() {
        return init == Init.MEAN_FIELD && depth >= 1 ? 1.0 / width : 1.0;
    }

    /**
     * A fresh parameter vector drawn from {@code seed} ({@link ParamVectors#draw}: PyTorch's
     * nn.Linear default, xavier, or mean-field with the output layer's weights in U(-1, 1) and
     * bias 0), in the model's {@link #dataType()}.
     */
    public INDArray initParams(long seed) {
        ParamVectors.Layer[] blocks = new ParamVectors.Layer[layers];
        for (int l = 0; l < layers; l++) {
            blocks[l] = new ParamVectors.Layer(weightOffset[l], (long) fanIn[l] * fanOut[l], biasOffset[l], fanOut[l], fanIn[l],
                    fanOut[l], l == layers - 1);
        }
        return ParamVectors.draw(seed, numParams, blocks, init, dataType);
    }

    /** The outputs f(x) [m, outputs], a new array. */
    public INDArray predict(INDArray theta, INDArray x) {
        ParamViews params = views(theta, "theta", false);
        Buffers s = buffers(x);
        forward(params, x, s);
        return output(s).dup();
    }

    /** L = (1/m) sum_i l_i over the rows of x and y. */
    public double loss(INDArray theta, INDArray x, INDArray y) {
        ParamViews params = views(theta, "theta", false);
        Buffers s = buffers(x);
        checkOutputs(y, "y", s.rows);
        forward(params, x, s);
        return OutputHead.of(loss, y, s).gradient(output(s), s.g[layers - 1]) / s.rows;
    }

    /** {@link #loss} and {@link #predict} (a new array) from one forward pass. */
    @Override
    public Evaluation evaluate(INDArray theta, INDArray x, INDArray y) {
        ParamViews params = views(theta, "theta", false);
        Buffers s = buffers(x);
        checkOutputs(y, "y", s.rows);
        forward(params, x, s);
        double l = OutputHead.of(loss, y, s).gradient(output(s), s.g[layers - 1]) / s.rows;
        return new Evaluation(l, output(s).dup());
    }

    /** grad := dL/dtheta for L = (1/m) sum_i l_i; returns L. */
    public double lossAndGradient(INDArray theta, INDArray x, INDArray y, INDArray grad) {
        ParamViews params = views(theta, "theta", false);
        ParamViews into = views(grad, "grad", true);
        Buffers s = buffers(x);
        checkOutputs(y, "y", s.rows);
        double sum = firstOrder(params, x, OutputHead.of(loss, y, s), s, false);
        accumulateGradient(x, s, into, 1.0 / s.rows);
        return sum / s.rows;
    }

    /**
     * grad := sum_i J_i^T g_i, the gradient of sum_i g_i . f(x_i) with g [m, outputs] held fixed
     * (J_i = df(x_i)/dtheta). Not divided by m. The darc1 penalty passes its subgradient here.
     */
    public void backpropOutputGradient(INDArray theta, INDArray x, INDArray g, INDArray grad) {
        ParamViews params = views(theta, "theta", false);
        ParamViews into = views(grad, "grad", true);
        Buffers s = buffers(x);
        checkOutputs(g, "g", s.rows);
        firstOrder(params, x, OutputHead.linear(g), s, false);
        accumulateGradient(x, s, into, 1.0);
    }

    /** out := H v with H the Hessian of L = (1/m) sum_i l_i; exact (R-operator). */
    public void hvp(INDArray theta, INDArray x, INDArray y, INDArray v, INDArray out) {
        ParamViews params = views(theta, "theta", false);
        ParamViews direction = views(v, "v", false);
        ParamViews into = views(out, "out", true);
        Buffers s = buffers(x);
        checkOutputs(y, "y", s.rows);
        OutputHead head = OutputHead.of(loss, y, s);
        firstOrder(params, x, head, s, true);
        Buffers.RPass r = s.first();
        curvaturePass(params, x, head, shared(direction, s), s, r);
        accumulateCurvature(x, s, r, into, 1.0 / s.rows);
    }

    /**
     * out := (Hessian of sum_i g_i . f(x_i), g [m, outputs] fixed) times v: the Gauss-Newton
     * part vanishes and only the curvature of the network remains. Not divided by m. This is the
     * curvature of the darc1 penalty, whose g is constant between kinks.
     */
    public void hvpOutputLinear(INDArray theta, INDArray x, INDArray g, INDArray v, INDArray out) {
        ParamViews params = views(theta, "theta", false);
        ParamViews direction = views(v, "v", false);
        ParamViews into = views(out, "out", true);
        Buffers s = buffers(x);
        checkOutputs(g, "g", s.rows);
        OutputHead head = OutputHead.linear(g);
        firstOrder(params, x, head, s, true);
        Buffers.RPass r = s.first();
        curvaturePass(params, x, head, shared(direction, s), s, r);
        accumulateCurvature(x, s, r, into, 1.0);
    }

    /**
     * Batched per-sample second moments along v: sumHv := sum_i H_i v and
     * sumHHv := sum_i H_i (H_i v), H_i the Hessian of l_i (sums over the rows, not means). Then
     * Sigma v = sumHHv/m - H (H v) (docs/science.md, non-uniformity).
     *
     * <p>Two R-operator passes over the whole batch. The first, along the shared v, leaves per
     * sample i and layer l the rows a = A_{l-1,i}, Ra, g = G_{l,i} and Rg, and
     * u_i = H_i v has the blocks U_l = c_l (Ra^T g + a^T Rg) and u_b = Rg. The second pass runs
     * along the per-sample direction u_i without forming it: its forward term
     * c_l a U_l + u_b = c_l^2 [(a.Ra) g + (a.a) Rg] + Rg and its backward term
     * c_l g U_l^T = c_l^2 [(g.g) Ra + (g.Rg) a] are row-wise dot products times rows. The sum
     * over i of its per-sample results is an ordinary gemm, as in {@link #hvp}.
     */
    public void perSampleMoments(INDArray theta, INDArray x, INDArray y, INDArray v, INDArray sumHv, INDArray sumHHv) {
        ParamViews params = views(theta, "theta", false);
        ParamViews direction = views(v, "v", false);
        ParamViews intoHv = views(sumHv, "sumHv", true);
        ParamViews intoHHv = views(sumHHv, "sumHHv", true);
        Buffers s = buffers(x);
        checkOutputs(y, "y", s.rows);
        OutputHead head = OutputHead.of(loss, y, s);
        firstOrder(params, x, head, s, true);
        Buffers.RPass alongV = s.first();
        curvaturePass(params, x, head, shared(direction, s), s, alongV);
        accumulateCurvature(x, s, alongV, intoHv, 1.0);
        Buffers.RPass alongHv = s.second();
        curvaturePass(params, x, head, perSample(alongV, s), s, alongHv);
        accumulateCurvature(x, s, alongHv, intoHHv, 1.0);
    }

    /**
     * The same sums as {@link #perSampleMoments}, by a plain loop over the rows calling
     * {@link #hvp} on one row at a time: the slow reference that the batched version is
     * tested against.
     */
    public void perSampleMomentsLoop(INDArray theta, INDArray x, INDArray y, INDArray v, INDArray sumHv, INDArray sumHHv) {
        views(sumHv, "sumHv", true);
        views(sumHHv, "sumHHv", true);
        checkOutputs(y, "y", checkInputs(x));
        Models.perSampleMomentsLoop(this, theta, x, y, v, sumHv, sumHHv);
    }

    // The passes. Layer l reads input(l) = A_{l-1} (x for l = 0).

    /** Forward pass: Z_l (the bias as a rank-one gemm 1 b_l, cheaper in ND4J than a broadcast), A_l and act'(Z_l). */
    private void forward(ParamViews p, INDArray x, Buffers s) {
        for (int l = 0; l < layers; l++) {
            INDArray z = s.z[l];
            Gemm.gemm(s.ones, p.b[l], z, false, false, 1.0, 0.0);
            Gemm.gemm(input(l, x, s), p.w[l], z, false, false, scale[l], 1.0);
            if (l < layers - 1) {
                activate(l, s);
            }
        }
    }

    private void activate(int l, Buffers s) {
        INDArray z = s.z[l];
        INDArray a = s.act[l];
        INDArray slope = s.slope[l];
        if (activation == Activation.RELU) {
            Nd4j.exec(new RectifiedLinear(z, a, 0.0));
            Nd4j.exec(new Step(z, slope, 0.0));
        } else {
            Nd4j.exec(new Tanh(z, a));
            a.mul(a, slope).rsubi(1.0);
        }
    }

    /**
     * Forward pass, head and backward pass: leaves the per-sample signals G_l = dh_i/dZ_l in
     * {@code s.g} and, when {@code secondOrder} and the activation is tanh,
     * (dh_i/dA_l) act''(Z_l) = -2 (dh_i/dA_l) A_l act'(Z_l) in {@code s.curv}. The input
     * gradient of layer 0 is not formed.
     * Returns sum_i h_i.
     */
    private double firstOrder(ParamViews p, INDArray x, OutputHead head, Buffers s, boolean secondOrder) {
        forward(p, x, s);
        double sum = head.gradient(output(s), s.g[layers - 1]);
        for (int l = layers - 1; l >= 1; l--) {
            if (secondOrder && s.curv[l - 1] != null) { // the signal dh/dA is needed twice
                INDArray signal = s.signal;
                Gemm.gemm(s.g[l], p.w[l], signal, false, true, scale[l], 0.0);
                signal.mul(s.slope[l - 1], s.g[l - 1]);
                signal.mul(s.act[l - 1], s.curv[l - 1]).muli(s.slope[l - 1]).muli(-2.0);
            } else { // in place: an in-place product costs half of one into another array
                Gemm.gemm(s.g[l], p.w[l], s.g[l - 1], false, true, scale[l], 0.0);
                s.g[l - 1].muli(s.slope[l - 1]);
            }
        }
        return sum;
    }

    /**
     * One R-operator pass along {@code direction}, after {@link #firstOrder}: R{Z_l}, R{A_l},
     * R{f}, then R{G_L} = (output Hessian) R{f} from the head, then R{G_l} backwards:
     * R{dh/dA_{l-1}} = c_l (R{G_l} W_l^T + G_l U_l^T) and
     * R{G_{l-1}} = R{dh/dA_{l-1}} act'(Z_{l-1}) + (dh/dA_{l-1}) act''(Z_{l-1}) R{Z_{l-1}}.
     */
    private void curvaturePass(ParamViews p, INDArray x, OutputHead head, Direction direction, Buffers s, Buffers.RPass r) {
        for (int l = 0; l < layers; l++) {
            INDArray rz = r.z[l];
            if (l == 0) {
                rz.assign(0.0);
            } else {
                Gemm.gemm(r.a[l - 1], p.w[l], rz, false, false, scale[l], 0.0);
            }
            direction.addForward(l, input(l, x, s), rz);
            if (l < layers - 1) {
                rz.mul(s.slope[l], r.a[l]);
            }
        }
        head.hessianTimes(r.z[layers - 1], r.g[layers - 1]);
        for (int l = layers - 1; l >= 1; l--) {
            INDArray rSignal = r.g[l - 1]; // R{dh/dA_{l-1}}, then in place R{G_{l-1}}
            Gemm.gemm(r.g[l], p.w[l], rSignal, false, true, scale[l], 0.0);
            direction.addBackward(l, rSignal);
            rSignal.muli(s.slope[l - 1]);
            if (s.curv[l - 1] != null) {
                s.curv[l - 1].mul(r.z[l - 1], s.signal);
                r.g[l - 1].addi(s.signal);
            }
        }
    }

    /** into := alpha sum_i (dh_i/dtheta): W_l gets alpha c_l A_{l-1}^T G_l, b_l gets alpha 1^T G_l. */
    private void accumulateGradient(INDArray x, Buffers s, ParamViews into, double alpha) {
        for (int l = 0; l < layers; l++) {
            Gemm.gemm(input(l, x, s), s.g[l], into.w[l], true, false, alpha * scale[l], 0.0);
            Gemm.gemm(s.ones, s.g[l], into.b[l], true, false, alpha, 0.0);
        }
    }

    /**
     * into := alpha sum_i R{dh_i/dtheta}: W_l gets alpha c_l (R{A_{l-1}}^T G_l + A_{l-1}^T R{G_l})
     * (R{x} = 0), b_l gets alpha 1^T R{G_l}. W_l itself does not appear in dh/dW_l, so the
     * direction adds no term here.
     */
    private void accumulateCurvature(INDArray x, Buffers s, Buffers.RPass r, ParamViews into, double alpha) {
        for (int l = 0; l < layers; l++) {
            Gemm.gemm(input(l, x, s), r.g[l], into.w[l], true, false, alpha * scale[l], 0.0);
            if (l > 0) {
                Gemm.gemm(r.a[l - 1], s.g[l], into.w[l], true, false, alpha * scale[l], 1.0);
            }
            Gemm.gemm(s.ones, r.g[l], into.b[l], true, false, alpha, 0.0);
        }
    }

    private static INDArray input(int l, INDArray x, Buffers s) {
        return l == 0 ? x : s.act[l - 1];
    }

    private INDArray output(Buffers s) {
        return s.z[layers - 1];
    }

    /** The direction of an R-operator pass, as it enters R{Z_l} and R{dh/dA_{l-1}}. */
    private interface Direction {
        /** rz += c_l in U_l + u_b,l, row by row (in = the rows of A_{l-1}). */
        void addForward(int l, INDArray in, INDArray rz);

        /** rSignal += c_l G_l U_l^T, row by row; l >= 1. */
        void addBackward(int l, INDArray rSignal);
    }

    /** One direction v for all samples: the terms are gemms with V_l. */
    private Direction shared(ParamViews v, Buffers s) {
        return new Direction() {
            @Override
            public void addForward(int l, INDArray in, INDArray rz) {
                Gemm.gemm(in, v.w[l], rz, false, false, scale[l], 1.0);
                Gemm.gemm(s.ones, v.b[l], rz, false, false, 1.0, 1.0);
            }

            @Override
            public void addBackward(int l, INDArray rSignal) {
                Gemm.gemm(s.g[l], v.w[l], rSignal, false, true, scale[l], 1.0);
            }
        };
    }

    /**
     * The direction u_i = H_i v, different for every sample, known through the first pass
     * {@code alongV}: U_l = c_l (Ra^T g + a^T Rg), u_b = Rg with a = A_{l-1,i}, Ra = R{A_{l-1,i}},
     * g = G_{l,i}, Rg = R{G_{l,i}} (see {@link #perSampleMoments}): rz += c_l^2 (a.Ra) g +
     * (c_l^2 (a.a) + 1) Rg and rSignal += c_l^2 [(g.g) Ra + (g.Rg) a] ({@link RowOps}).
     */
    private Direction perSample(Buffers.RPass alongV, Buffers s) {
        return new Direction() {
            @Override
            public void addForward(int l, INDArray in, INDArray rz) {
                RowOps.addPerSampleForward(in, l > 0 ? alongV.a[l - 1] : null, s.g[l], alongV.g[l], scale[l], fanOut[l], rz, s);
            }

            @Override
            public void addBackward(int l, INDArray rSignal) {
                RowOps.addPerSampleBackward(s.act[l - 1], alongV.a[l - 1], s.g[l], alongV.g[l], scale[l], width, rSignal, s);
            }
        };
    }

    // Argument checks, views and buffers.

    /** A parameter-shaped vector seen as per-layer W_l [fanIn, fanOut] and b_l [1, fanOut] views. */
    private record ParamViews(INDArray[] w, INDArray[] b) {
    }

    /** Checks a parameter-shaped argument and returns its per-layer views ({@link ParamVectors#views}). */
    private ParamViews views(INDArray vector, String name, boolean written) {
        return vectors.views(vector, name, written);
    }

    /** Views of a contiguous vector: element j lives at data()[offset() + j]. */
    private ParamViews viewsOn(INDArray contiguous) {
        INDArray[] w = new INDArray[layers];
        INDArray[] b = new INDArray[layers];
        for (int l = 0; l < layers; l++) {
            w[l] = Nd4j.create(contiguous.data(), new long[] {fanIn[l], fanOut[l]}, new long[] {fanOut[l], 1},
                    contiguous.offset() + weightOffset[l], 'c');
            b[l] = Nd4j.create(contiguous.data(), new long[] {1, fanOut[l]}, new long[] {fanOut[l], 1},
                    contiguous.offset() + biasOffset[l], 'c');
        }
        return new ParamViews(w, b);
    }

    private int checkInputs(INDArray x) {
        if (x == null) throw new IllegalArgumentException("x is required");
        if (x.dataType() != dataType) throw new IllegalArgumentException("x must be " + dataType + ", got " + x.dataType());
        if (x.rank() != 2 || x.columns() != inputs || x.rows() < 1) {
            throw new IllegalArgumentException("x must be [m >= 1, " + inputs + "], got shape " + Arrays.toString(x.shape()));
        }
        return (int) x.rows();
    }

    private void checkOutputs(INDArray y, String name, int rows) {
        ParamVectors.checkOutputs(y, name, rows, outputs, dataType);
    }

    private Buffers buffers(INDArray x) {
        int rows = checkInputs(x);
        return buffersByRows.computeIfAbsent(rows, m -> new Buffers(m, fanOut, width, activation == Activation.TANH, dataType));
    }

    private int checkLayer(int layer) {
        if (layer < 0 || layer >= layers) {
            throw new IllegalArgumentException("layer must be in [0, " + layers + "), got " + layer);
        }
        return layer;
    }

    @Override
    public LinkedHashMap<String, INDArray> exportArrays(INDArray theta) {
        LinkedHashMap<String, INDArray> out = new LinkedHashMap<>();
        INDArray t = theta.dataType() == DataType.DOUBLE ? theta : theta.castTo(DataType.DOUBLE);
        for (int l = 0; l < layers; l++) {
            int in = fanIn(l), outs = fanOut(l);
            out.put("W" + (l + 1), t.get(NDArrayIndex.interval(weightOffset(l), weightOffset(l) + (long) in * outs))
                    .dup().reshape('c', in, outs));
            out.put("b" + (l + 1), t.get(NDArrayIndex.interval(biasOffset(l), biasOffset(l) + outs)).dup());
        }
        return out;
    }

    @Override
    public LinkedHashMap<String, Object> describe() {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        m.put("family", "mlp");
        m.put("inputs", inputs);
        m.put("depth", depth);
        m.put("width", width);
        m.put("outputs", outputs);
        m.put("activation", activation.specName());
        m.put("init", init.specName());
        m.put("loss", loss.specName());
        m.put("output_scale", outputScale());
        m.put("num_params", numParams);
        m.put("arrays", "W1, b1, ..., W" + layers + ", b" + layers + " (W_l as [in, out]); rows are samples: a_0 = x, "
                + "a_l = activation(a_{l-1} W_l + b_l) for the hidden layers, f(x) = output_scale * a_{L-1} W_L + b_L");
        return m;
    }

    @Override
    public String toString() {
        return "Mlp[inputs=" + inputs + ", depth=" + depth + ", width=" + width + ", outputs=" + outputs
                + ", activation=" + activation.specName() + ", init=" + init.specName() + ", loss=" + loss.specName()
                + ", params=" + numParams + (dataType == DataType.DOUBLE ? "" : ", " + dataType) + "]";
    }
}
