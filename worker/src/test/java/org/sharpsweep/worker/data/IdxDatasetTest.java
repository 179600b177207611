package org.sharpsweep.worker.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sharpsweep.worker.data.TestFiles.MNIST_PIXELS;
import static org.sharpsweep.worker.data.TestFiles.TEST_OFFSET;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sharpsweep.sweeps.DataSpec;
import org.sharpsweep.sweeps.Dataset;
import org.sharpsweep.sweeps.SpecException;
import org.sharpsweep.sweeps.Setting;
import org.sharpsweep.sweeps.SmallSpecs;

/** MNIST-format (IDX) loading from small files written by {@link TestFiles}. */
class IdxDatasetTest {
    @TempDir
    Path dir;

    static DataSpec spec(Dataset dataset, String path, int nTrain, int nTest, List<Integer> classes, double noise) {
        return SmallSpecs.teacher().with(Setting.DATASET, dataset).with(Setting.INPUT_DIM, 1).with(Setting.PATH, path)
                .with(Setting.N_TRAIN, nTrain).with(Setting.N_TEST, nTest).with(Setting.CLASSES, classes)
                .with(Setting.LABEL_NOISE, noise).data();
    }

    private DataSpec mnist(int nTrain, int nTest, List<Integer> classes) {
        return spec(Dataset.MNIST, dir.toString(), nTrain, nTest, classes, 0.0);
    }

    /**
     * Checks a split against the file formulas: row r is sample {@code ids[r]}, its inputs are
     * pixel/255 exactly, its label {@code labels[r]}, its target the one-hot row of that label.
     */
    static void assertSamples(INDArray x, INDArray y, int[] actualLabels, int[] ids, int[] labels, int k, int pixels) {
        assertEquals(DataType.DOUBLE, x.dataType());
        assertEquals(DataType.DOUBLE, y.dataType());
        assertArrayEquals(new long[] {ids.length, pixels}, x.shape());
        assertArrayEquals(new long[] {ids.length, k}, y.shape());
        assertArrayEquals(labels, actualLabels);
        double[] xs = x.data().asDouble();
        double[] ys = y.data().asDouble();
        for (int r = 0; r < ids.length; r++) {
            for (int j = 0; j < pixels; j++) {
                double expected = TestFiles.pixel(ids[r], j) / 255.0;
                if (xs[r * pixels + j] != expected) {
                    assertEquals(expected, xs[r * pixels + j], 0.0, "row " + r + " (sample " + ids[r] + ") pixel " + j);
                }
            }
            for (int c = 0; c < k; c++) {
                assertEquals(c == labels[r] ? 1.0 : 0.0, ys[r * k + c], 0.0, "one-hot row " + r + " column " + c);
            }
        }
    }

    /** Sample numbers first..first+n-1 and their labels from the formula. */
    private static int[][] firstSamples(int first, int n) {
        int[] ids = new int[n];
        int[] labels = new int[n];
        for (int r = 0; r < n; r++) {
            ids[r] = first + r;
            labels[r] = TestFiles.label(first + r);
        }
        return new int[][] {ids, labels};
    }

    /** The first n samples (counting from first) whose label is in classes, relabelled to list positions. */
    static int[][] firstOfClasses(int first, int n, List<Integer> classes) {
        List<Integer> ids = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int s = first; ids.size() < n; s++) {
            int c = classes.indexOf(TestFiles.label(s));
            if (c >= 0) {
                ids.add(s);
                labels.add(c);
            }
        }
        return new int[][] {ids.stream().mapToInt(Integer::intValue).toArray(), labels.stream().mapToInt(Integer::intValue).toArray()};
    }

    /** Samples among the first {@code total} whose label is in classes. */
    static int countOfClasses(int total, List<Integer> classes) {
        int count = 0;
        for (int s = 0; s < total; s++) if (classes.contains(TestFiles.label(s))) count++;
        return count;
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void loadsTheFirstSamplesScaledAndOneHot(boolean gzip) throws IOException {
        TestFiles.writeMnist(dir, 60, 20, gzip);
        DataSpec spec = mnist(25, 8, List.of());
        Datasets.verify(spec);
        Data data = Datasets.load(spec, 1L);
        assertEquals(10, data.outputs());
        assertTrue(data.isClassification());
        assertEquals(MNIST_PIXELS, data.inputs());
        int[][] train = firstSamples(0, 25);
        int[][] test = firstSamples(TEST_OFFSET, 8);
        assertSamples(data.trainX(), data.trainY(), data.trainLabels(), train[0], train[1], 10, MNIST_PIXELS);
        assertSamples(data.testX(), data.testY(), data.testLabels(), test[0], test[1], 10, MNIST_PIXELS);
    }

    @Test
    void fashionMnistReadsTheSameFormat() throws IOException {
        TestFiles.writeMnist(dir, 30, 10, true);
        Data data = Datasets.load(spec(Dataset.FASHION_MNIST, dir.toString(), 30, 10, List.of(), 0.0), 1L);
        int[][] train = firstSamples(0, 30);
        assertSamples(data.trainX(), data.trainY(), data.trainLabels(), train[0], train[1], 10, MNIST_PIXELS);
    }

    @Test
    void classSubsetKeepsTheListedClassesAndRelabelsInListOrder() throws IOException {
        TestFiles.writeMnist(dir, 200, 100, true);
        List<Integer> classes = List.of(7, 2, 4);
        DataSpec spec = mnist(30, 12, classes);
        Datasets.verify(spec);
        Data data = Datasets.load(spec, 1L);
        assertEquals(3, data.outputs());
        int[][] train = firstOfClasses(0, 30, classes);
        int[][] test = firstOfClasses(TEST_OFFSET, 12, classes);
        assertSamples(data.trainX(), data.trainY(), data.trainLabels(), train[0], train[1], 3, MNIST_PIXELS);
        assertSamples(data.testX(), data.testY(), data.testLabels(), test[0], test[1], 3, MNIST_PIXELS);
        // label c stands for raw class classes.get(c): list order, not sorted order (7 -> 0, 2 -> 1, 4 -> 2)
        for (int r = 0; r < train[0].length; r++) {
            assertEquals(TestFiles.label(train[0][r]), classes.get(data.trainLabels()[r]), "row " + r);
        }
    }

    @Test
    void hadoopFileUriAndPlainPathGiveTheSameData() throws IOException {
        TestFiles.writeMnist(dir, 20, 5, false);
        Data plain = Datasets.load(mnist(20, 5, List.of()), 1L);
        Data uri = Datasets.load(spec(Dataset.MNIST, dir.toUri().toString(), 20, 5, List.of(), 0.0), 1L);
        assertTrue(dir.toUri().toString().startsWith("file:"));
        assertArrayEquals(plain.trainX().data().asDouble(), uri.trainX().data().asDouble(), 0.0);
        assertArrayEquals(plain.testLabels(), uri.testLabels());
    }

    @Test
    void plainAndGzippedFilesMayBeMixed() throws IOException {
        TestFiles.write(dir, "train-images-idx3-ubyte", TestFiles.images(0, 10), false);
        TestFiles.write(dir, "train-labels-idx1-ubyte", TestFiles.labels(0, 10), true);
        TestFiles.write(dir, "t10k-images-idx3-ubyte", TestFiles.images(TEST_OFFSET, 4), true);
        TestFiles.write(dir, "t10k-labels-idx1-ubyte", TestFiles.labels(TEST_OFFSET, 4), false);
        Data data = Datasets.load(mnist(10, 4, List.of()), 1L);
        int[][] test = firstSamples(TEST_OFFSET, 4);
        assertSamples(data.testX(), data.testY(), data.testLabels(), test[0], test[1], 10, MNIST_PIXELS);
    }

    @Test
    void tooFewSamplesNamesTheFieldAndTheNumbers() throws IOException {
        TestFiles.writeMnist(dir, 60, 20, true);
        SpecException e = assertThrows(SpecException.class, () -> Datasets.verify(mnist(61, 5, List.of())));
        assertTrue(e.getMessage().contains("data.n_train = 61") && e.getMessage().contains("holds only 60 samples")
                && e.getMessage().contains("train-labels-idx1-ubyte.gz"), e.getMessage());
        e = assertThrows(SpecException.class, () -> Datasets.load(mnist(61, 5, List.of()), 1L));
        assertTrue(e.getMessage().contains("data.n_train = 61"), e.getMessage());

        e = assertThrows(SpecException.class, () -> Datasets.verify(mnist(10, 21, List.of())));
        assertTrue(e.getMessage().contains("data.n_test = 21") && e.getMessage().contains("holds only 20 samples")
                && e.getMessage().contains("t10k-labels-idx1-ubyte.gz"), e.getMessage());

        List<Integer> classes = List.of(3, 8);
        int available = countOfClasses(60, classes);
        DataSpec tooMany = mnist(available + 1, 2, classes);
        e = assertThrows(SpecException.class, () -> Datasets.verify(tooMany));
        assertTrue(e.getMessage().contains("data.n_train = " + (available + 1))
                && e.getMessage().contains("holds only " + available + " samples of classes [3, 8]"), e.getMessage());
        e = assertThrows(SpecException.class, () -> Datasets.load(tooMany, 1L));
        assertTrue(e.getMessage().contains("holds only " + available + " samples of classes [3, 8]"), e.getMessage());
        assertDoesNotThrow(() -> Datasets.verify(mnist(available, 2, classes)));
    }

    @Test
    void missingDirectoryOrFileIsNamed() throws IOException {
        Path missing = dir.resolve("nowhere");
        SpecException e = assertThrows(SpecException.class,
                () -> Datasets.verify(spec(Dataset.MNIST, missing.toString(), 5, 5, List.of(), 0.0)));
        assertTrue(e.getMessage().contains("data.path does not exist") && e.getMessage().contains(missing.toString()), e.getMessage());
        assertThrows(SpecException.class, () -> Datasets.load(spec(Dataset.MNIST, missing.toString(), 5, 5, List.of(), 0.0), 1L));

        TestFiles.writeMnist(dir, 10, 10, true);
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        e = assertThrows(SpecException.class, () -> Datasets.verify(mnist(5, 5, List.of())));
        assertTrue(e.getMessage().contains("data.path " + dir) && e.getMessage().contains("t10k-labels-idx1-ubyte.gz"), e.getMessage());

        e = assertThrows(SpecException.class,
                () -> Datasets.verify(spec(Dataset.MNIST, "nosuchfs://host/data", 5, 5, List.of(), 0.0)));
        assertTrue(e.getMessage().contains("data.path nosuchfs://host/data cannot be read")
                && e.getMessage().contains("nosuchfs"), e.getMessage());

        Path file = dir.resolve("train-images-idx3-ubyte.gz");
        e = assertThrows(SpecException.class, () -> Datasets.verify(spec(Dataset.MNIST, file.toString(), 5, 5, List.of(), 0.0)));
        assertTrue(e.getMessage().contains("must be a directory"), e.getMessage());
    }

    @Test
    void badMagicNumberIsNamed() throws IOException {
        TestFiles.writeMnist(dir, 10, 10, false);
        // a label file where the image file should be
        TestFiles.write(dir, "train-images-idx3-ubyte", TestFiles.labels(0, 10), false);
        SpecException e = assertThrows(SpecException.class, () -> Datasets.verify(mnist(5, 5, List.of())));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte") && e.getMessage().contains("magic number 0x00000801")
                && e.getMessage().contains("expected 0x00000803"), e.getMessage());
        assertThrows(SpecException.class, () -> Datasets.load(mnist(5, 5, List.of()), 1L));
    }

    @Test
    void gzippedDataUnderAPlainNameGetsAHint() throws IOException {
        TestFiles.writeMnist(dir, 10, 10, false);
        Path gz = TestFiles.write(dir.resolve("tmp"), "t10k-labels-idx1-ubyte", TestFiles.labels(0, 10), true);
        Files.move(gz, dir.resolve("t10k-labels-idx1-ubyte"), StandardCopyOption.REPLACE_EXISTING);
        SpecException e = assertThrows(SpecException.class, () -> Datasets.verify(mnist(5, 5, List.of())));
        assertTrue(e.getMessage().contains("looks gzipped"), e.getMessage());
    }

    @Test
    void notGzipUnderAGzName() throws IOException {
        TestFiles.writeMnist(dir, 10, 10, true);
        Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), TestFiles.labels(0, 10));
        SpecException e = assertThrows(SpecException.class, () -> Datasets.verify(mnist(5, 5, List.of())));
        assertTrue(e.getMessage().contains("train-labels-idx1-ubyte.gz is not a gzip file"), e.getMessage());
    }

    /** Issue 9: an empty or corrupt gzip stream was reported without the file's name, by load as by verify. */
    @Test
    void emptyOrCorruptGzipIsNamedByLoadToo() throws IOException {
        TestFiles.writeMnist(dir, 10, 10, true);
        Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), new byte[0]);
        SpecException e = assertThrows(SpecException.class, () -> Datasets.load(mnist(5, 5, List.of()), 1L));
        assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte.gz is empty (0 bytes)"), e.getMessage());

        TestFiles.writeMnist(dir, 10, 10, true);
        Path images = dir.resolve("train-images-idx3-ubyte.gz");
        byte[] gz = Files.readAllBytes(images);
        Files.write(images, java.util.Arrays.copyOf(gz, gz.length / 2));
        e = assertThrows(SpecException.class, () -> Datasets.load(mnist(10, 5, List.of()), 1L));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz is truncated: its gzip stream ends early"), e.getMessage());
    }

    @Test
    void headersMustAgree() throws IOException {
        TestFiles.writeMnist(dir, 10, 10, true);
        TestFiles.write(dir, "train-labels-idx1-ubyte", TestFiles.labels(0, 9), true);
        SpecException e = assertThrows(SpecException.class, () -> Datasets.verify(mnist(5, 5, List.of())));
        assertTrue(e.getMessage().contains("holds 10 images but") && e.getMessage().contains("holds 9 labels"), e.getMessage());

        TestFiles.writeMnist(dir, 10, 10, true);
        TestFiles.write(dir, "t10k-images-idx3-ubyte",
                TestFiles.idxBytes(0x803, new int[] {10, 32, 32}, TestFiles.imagesBody(0, 10, 32 * 32)), true);
        e = assertThrows(SpecException.class, () -> Datasets.verify(mnist(5, 5, List.of())));
        assertTrue(e.getMessage().contains("32x32 pixels, expected 28x28"), e.getMessage());
    }

    @Test
    void labelsOutsideZeroToNineAreRejected() throws IOException {
        TestFiles.writeMnist(dir, 10, 10, true);
        byte[] labels = TestFiles.labelsBody(0, 10);
        labels[4] = 12;
        TestFiles.write(dir, "train-labels-idx1-ubyte", TestFiles.idxBytes(0x801, new int[] {10}, labels), true);
        SpecException e = assertThrows(SpecException.class, () -> Datasets.load(mnist(8, 5, List.of()), 1L));
        assertTrue(e.getMessage().contains("label 12 of sample 4") && e.getMessage().contains("outside 0..9"), e.getMessage());
    }

    /**
     * The image file declares 60 images but holds 20. verify() reads every file through, so it refuses
     * the file whatever n_train is, naming it and both counts; load stops after the last image it
     * needs, so 10 images load; 30 reach the end of the file.
     */
    @Test
    void verifyReadsThroughAndLoadStopsEarly() throws IOException {
        TestFiles.writeMnist(dir, 60, 10, true);
        TestFiles.write(dir, "train-images-idx3-ubyte",
                TestFiles.idxBytes(0x803, new int[] {60, 28, 28}, TestFiles.imagesBody(0, 20, MNIST_PIXELS)), true);
        SpecException e = assertThrows(SpecException.class, () -> Datasets.verify(mnist(5, 10, List.of())));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz is truncated: it ends after 20 of the 60 images")
                && e.getMessage().contains("(15680 of 47040 pixel bytes)"), e.getMessage());
        Data data = Datasets.load(mnist(10, 10, List.of()), 1L);
        int[][] train = firstSamples(0, 10);
        assertSamples(data.trainX(), data.trainY(), data.trainLabels(), train[0], train[1], 10, MNIST_PIXELS);
        e = assertThrows(SpecException.class, () -> Datasets.load(mnist(30, 10, List.of()), 1L));
        assertTrue(e.getMessage().contains("is truncated: it ends after 20 of the 60 images"), e.getMessage());
    }

    /** A file fixed in place after a refusal is read again: the remembered checks are keyed by its version. */
    @Test
    void aRepairedFileIsCheckedAgain() throws IOException {
        TestFiles.writeMnist(dir, 60, 10, false);
        Datasets.verify(mnist(60, 10, List.of()));
        byte[] labels = TestFiles.labelsBody(0, 60);
        labels[59] = 10;
        TestFiles.write(dir, "train-labels-idx1-ubyte", TestFiles.idxBytes(0x801, new int[] {60}, labels), false);
        Files.setLastModifiedTime(dir.resolve("train-labels-idx1-ubyte"), java.nio.file.attribute.FileTime.fromMillis(1000));
        SpecException e = assertThrows(SpecException.class, () -> Datasets.verify(mnist(5, 10, List.of())));
        assertTrue(e.getMessage().contains("label 10 of sample 59"), e.getMessage());
        TestFiles.write(dir, "train-labels-idx1-ubyte", TestFiles.labels(0, 60), false);
        assertDoesNotThrow(() -> Datasets.verify(mnist(60, 10, List.of())));
    }
}
