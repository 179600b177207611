package org.sharpsweep.worker.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sharpsweep.sweeps.Activation;
import org.sharpsweep.sweeps.ImageShape;
import org.sharpsweep.sweeps.Init;
import org.sharpsweep.sweeps.Loss;
import org.sharpsweep.sweeps.Pool;
import org.sharpsweep.worker.blas.Blas;

/**
 * A convolutional network with exact first and second derivatives, defined like PyTorch so that
 * anybody can rebuild a trained one.
 *
 * <p><b>Model.</b> Input rows are images of {@link ImageShape} C x H x W in (c, y, x) order. Block
 * i = 0..B-1 ({@code conv_blocks}) is a convolution with C_i = channels 2^i output channels,
 * kernel k x k, stride 1, zero padding k/2 (so the size stays: k is odd), then the activation,
 * then 2x2 pooling with stride 2 (max or avg, sizes rounded down) or none. The features are then
 * flattened in channel-major (c, y, x) order (PyTorch's {@code flatten} of NCHW) and go through
 * {@code depth} dense hidden layers of {@code width} and the output layer, exactly as in the
 * {@link Mlp} (f = c A W + b with the mean-field output scale c).
 *
 * <p><b>Parameter layout</b> (users export it, so it is fixed): the convolutions first, block by
 * block, each K_i [C_i, C_{i-1}, k, k] row-major (PyTorch's {@code Conv2d.weight}) then its bias
 * [C_i]; then the dense layers as in the MLP, W [in, out] row-major then b [out].
 *
 * <p><b>Initialization</b> from {@code new SplittableRandom(seed)} in layout order, U(-r, r) as
 * r (2u - 1): default is PyTorch's (weights and biases in +-1/sqrt(fan_in), fan_in = C_in k k
 * for a convolution); xavier has r = sqrt(6 / (fan_in + fan_out)) with fan_out = C_out k k for a
 * convolution and zero biases; mean-field draws every layer but the output as default and the
 * output layer as the MLP does (weights U(-1, 1), bias 0, output scaled by 1/width when depth >= 1).
 *
 * <p><b>Derivatives</b>: the gradient by backpropagation, Hessian-vector products by
 * Pearlmutter's R-operator through every {@link Stage} (a convolution is linear in its weights and
 * its input; max pooling routes through the argmax of the forward pass, like the relu mask), the
 * per-sample products of the non-uniformity in two passes as for the MLP, the per-sample
 * direction of the convolutions applied by one small GEMM per sample. Samples are processed in
 * chunks of {@link #chunkRows()} rows (sums over chunks), which bounds the memory of the
 * activations and patch matrices; a convolution is one GEMM per chunk on its im2col patches.
 *
 * <p><b>Threads.</b> Thread-confined, like the MLP: one instance per thread.
 */
public final class Cnn implements Model {
    static {
        Blas.prepare();
    }

    /** The elements of the largest per-chunk array (activation or patch matrix) a chunk aims at. */
    static final int CHUNK_ELEMENTS = 1 << 20;
    private static final int CACHED_ROW_COUNTS = 4;

    private final ImageShape input;
    private final int convBlocks;
    private final int channels;
    private final int kernel;
    private final Pool pool;
    private final int depth;
    private final int width;
    private final int outputs;
    private final Activation activation;
    private final Init init;
    private final Loss loss;
    private final DataType dataType;

    private final Stage[] stages;
    /** Per parameter layer j (convolutions, then dense layers): weight shape, offsets, fans. */
    private final long[][] weightShape;
    private final long[] weightOffset;
    private final long[] biasOffset;
    private final int[] fanIn;
    private final int[] fanOut;
    private final boolean[] conv;
    private final int numParams;
    private final int features;
    private int chunkRows;

    private final ParamVectors<Stage.Params> vectors;
    private final Map<Integer, Chunk> chunksByRows = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Chunk> eldest) {
            return size() > CACHED_ROW_COUNTS;
        }
    };

    public Cnn(ImageShape input, int convBlocks, int channels, int kernel, Pool pool, int depth, int width, int outputs,
               Activation activation, Init init, Loss loss) {
        this(input, convBlocks, channels, kernel, pool, depth, width, outputs, activation, init, loss, DataType.DOUBLE);
    }

    public Cnn(ImageShape input, int convBlocks, int channels, int kernel, Pool pool, int depth, int width, int outputs,
               Activation activation, Init init, Loss loss, DataType dataType) {
        if (dataType != DataType.DOUBLE && dataType != DataType.FLOAT) {
            throw new IllegalArgumentException("dataType must be DOUBLE or FLOAT, got " + dataType);
        }
        if (input == null) throw new IllegalArgumentException("the cnn family needs image inputs (an image shape)");
        if (convBlocks < 1) throw new IllegalArgumentException("conv_blocks must be >= 1, got " + convBlocks);
        if (channels < 1) throw new IllegalArgumentException("channels must be >= 1, got " + channels);
        if (kernel < 1 || kernel % 2 == 0) throw new IllegalArgumentException("kernel must be odd and >= 1, got " + kernel);
        if (depth < 0) throw new IllegalArgumentException("depth must be >= 0, got " + depth);
        if (width < 1) throw new IllegalArgumentException("width must be >= 1, got " + width);
        if (outputs < 1) throw new IllegalArgumentException("outputs must be >= 1, got " + outputs);
        if (pool == null || activation == null || init == null || loss == null) {
            throw new IllegalArgumentException("pool, activation, init and loss are required");
        }
        this.input = input;
        this.convBlocks = convBlocks;
        this.channels = channels;
        this.kernel = kernel;
        this.pool = pool;
        this.depth = depth;
        this.width = width;
        this.outputs = outputs;
        this.activation = activation;
        this.init = init;
        this.loss = loss;
        this.dataType = dataType;

        int layers = convBlocks + depth + 1;
        weightShape = new long[layers][];
        weightOffset = new long[layers];
        biasOffset = new long[layers];
        fanIn = new int[layers];
        fanOut = new int[layers];
        conv = new boolean[layers];
        List<Stage> list = new ArrayList<>();
        long offset = 0;
        int c = input.channels();
        int h = input.height();
        int w = input.width();
        for (int i = 0; i < convBlocks; i++) {
            long out = (long) channels << i;
            if (out > 1 << 20) throw new IllegalArgumentException("block " + (i + 1) + " has " + out + " channels");
            int cout = (int) out;
            conv[i] = true;
            weightShape[i] = new long[] {cout, c, kernel, kernel};
            fanIn[i] = c * kernel * kernel;
            fanOut[i] = cout * kernel * kernel;
            weightOffset[i] = offset;
            biasOffset[i] = offset + (long) cout * fanIn[i];
            offset = biasOffset[i] + cout;
            list.add(new ConvStage(i, c, h, w, cout, kernel, i == 0));
            c = cout;
            // relu(max pool(z)) = max pool(relu(z)) in value and in every derivative (relu keeps the
            // order, and its slope is 0 wherever the window's max is <= 0), on a quarter of the elements
            boolean poolFirst = pool == Pool.MAX && activation == Activation.RELU;
            if (!poolFirst) {
                list.add(new Stage.Act(h * w * cout, activation));
            }
            if (pool != Pool.NONE) {
                list.add(new Stage.Pool2(h, w, c, pool == Pool.MAX));
                h /= 2;
                w /= 2;
                if (h < 1 || w < 1) {
                    throw new IllegalArgumentException(convBlocks + " conv blocks pool a " + input + " image to nothing after block "
                            + (i + 1) + " (each pooling halves the size, rounding down)");
                }
            }
            if (poolFirst) {
                list.add(new Stage.Act(h * w * cout, activation));
            }
        }
        features = c * h * w;
        list.add(Stage.Move.channelMajor(h, w, c));
        double outputScale = outputScale();
        for (int l = 0; l <= depth; l++) {
            int j = convBlocks + l;
            fanIn[j] = l == 0 ? features : width;
            fanOut[j] = l == depth ? outputs : width;
            weightShape[j] = new long[] {fanIn[j], fanOut[j]};
            weightOffset[j] = offset;
            biasOffset[j] = offset + (long) fanIn[j] * fanOut[j];
            offset = biasOffset[j] + fanOut[j];
            list.add(new Stage.Dense(j, fanIn[j], fanOut[j], l == depth ? outputScale : 1.0));
            if (l < depth) {
                list.add(new Stage.Act(width, activation));
            }
        }
        if (offset > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the model has " + offset + " parameters, more than an array can hold");
        }
        numParams = (int) offset;
        vectors = new ParamVectors<>(dataType, numParams, this::viewsOn);
        stages = list.toArray(new Stage[0]);
        long largest = 1;
        for (Stage s : stages) {
            largest = Math.max(largest, Math.max(s.inSize, s.outSize));
        }
        long patches = 0;
        int cc = input.channels();
        int hh = input.height();
        int ww = input.width();
        for (int i = 0; i < convBlocks; i++) { // the im2col matrix of block i: H W x C_in k k per sample
            patches = Math.max(patches, (long) hh * ww * cc * kernel * kernel);
            cc = channels << i;
            if (pool != Pool.NONE) {
                hh /= 2;
                ww /= 2;
            }
        }
        chunkRows = (int) Math.max(1, CHUNK_ELEMENTS / Math.max(largest, patches));
    }

    @Override
    public DataType dataType() {
        return dataType;
    }

    @Override
    public Cnn withDataType(DataType type) {
        return type == dataType ? this
                : new Cnn(input, convBlocks, channels, kernel, pool, depth, width, outputs, activation, init, loss, type);
    }

    /** Every array of this model is c-order; targets given so meet the outputs in one pass. */
    @Override
    public char sampleOrder(int rows) {
        return 'c';
    }

    @Override
    public int numParams() {
        return numParams;
    }

    /** Samples per chunk: every call runs over its rows in chunks of at most this many. */
    public int chunkRows() {
        return chunkRows;
    }

    /** Runs every later call over chunks of {@code rows} samples (tests compare chunked and whole sums). */
    void setChunkRows(int rows) {
        if (rows < 1) throw new IllegalArgumentException("rows must be >= 1, got " + rows);
        chunkRows = rows;
        chunksByRows.clear();
    }

    /** Length of the flattened features that enter the first dense layer. */
    public int features() {
        return features;
    }

    /** c = 1/width for init mean-field with depth >= 1, else 1, as for the MLP. */
    public double outputScale() {
        return init == Init.MEAN_FIELD && depth >= 1 ? 1.0 / width : 1.0;
    }

    @Override
    public INDArray initParams(long seed) {
        ParamVectors.Layer[] blocks = new ParamVectors.Layer[weightShape.length];
        for (int j = 0; j < blocks.length; j++) {
            blocks[j] = new ParamVectors.Layer(weightOffset[j], biasOffset[j] - weightOffset[j], biasOffset[j], biasLength(j),
                    fanIn[j], fanOut[j], j == blocks.length - 1);
        }
        return ParamVectors.draw(seed, numParams, blocks, init, dataType);
    }

    private long biasLength(int j) {
        return conv[j] ? weightShape[j][0] : fanOut[j];
    }

    // ---------------------------------------------------------------------------------------
    // The public operations: each runs over the rows in chunks and sums.

    @Override
    public INDArray predict(INDArray theta, INDArray x) {
        Stage.Params p = views(theta, "theta", false);
        int m = checkInputs(x);
        INDArray out = Nd4j.create(dataType, new long[] {m, outputs}, 'c');
        int step = evenChunk(m);
        for (int from = 0; from < m; from += step) {
            Chunk s = load(x, from, Math.min(step, m - from));
            forward(p, s);
            out.get(NDArrayIndex.interval(from, from + s.rows), NDArrayIndex.all()).assign(output(s));
        }
        return out;
    }

    @Override
    public double loss(INDArray theta, INDArray x, INDArray y) {
        return evaluate(theta, x, y, false).loss();
    }

    @Override
    public Evaluation evaluate(INDArray theta, INDArray x, INDArray y) {
        return evaluate(theta, x, y, true);
    }

    private Evaluation evaluate(INDArray theta, INDArray x, INDArray y, boolean keepOutputs) {
        Stage.Params p = views(theta, "theta", false);
        int m = checkInputs(x);
        checkOutputs(y, "y", m);
        INDArray out = keepOutputs ? Nd4j.create(dataType, new long[] {m, outputs}, 'c') : null;
        double sum = 0.0;
        int step = evenChunk(m);
        for (int from = 0; from < m; from += step) {
            Chunk s = load(x, from, Math.min(step, m - from));
            forward(p, s);
            sum += OutputHead.of(loss, rows(y, from, s.rows), s.head).gradient(output(s), s.g[stages.length]);
            if (out != null) {
                out.get(NDArrayIndex.interval(from, from + s.rows), NDArrayIndex.all()).assign(output(s));
            }
        }
        return new Evaluation(sum / m, out);
    }

    @Override
    public double lossAndGradient(INDArray theta, INDArray x, INDArray y, INDArray grad) {
        Stage.Params p = views(theta, "theta", false);
        int m = checkInputs(x);
        checkOutputs(y, "y", m);
        Written into = written(grad, "grad", theta, null);
        double sum = 0.0;
        int step = evenChunk(m);
        for (int from = 0; from < m; from += step) {
            Chunk s = load(x, from, Math.min(step, m - from));
            sum += firstOrder(p, s, OutputHead.of(loss, rows(y, from, s.rows), s.head));
            gradient(p, s, into.views, 1.0 / m, from == 0 ? 0.0 : 1.0);
        }
        into.finish();
        return sum / m;
    }

    @Override
    public void backpropOutputGradient(INDArray theta, INDArray x, INDArray g, INDArray grad) {
        Stage.Params p = views(theta, "theta", false);
        int m = checkInputs(x);
        checkOutputs(g, "g", m);
        Written into = written(grad, "grad", theta, null);
        int step = evenChunk(m);
        for (int from = 0; from < m; from += step) {
            Chunk s = load(x, from, Math.min(step, m - from));
            firstOrder(p, s, OutputHead.linear(rows(g, from, s.rows)));
            gradient(p, s, into.views, 1.0, from == 0 ? 0.0 : 1.0);
        }
        into.finish();
    }

    @Override
    public void hvp(INDArray theta, INDArray x, INDArray y, INDArray v, INDArray out) {
        curvature(theta, x, y, v, out, false);
    }

    @Override
    public void hvpOutputLinear(INDArray theta, INDArray x, INDArray g, INDArray v, INDArray out) {
        curvature(theta, x, g, v, out, true);
    }

    private void curvature(INDArray theta, INDArray x, INDArray y, INDArray v, INDArray out, boolean outputLinear) {
        Stage.Params p = views(theta, "theta", false);
        Stage.Params direction = views(v, "v", false);
        int m = checkInputs(x);
        checkOutputs(y, outputLinear ? "g" : "y", m);
        Written into = written(out, "out", theta, v);
        double alpha = outputLinear ? 1.0 : 1.0 / m;
        int step = evenChunk(m);
        for (int from = 0; from < m; from += step) {
            Chunk s = load(x, from, Math.min(step, m - from));
            INDArray ys = rows(y, from, s.rows);
            OutputHead head = outputLinear ? OutputHead.linear(ys) : OutputHead.of(loss, ys, s.head);
            firstOrder(p, s, head);
            Chunk.Pass r = s.first();
            rPass(p, s, head, r, new Stage.Direction(direction, null));
            rGradient(p, s, r, into.views, alpha, from == 0 ? 0.0 : 1.0);
        }
        into.finish();
    }

    /**
     * sumHv := sum_i H_i v and sumHHv := sum_i H_i (H_i v) in two R passes per chunk: along v,
     * then along the per-sample u_i = H_i v, which every stage applies from the first pass's
     * values without forming it (see {@link Mlp#perSampleMoments} for the dense layers; a
     * convolution forms its small per-sample weight block U_i [C_out, C_in k k]).
     */
    @Override
    public void perSampleMoments(INDArray theta, INDArray x, INDArray y, INDArray v, INDArray sumHv, INDArray sumHHv) {
        Stage.Params p = views(theta, "theta", false);
        Stage.Params direction = views(v, "v", false);
        int m = checkInputs(x);
        checkOutputs(y, "y", m);
        Written intoHv = written(sumHv, "sumHv", theta, v);
        Written intoHHv = written(sumHHv, "sumHHv", theta, v);
        int step = evenChunk(m);
        for (int from = 0; from < m; from += step) {
            Chunk s = load(x, from, Math.min(step, m - from));
            OutputHead head = OutputHead.of(loss, rows(y, from, s.rows), s.head);
            double beta = from == 0 ? 0.0 : 1.0;
            firstOrder(p, s, head);
            Chunk.Pass alongV = s.first();
            rPass(p, s, head, alongV, new Stage.Direction(direction, null));
            rGradient(p, s, alongV, intoHv.views, 1.0, beta);
            Chunk.Pass alongHv = s.second();
            rPass(p, s, head, alongHv, new Stage.Direction(null, alongV));
            rGradient(p, s, alongHv, intoHHv.views, 1.0, beta);
        }
        intoHv.finish();
        intoHHv.finish();
    }

    // ---------------------------------------------------------------------------------------
    // The passes over one chunk.

    private void forward(Stage.Params p, Chunk s) {
        for (int k = 0; k < stages.length; k++) {
            stages[k].forward(p, s, k);
        }
    }

    /** Forward, head and backward: the per-sample signals g[k], k >= 1; returns sum_i h_i. */
    private double firstOrder(Stage.Params p, Chunk s, OutputHead head) {
        forward(p, s);
        int n = stages.length;
        double sum = head.gradient(output(s), s.g[n]);
        for (int k = n - 1; k >= 1; k--) {
            stages[k].backward(p, s, k);
        }
        return sum;
    }

    private void gradient(Stage.Params p, Chunk s, Stage.Params into, double alpha, double beta) {
        for (int k = 0; k < stages.length; k++) {
            stages[k].gradient(p, s, k, into, alpha, beta);
        }
    }

    private void rPass(Stage.Params p, Chunk s, OutputHead head, Chunk.Pass r, Stage.Direction d) {
        int n = stages.length;
        for (int k = 0; k < n; k++) {
            stages[k].rForward(p, s, k, r, d);
        }
        head.hessianTimes(r.r[n], r.rg[n]);
        for (int k = n - 1; k >= 1; k--) {
            stages[k].rBackward(p, s, k, r, d);
        }
    }

    private void rGradient(Stage.Params p, Chunk s, Chunk.Pass r, Stage.Params into, double alpha, double beta) {
        for (int k = 0; k < stages.length; k++) {
            stages[k].rGradient(p, s, k, r, into, alpha, beta);
        }
    }

    private INDArray output(Chunk s) {
        return s.x[stages.length];
    }

    /** Rows per chunk for m rows: at most chunkRows, as even as the count allows (no last chunk of one row). */
    private int evenChunk(int m) {
        int chunks = (m + chunkRows - 1) / chunkRows;
        return (m + chunks - 1) / chunks;
    }

    /** The chunk of rows [from, from + rows) with its inputs copied in. */
    private Chunk load(INDArray x, int from, int rows) {
        Chunk s = chunksByRows.computeIfAbsent(rows, r -> new Chunk(r, stages, outputs, dataType));
        s.x[0].assign(rows(x, from, rows));
        return s;
    }

    private static INDArray rows(INDArray a, int from, int count) {
        return from == 0 && count == a.rows() ? a : a.get(NDArrayIndex.interval(from, from + count), NDArrayIndex.all());
    }

    // ---------------------------------------------------------------------------------------
    // Views, checks.

    /**
     * A parameter-shaped output, summed chunk by chunk: written in place unless it shares its
     * buffer with an input that later chunks still read (hvp's out may be v), then through a copy.
     */
    private final class Written {
        final INDArray target;
        final INDArray buffer;
        final Stage.Params views;

        Written(INDArray target, INDArray buffer, Stage.Params views) {
            this.target = target;
            this.buffer = buffer;
            this.views = views;
        }

        void finish() {
            if (buffer != target) {
                target.assign(buffer.reshape(target.shape()));
            }
        }
    }

    private Written written(INDArray out, String name, INDArray theta, INDArray v) {
        Stage.Params checked = views(out, name, true);
        boolean aliased = out.data() == theta.data() || v != null && out.data() == v.data();
        if (!aliased) {
            return new Written(out, out, checked);
        }
        INDArray copy = Nd4j.create(dataType, numParams);
        return new Written(out, copy, viewsOn(copy));
    }

    private Stage.Params views(INDArray vector, String name, boolean written) {
        return vectors.views(vector, name, written);
    }

    /** Per layer: a convolution's K as [C_out, C_in k k], a dense W as [in, out]; biases as [1, n]. */
    private Stage.Params viewsOn(INDArray contiguous) {
        int layers = weightShape.length;
        INDArray[] w = new INDArray[layers];
        INDArray[] b = new INDArray[layers];
        for (int j = 0; j < layers; j++) {
            long rows = conv[j] ? weightShape[j][0] : fanIn[j];
            long cols = conv[j] ? fanIn[j] : fanOut[j];
            w[j] = Nd4j.create(contiguous.data(), new long[] {rows, cols}, new long[] {cols, 1},
                    contiguous.offset() + weightOffset[j], 'c');
            long n = biasLength(j);
            b[j] = Nd4j.create(contiguous.data(), new long[] {1, n}, new long[] {n, 1}, contiguous.offset() + biasOffset[j], 'c');
        }
        return new Stage.Params(w, b);
    }

    private int checkInputs(INDArray x) {
        if (x == null) throw new IllegalArgumentException("x is required");
        if (x.dataType() != dataType) throw new IllegalArgumentException("x must be " + dataType + ", got " + x.dataType());
        if (x.rank() != 2 || x.columns() != input.size() || x.rows() < 1) {
            throw new IllegalArgumentException("x must be [m >= 1, " + input.size() + "] (images " + input
                    + " in (c, y, x) order), got shape " + Arrays.toString(x.shape()));
        }
        return (int) x.rows();
    }

    private void checkOutputs(INDArray y, String name, int rows) {
        ParamVectors.checkOutputs(y, name, rows, outputs, dataType);
    }

    // ---------------------------------------------------------------------------------------
    // Export.

    @Override
    public LinkedHashMap<String, INDArray> exportArrays(INDArray theta) {
        LinkedHashMap<String, INDArray> out = new LinkedHashMap<>();
        INDArray t = theta.dataType() == DataType.DOUBLE ? theta : theta.castTo(DataType.DOUBLE);
        for (int j = 0; j < weightShape.length; j++) {
            String w = conv[j] ? "K" + (j + 1) : "W" + (j - convBlocks + 1);
            String b = conv[j] ? "k" + (j + 1) : "b" + (j - convBlocks + 1);
            out.put(w, t.get(NDArrayIndex.interval(weightOffset[j], biasOffset[j])).dup().reshape('c', weightShape[j]));
            out.put(b, t.get(NDArrayIndex.interval(biasOffset[j], biasOffset[j] + biasLength(j))).dup());
        }
        return out;
    }

    @Override
    public LinkedHashMap<String, Object> describe() {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        m.put("family", "cnn");
        m.put("input_shape", List.of(input.channels(), input.height(), input.width()));
        m.put("conv_blocks", convBlocks);
        m.put("channels", channels);
        m.put("kernel", kernel);
        m.put("padding", kernel / 2);
        m.put("pool", pool.specName());
        m.put("depth", depth);
        m.put("width", width);
        m.put("outputs", outputs);
        m.put("activation", activation.specName());
        m.put("init", init.specName());
        m.put("loss", loss.specName());
        m.put("output_scale", outputScale());
        m.put("features", features);
        m.put("num_params", numParams);
        m.put("arrays", "K1, k1, ..., K" + convBlocks + ", k" + convBlocks + " (K_i as [out, in, kernel, kernel], PyTorch's "
                + "Conv2d weight), then W1, b1, ..., W" + (depth + 1) + ", b" + (depth + 1) + " (W_l as [in, out]). x is an "
                + "NCHW image; block i: a = pool(activation(conv2d(a, K_i, k_i, stride 1, padding kernel/2))), pool 2x2 stride 2 ("
                + pool.specName() + "); then a = flatten(a) in (c, y, x) order, a = activation(a W_l + b_l) for the hidden "
                + "layers, f(x) = output_scale * a W_L + b_L");
        return m;
    }

    @Override
    public String toString() {
        return "Cnn[input=" + input + ", conv_blocks=" + convBlocks + ", channels=" + channels + ", kernel=" + kernel
                + ", pool=" + pool.specName() + ", depth=" + depth + ", width=" + width + ", outputs=" + outputs
                + ", activation=" + activation.specName() + ", init=" + init.specName() + ", loss=" + loss.specName()
                + ", params=" + numParams + (dataType == DataType.DOUBLE ? "" : ", " + dataType) + "]";
    }
}
