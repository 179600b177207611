package org.sharpsweep.sweeps;

import java.util.Locale;
import java.util.Set;

/**
 * A pure, deliberately rough estimate of the memory one point needs on an executor, so that a
 * point that cannot fit is refused before any work ({@link SweepSpec#checkFits}) rather than
 * ending in OutOfMemoryError rows. It counts the large arrays the worker allocates and nothing
 * else; it is meant to be right within a factor of about two for large points.
 *
 * <p>With d the input dimension (teacher: {@code input_dim}; MNIST and Fashion-MNIST 784;
 * CIFAR-10 3072), k the outputs (classes, 1 for teacher), w the width, L the depth, n and m the
 * training and test sample counts, B the batch size, c = min(n, 2048) the rows of one curvature
 * chunk, s the bytes of the training type (8 for float64, 4 for float32) and I the Lanczos
 * iteration cap ({@code measure.max_iters}):
 * <pre>
 *   P       = L = 0 : d k + k
 *             L >= 1: (d w + w) + (L - 1)(w^2 + w) + (w k + k)             parameters
 *   params  = 8 P x 2 + s P x 3        double parameters and their copy; parameters, gradient
 *                                      and velocity in the training type
 *             + [sam] s P              SAM's perturbed parameters theta + e
 *   data    = 8 (n + m)(d + k) + [float32] 4 n (d + k)
 *   train   = s B (d + 4 L w + 3 k)    activations, pre-activations and deltas of one batch
 *   curve   = 8 P (I + 4) + 8 c (8 L w + 4 k)   Lanczos basis and vectors, chunk scratch
 *             (only when sharpness or non-uniformity is measured)
 *   bytes   = params + data + train + curve + conv + 64 MiB (the engine's own footprint)
 * </pre>
 * A data-parallel point ({@code train.parallel: data}) trains B / W rows of each batch on an
 * executor, so its train term has B / W for B; the rest is counted as for any point (each
 * executor loads the data and holds the parameters; the Lanczos basis lives on the driver then,
 * which keeps the estimate an upper bound).
 * A cnn ({@code model.family: cnn}) has P from {@link PointSpec#numParams} (the conv blocks'
 * kernels and biases, then the dense part above with d = F, the last block's flattened output;
 * the data and train terms keep d, the image size). The worker runs a cnn in chunks of samples
 * whose largest array holds about 2^20 values (fewer than 256 samples for any real image), which
 * this estimate bounds by 256 samples.
 * With block i's input sides H_i x W_i (the size its convolution keeps), in_i input and out_i
 * output channels, kernel q, A = sum_i out_i H_i W_i the activation values of one sample and
 * S = sum_i H_i W_i in_i q^2 its im2col patches:
 * <pre>
 *   conv    = s min(B, 256)(12 A + S) + [curvature] 8 min(c, 256)(12 A + S)
 * </pre>
 * (pre-activations, activations, pooled values, argmax indices, deltas and their copies, about
 * twelve values per activation; the im2col matrix of each block). An mlp has conv = 0 and the
 * estimate it always had.
 * Example: width 10^9 on a 5-input teacher (n = 200), depth 1: P = 7 x 10^9 + 1, about 23 TB
 * (12 TB of curvature chunk scratch, 5.3 TB of Lanczos basis, 0.2 TB of parameter buffers).
 * The catalog's sweeps need 64-213 MB a point.
 *
 * @param parameters  P
 * @param bytes       the estimate
 * @param blame       the setting that drives the largest term (named in {@link #explain})
 * @param blameValue  its value at this point
 * @param term        what the largest term holds: "parameters", "data", "batch" or "conv"
 */
public record MemoryEstimate(long parameters, long bytes, Setting blame, Object blameValue, String term) {

    /** Settings the estimate reads: the axes {@link SweepSpec#checkFits} must vary. */
    public static final Set<Setting> INPUTS = java.util.Collections.unmodifiableSet(new java.util.HashSet<>(java.util.List.of(Setting.DATASET, Setting.INPUT_DIM, Setting.N_TRAIN,
            Setting.N_TEST, Setting.CLASSES, Setting.DEPTH, Setting.WIDTH, Setting.BATCH_SIZE, Setting.DTYPE,
            Setting.MAX_ITERS, org.sharpsweep.sweeps.measure.Measures.SHARPNESS_ON,
            org.sharpsweep.sweeps.measure.Measures.NONUNIFORMITY_ON, Setting.LOSS, Setting.FAMILY,
            Setting.CONV_BLOCKS, Setting.CHANNELS, Setting.KERNEL, Setting.POOL, Setting.PARALLEL, Setting.WORKERS, Setting.OPTIMIZER)));

    /** The samples of one chunk through a cnn that the estimate counts (an upper bound of the worker's chunk). */
    public static final int CONV_CHUNK = 256;

    /** What the engine needs besides the arrays counted here. */
    public static final long BASE_BYTES = 64L << 20;

    /** Input dimension d of a point: the teacher's {@code input_dim}, else the data set's image size. */
    public static long inputDim(PointSpec p) {
        return switch (p.data().dataset()) {
            case TEACHER -> p.data().inputDim();
            case CIFAR10 -> 3072;
            default -> 784;
        };
    }

    /** The estimate for one resolved point. */
    public static MemoryEstimate of(PointSpec p) {
        double d = inputDim(p);
        ImageShape flat = p.convOutput();
        // the dense part's input: a cnn's flattened last block
        double dense = flat == null ? d : (double) flat.channels() * flat.height() * flat.width();
        double k = p.outputs();
        double w = p.model().width();
        double depth = p.model().depth();
        double n = p.data().nTrain();
        double m = p.data().nTest();
        double b = p.train().batchSize() == 0 ? n : p.train().batchSize();
        if (p.train().dataParallel()) b /= p.train().workers(); // each executor trains on its part of the batch
        double s = p.train().dtype() == DType.FLOAT32 ? 4 : 8;
        double iters = p.measure().maxIters();
        double c = Math.min(n, 2048);
        double params = p.numParams();
        double paramBytes = 8 * params * 2 + s * params * (p.train().sam() ? 4 : 3);
        double dataBytes = 8 * (n + m) * (d + k) + (s == 4 ? 4 * n * (d + k) : 0);
        double batchBytes = s * b * (d + 4 * depth * w + 3 * k);
        boolean lanczos = org.sharpsweep.sweeps.measure.Measures.all().stream().anyMatch(x -> x.lanczos() && p.measure().on(x));
        // a trace keeps its Krylov basis of measure.trace_deflate vectors
        int deflate = p.measure().on(org.sharpsweep.sweeps.measure.Measures.TRACE)
                ? p.measure().intValue(org.sharpsweep.sweeps.measure.Measures.TRACE_DEFLATE) : 0;
        boolean curvature = lanczos || deflate > 0;
        double vectors = Math.max(lanczos ? iters : 0, deflate);
        double curveBytes = curvature ? 8 * params * (vectors + 4) + 8 * c * (8 * depth * w + 4 * k) : 0;
        double convBytes = 0;
        if (flat != null) {
            double perSample = convPerSample(p);
            convBytes = s * Math.min(b, CONV_CHUNK) * perSample + (curvature ? 8 * Math.min(c, CONV_CHUNK) * perSample : 0);
        }
        double total = paramBytes + dataBytes + batchBytes + curveBytes + convBytes + BASE_BYTES;

        Setting blame;
        Object value;
        String term;
        if (convBytes > paramBytes + curveBytes && convBytes >= dataBytes && convBytes >= batchBytes) {
            term = "conv";
            blame = Setting.CHANNELS;
            value = p.model().channels();
        } else if (paramBytes + curveBytes >= dataBytes && paramBytes + curveBytes >= batchBytes) {
            term = "parameters";
            // the input layer d x w against the rest: a teacher's input_dim when it is the larger factor there
            boolean inputs = p.data().dataset() == Dataset.TEACHER && d > w && d * w >= (depth - 1) * w * w + w * k;
            double convParams = flat == null ? 0 : params - (depth == 0 ? dense * k + k
                    : (dense * w + w) + (depth - 1) * (w * w + w) + (w * k + k));
            if (convParams > params / 2) {
                blame = Setting.CHANNELS;
                value = p.model().channels();
            } else if (inputs || depth == 0) {
                blame = p.data().dataset() == Dataset.TEACHER ? Setting.INPUT_DIM : Setting.WIDTH;
                value = blame == Setting.INPUT_DIM ? (Object) p.data().inputDim() : (Object) p.model().width();
            } else {
                blame = Setting.WIDTH;
                value = p.model().width();
            }
        } else if (dataBytes >= batchBytes) {
            term = "data";
            if (p.data().dataset() == Dataset.TEACHER && d > n + m) {
                blame = Setting.INPUT_DIM;
                value = p.data().inputDim();
            } else if (m > n) {
                blame = Setting.N_TEST;
                value = p.data().nTest();
            } else {
                blame = Setting.N_TRAIN;
                value = p.data().nTrain();
            }
        } else {
            term = "batch";
            // full batch: the batch is the training set, so n_train is what to change
            blame = b == n ? Setting.N_TRAIN : Setting.BATCH_SIZE;
            value = (int) b;
        }
        long bytes = total >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) total;
        long pCount = params >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) params;
        return new MemoryEstimate(pCount, bytes, blame, value, term);
    }

    /**
     * 12 A + S of the class comment: the values one sample's pass through a cnn's convolution
     * blocks holds at once (activations about twelve times, im2col patches once).
     */
    static double convPerSample(PointSpec p) {
        ModelSpec m = p.model();
        ImageShape image = p.imageShape();
        double h = image.height(), w = image.width(), in = image.channels(), q2 = (double) m.kernel() * m.kernel();
        double activations = 0, patches = 0;
        for (int i = 0; i < m.convBlocks(); i++) {
            double out = m.blockChannels(i);
            activations += out * h * w;
            patches += h * w * in * q2;
            in = out;
            h = m.pooled((int) h);
            w = m.pooled((int) w);
        }
        return 12 * activations + patches;
    }

    /** E.g. {@code model.width 1000000000 needs ~5.7 TB for 7000000001 parameters}. */
    public String explain() {
        String what = switch (term) {
            case "parameters" -> parameters + " parameters";
            case "data" -> "the data (n_train + n_test samples of their input dimension)";
            case "conv" -> "the convolution blocks' activations of one chunk of up to " + CONV_CHUNK + " samples";
            default -> blame == Setting.N_TRAIN ? "one full batch of activations" : "one batch of activations";
        };
        return blame.path() + " " + blameValue + " needs ~" + human(bytes) + " for " + what;
    }

    /** Bytes in binary units with one decimal: {@code 4.0 GB} is 4 x 2^30 bytes. */
    public static String human(long bytes) {
        String[] units = {"B", "KB", "MB", "GB", "TB", "PB", "EB"};
        double x = bytes;
        int u = 0;
        while (x >= 1024 && u < units.length - 1) {
            x /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", x, units[u]);
    }
}
