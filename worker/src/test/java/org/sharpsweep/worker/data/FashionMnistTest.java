package org.sharpsweep.worker.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sharpsweep.sweeps.Dataset;
import org.sharpsweep.sweeps.SpecException;
import org.sharpsweep.sweeps.Setting;
import org.sharpsweep.sweeps.SmallSpecs;

/**
 * The real Fashion-MNIST of Debian's {@code dataset-fashion-mnist}. The package is a test
 * requirement (CI installs it): a missing directory fails these tests, it does not skip them.
 * Expected values are read here from the gzipped IDX files with plain java.util.zip.
 */
class FashionMnistTest {
    private static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");
    private static final int N = 1000;

    private static int[] fileTrainLabels;
    private static int[] fileTestLabels;
    private static int[][] fileFirstImages;

    @BeforeAll
    static void readFilesIndependently() throws IOException {
        assertTrue(Files.isDirectory(DIR), DIR + " is missing: install the Debian package dataset-fashion-mnist");
        fileTrainLabels = readLabels(DIR.resolve("train-labels-idx1-ubyte.gz"));
        fileTestLabels = readLabels(DIR.resolve("t10k-labels-idx1-ubyte.gz"));
        fileFirstImages = readImages(DIR.resolve("train-images-idx3-ubyte.gz"), 5);
    }

    private static int[] readLabels(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(new FileInputStream(file.toFile())))) {
            assertEquals(0x801, in.readInt());
            int[] labels = new int[in.readInt()];
            for (int i = 0; i < labels.length; i++) labels[i] = in.readUnsignedByte();
            return labels;
        }
    }

    private static int[][] readImages(Path file, int count) throws IOException {
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(new FileInputStream(file.toFile())))) {
            assertEquals(0x803, in.readInt());
            assertEquals(60000, in.readInt());
            assertEquals(28, in.readInt());
            assertEquals(28, in.readInt());
            int[][] images = new int[count][784];
            for (int[] image : images) for (int j = 0; j < 784; j++) image[j] = in.readUnsignedByte();
            return images;
        }
    }

    private static Data load(int nTrain, int nTest, List<Integer> classes) {
        return Datasets.load(IdxDatasetTest.spec(Dataset.FASHION_MNIST, DIR.toString(), nTrain, nTest, classes, 0.0), 0L);
    }

    @Test
    void firstThousandMatchTheFiles() {
        long start = System.nanoTime();
        Data data = load(N, 500, List.of());
        System.out.printf("Fashion-MNIST n_train=%d n_test=500 loaded in %.3f s%n",
                N, (System.nanoTime() - start) / 1e9);
        assertArrayEquals(new long[] {N, 784}, data.trainX().shape());
        assertArrayEquals(new long[] {N, 10}, data.trainY().shape());
        assertArrayEquals(new long[] {500, 784}, data.testX().shape());
        assertEquals(10, data.outputs());

        double[] x = data.trainX().data().asDouble();
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(0.0, min, 0.0, "background pixels are 0");
        assertEquals(1.0, max, 0.0, "some pixel is 255");

        for (int s = 0; s < fileFirstImages.length; s++) {
            for (int j = 0; j < 784; j++) {
                assertEquals(fileFirstImages[s][j] / 255.0, x[s * 784 + j], 0.0, "image " + s + " pixel " + j);
            }
        }
        assertArrayEquals(Arrays.copyOf(fileTrainLabels, N), data.trainLabels());
        assertArrayEquals(Arrays.copyOf(fileTestLabels, 500), data.testLabels());

        int[] counts = new int[10];
        int[] expectedCounts = new int[10];
        for (int i = 0; i < N; i++) {
            counts[data.trainLabels()[i]]++;
            expectedCounts[fileTrainLabels[i]]++;
        }
        assertArrayEquals(expectedCounts, counts);
        double[] ySums = data.trainY().sum(0).toDoubleVector();
        for (int c = 0; c < 10; c++) assertEquals(expectedCounts[c], ySums[c], 0.0, "one-hot column " + c);
        for (int c = 0; c < 10; c++) assertTrue(counts[c] > 50, "class " + c + " is rare among the first 1000: " + counts[c]);
    }

    /**
     * {@code scale: standardize}: against the unit-scaled pixels of the same samples, every
     * training feature has mean 0 and standard deviation 1 (a feature constant over the 1000
     * images, such as a corner pixel that is always 0, is 0), and the test set is transformed
     * with the training mean and deviation, not its own.
     */
    @Test
    void standardizedInputsUseTrainingStatistics() {
        Data unit = load(N, 200, List.of());
        Data std = Datasets.load(SmallSpecs.teacher().with(Setting.DATASET, Dataset.FASHION_MNIST)
                .with(Setting.TARGET, org.sharpsweep.sweeps.Target.SINGLE_NEURON).with(Setting.INPUT_DIM, 1)
                .with(Setting.PATH, DIR.toString()).with(Setting.N_TRAIN, N).with(Setting.N_TEST, 200)
                .with(Setting.INPUT_SCALE, org.sharpsweep.sweeps.InputScale.STANDARDIZE).data(), 0L);
        double[][] u = unit.trainX().toDoubleMatrix();
        double[][] z = std.trainX().toDoubleMatrix();
        double[][] ut = unit.testX().toDoubleMatrix();
        double[][] zt = std.testX().toDoubleMatrix();
        int constant = 0;
        for (int j = 0; j < 784; j++) {
            double mean = 0;
            for (double[] row : u) mean += row[j];
            mean /= N;
            double var = 0;
            for (double[] row : u) var += (row[j] - mean) * (row[j] - mean);
            double sd = Math.sqrt(var / N);
            double zMean = 0;
            double zVar = 0;
            for (double[] row : z) zMean += row[j];
            zMean /= N;
            for (double[] row : z) zVar += (row[j] - zMean) * (row[j] - zMean);
            assertEquals(0.0, zMean, 1e-12, "feature " + j + " mean");
            if (sd == 0) {
                constant++;
                assertEquals(0.0, zVar, 0.0, "constant feature " + j);
                assertEquals(ut[7][j] - mean, zt[7][j], 1e-12, "constant feature " + j + " is only shifted");
            } else {
                assertEquals(1.0, zVar / N, 1e-12, "feature " + j + " variance");
                for (int i : new int[] {0, 99, 199}) {
                    assertEquals((ut[i][j] - mean) / sd, zt[i][j], 1e-12, "test sample " + i + ", feature " + j);
                }
            }
        }
        assertTrue(constant < 784, "most features vary");
        assertArrayEquals(unit.trainLabels(), std.trainLabels());
    }

    /** Ankle boot (9) becomes 0, T-shirt/top (0) becomes 1; other classes are skipped. */
    @Test
    void classSubsetIsRelabelled() {
        List<Integer> classes = List.of(9, 0);
        Data data = load(300, 100, classes);
        assertEquals(2, data.outputs());
        assertArrayEquals(new long[] {300, 2}, data.trainY().shape());
        int[] expected = new int[300];
        for (int i = 0, found = 0; found < 300; i++) {
            int c = classes.indexOf(fileTrainLabels[i]);
            if (c >= 0) expected[found++] = c;
        }
        assertArrayEquals(expected, data.trainLabels());
        int[] expectedTest = new int[100];
        for (int i = 0, found = 0; found < 100; i++) {
            int c = classes.indexOf(fileTestLabels[i]);
            if (c >= 0) expectedTest[found++] = c;
        }
        assertArrayEquals(expectedTest, data.testLabels());
    }

    @Test
    void verifyKnowsTheSizes() {
        assertDoesNotThrow(() -> Datasets.verify(IdxDatasetTest.spec(Dataset.FASHION_MNIST, DIR.toString(), 60000, 10000, List.of(), 0.0)));
        SpecException e = assertThrows(SpecException.class,
                () -> Datasets.verify(IdxDatasetTest.spec(Dataset.FASHION_MNIST, DIR.toString(), 60001, 10000, List.of(), 0.0)));
        assertTrue(e.getMessage().contains("data.n_train = 60001") && e.getMessage().contains("holds only 60000 samples"), e.getMessage());
        // Fashion-MNIST is balanced: 6000 training images per class
        e = assertThrows(SpecException.class,
                () -> Datasets.verify(IdxDatasetTest.spec(Dataset.FASHION_MNIST, DIR.toString(), 12001, 10, List.of(3, 4), 0.0)));
        assertTrue(e.getMessage().contains("holds only 12000 samples of classes [3, 4]"), e.getMessage());
    }
}
