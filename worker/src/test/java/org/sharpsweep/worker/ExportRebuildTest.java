package org.sharpsweep.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sharpsweep.sweeps.GridPoint;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.Status;
import org.sharpsweep.sweeps.SweepSpec;
import org.sharpsweep.worker.data.Data;
import org.sharpsweep.worker.data.Datasets;

/**
 * What a user rebuilds from an exported point (its {@code .npy} files and {@code model.json}) is
 * the trained network: a plain-Java forward pass that reads only the export (its own {@code .npy}
 * reader, the settings from {@code model.json}, the arrays by name and shape, nothing of the
 * engine's model code) reproduces the row's {@code train_loss} to 1e-12, for a cnn and an mlp
 * trained on the real Fashion-MNIST.
 */
class ExportRebuildTest {
    private static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

    @BeforeAll
    static void data() {
        assertTrue(Files.isDirectory(FASHION), "install the Debian package dataset-fashion-mnist");
    }

    @Test
    void aCnnRebuiltFromItsExportReproducesTheTrainLoss(@TempDir Path dir) throws IOException {
        rebuildAndCompare(dir, "{family: cnn, conv_blocks: 2, channels: 3, kernel: 3, pool: max, depth: 1, width: 12, activation: relu}",
                "xent");
        assertTrue(Files.exists(dir.resolve("K2.npy")) && Files.exists(dir.resolve("k2.npy")));
    }

    @Test
    void aTanhCnnWithAveragePoolingAndMeanFieldInit(@TempDir Path dir) throws IOException {
        rebuildAndCompare(dir, "{family: cnn, conv_blocks: 1, channels: 2, kernel: 5, pool: avg, depth: 2, width: 6, "
                + "activation: tanh, init: mean-field}", "mse");
    }

    @Test
    void anMlpRebuiltFromItsExportReproducesTheTrainLoss(@TempDir Path dir) throws IOException {
        rebuildAndCompare(dir, "{depth: 2, width: 10, activation: tanh}", "half-sse");
    }

    private static void rebuildAndCompare(Path dir, String model, String loss) throws IOException {
        GridPoint p = SweepSpec.parse("name: export\nseed: 4\ndata: {dataset: fashion-mnist, path: " + FASHION
                + ", n_train: 60, n_test: 20}\nmodel: " + model + "\nloss: " + loss
                + "\ntrain: {steps: 15, lr: 0.1, batch_size: 20}\nmeasure: {sharpness: false, nonuniformity: false}\n").point(0);
        PointResult r = PointRunner.run(p, dir);
        assertEquals(Status.OK, r.status(), String.valueOf(r.error()));
        Data data = Datasets.load(p.spec().data(), p.sweepSeed());
        Exported net = new Exported(dir);
        double[][] x = data.trainX().toDoubleMatrix();
        double[][] y = data.trainY().toDoubleMatrix();
        double total = 0;
        for (int i = 0; i < x.length; i++) {
            total += net.loss(net.forward(x[i]), y[i]);
        }
        double trainLoss = (Double) r.get(ResultSchema.TRAIN_LOSS);
        assertEquals(trainLoss, total / x.length, 1e-12 * Math.max(1.0, Math.abs(trainLoss)), "train_loss from the export");
    }

    /** An exported network: model.json and the arrays, read with nothing but the JDK and Jackson. */
    private static final class Exported {
        private final Path dir;
        private final JsonNode json;

        Exported(Path dir) throws IOException {
            this.dir = dir;
            this.json = new ObjectMapper().readTree(dir.resolve("model.json").toFile());
        }

        double[] forward(double[] row) throws IOException {
            double[] a = row;
            String activation = json.get("activation").asText();
            int blocks = 0;
            if (json.get("family").asText().equals("cnn")) {
                JsonNode shape = json.get("input_shape");
                int c = shape.get(0).asInt();
                int h = shape.get(1).asInt();
                int w = shape.get(2).asInt();
                blocks = json.get("conv_blocks").asInt();
                int pad = json.get("padding").asInt();
                String pool = json.get("pool").asText();
                for (int b = 1; b <= blocks; b++) {
                    Npy kernel = Npy.read(dir.resolve("K" + b + ".npy"));
                    Npy bias = Npy.read(dir.resolve("k" + b + ".npy"));
                    int out = kernel.shape[0];
                    int k = kernel.shape[2];
                    assertEquals(c, kernel.shape[1], "K" + b + " input channels");
                    double[] z = new double[out * h * w];
                    for (int o = 0; o < out; o++) {
                        for (int y = 0; y < h; y++) {
                            for (int x = 0; x < w; x++) {
                                double sum = bias.data[o];
                                for (int i = 0; i < c; i++) {
                                    for (int dy = 0; dy < k; dy++) {
                                        for (int dx = 0; dx < k; dx++) {
                                            int yy = y + dy - pad;
                                            int xx = x + dx - pad;
                                            if (yy >= 0 && yy < h && xx >= 0 && xx < w) {
                                                sum += kernel.data[((o * c + i) * k + dy) * k + dx] * a[(i * h + yy) * w + xx];
                                            }
                                        }
                                    }
                                }
                                z[(o * h + y) * w + x] = act(activation, sum);
                            }
                        }
                    }
                    a = z;
                    c = out;
                    if (!pool.equals("none")) {
                        int h2 = h / 2;
                        int w2 = w / 2;
                        double[] pooled = new double[c * h2 * w2];
                        for (int o = 0; o < c; o++) {
                            for (int y = 0; y < h2; y++) {
                                for (int x = 0; x < w2; x++) {
                                    double p00 = a[(o * h + 2 * y) * w + 2 * x];
                                    double p01 = a[(o * h + 2 * y) * w + 2 * x + 1];
                                    double p10 = a[(o * h + 2 * y + 1) * w + 2 * x];
                                    double p11 = a[(o * h + 2 * y + 1) * w + 2 * x + 1];
                                    pooled[(o * h2 + y) * w2 + x] = pool.equals("max")
                                            ? Math.max(Math.max(p00, p01), Math.max(p10, p11)) : 0.25 * (p00 + p01 + p10 + p11);
                                }
                            }
                        }
                        a = pooled;
                        h = h2;
                        w = w2;
                    }
                }
            }
            int layers = json.get("depth").asInt() + 1;
            double scale = json.get("output_scale").asDouble();
            for (int l = 1; l <= layers; l++) {
                Npy weights = Npy.read(dir.resolve("W" + l + ".npy"));
                Npy bias = Npy.read(dir.resolve("b" + l + ".npy"));
                int in = weights.shape[0];
                int out = weights.shape[1];
                assertEquals(a.length, in, "W" + l + " rows");
                double[] z = new double[out];
                for (int j = 0; j < out; j++) {
                    double sum = 0;
                    for (int i = 0; i < in; i++) {
                        sum += a[i] * weights.data[i * out + j];
                    }
                    z[j] = (l == layers ? scale : 1.0) * sum + bias.data[j];
                    if (l < layers) {
                        z[j] = act(activation, z[j]);
                    }
                }
                a = z;
            }
            return a;
        }

        double loss(double[] f, double[] y) {
            String loss = json.get("loss").asText();
            double sse = 0;
            for (int j = 0; j < f.length; j++) {
                sse += (f[j] - y[j]) * (f[j] - y[j]);
            }
            switch (loss) {
                case "mse":
                    return sse / f.length;
                case "half-sse":
                    return 0.5 * sse;
                case "xent": {
                    double max = Double.NEGATIVE_INFINITY;
                    for (double v : f) max = Math.max(max, v);
                    double sum = 0;
                    for (double v : f) sum += Math.exp(v - max);
                    double lse = max + Math.log(sum);
                    double l = 0;
                    for (int j = 0; j < f.length; j++) l -= y[j] * (f[j] - lse);
                    return l;
                }
                default:
                    throw new AssertionError("unknown loss " + loss);
            }
        }

        private static double act(String activation, double z) {
            return activation.equals("relu") ? Math.max(z, 0.0) : Math.tanh(z);
        }
    }

    /** A little-endian float64 .npy file (format 1.0), C order: its shape and values. */
    private record Npy(int[] shape, double[] data) {
        private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

        static Npy read(Path file) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals((byte) 0x93, b.get(0), file + " magic");
            int major = b.get(6);
            int headerLength = major == 1 ? b.getShort(8) & 0xffff : b.getInt(8);
            int start = major == 1 ? 10 : 12;
            String header = new String(b.array(), start, headerLength, StandardCharsets.ISO_8859_1);
            assertTrue(header.contains("'descr': '<f8'") && header.contains("'fortran_order': False"), file + ": " + header);
            Matcher m = SHAPE.matcher(header);
            assertTrue(m.find(), header);
            String[] dims = m.group(1).split(",");
            int count = 0;
            int[] shape = new int[dims.length];
            int size = 1;
            for (String d : dims) {
                if (!d.isBlank()) {
                    shape[count] = Integer.parseInt(d.trim());
                    size *= shape[count++];
                }
            }
            shape = java.util.Arrays.copyOf(shape, count);
            double[] data = new double[size];
            b.position(start + headerLength);
            for (int i = 0; i < size; i++) {
                data[i] = b.getDouble();
            }
            return new Npy(shape, data);
        }
    }
}
