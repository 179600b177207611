package org.sharpsweep.worker.data;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sharpsweep.worker.data.IdxDatasetTest.assertSamples;
import static org.sharpsweep.worker.data.TestFiles.CIFAR_PIXELS;
import static org.sharpsweep.worker.data.TestFiles.TEST_OFFSET;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sharpsweep.sweeps.DataSpec;
import org.sharpsweep.sweeps.Dataset;
import org.sharpsweep.sweeps.SpecException;

/** CIFAR-10 binary batches written by {@link TestFiles}: 5 training batches of 4 records, a test batch of 6. */
class CifarDatasetTest {
    private static final int PER_BATCH = 4;
    private static final int N_TEST_FILE = 6;

    @TempDir
    Path dir;

    private DataSpec cifar(Path path, int nTrain, int nTest, List<Integer> classes) {
        return IdxDatasetTest.spec(Dataset.CIFAR10, path.toString(), nTrain, nTest, classes, 0.0);
    }

    /** Training records run on across batches, so n = 10 spans data_batch_1..3. */
    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void loadsRecordsAcrossBatches(boolean gzip) throws IOException {
        TestFiles.writeCifar(dir, PER_BATCH, N_TEST_FILE, gzip);
        DataSpec spec = cifar(dir, 10, 5, List.of());
        Datasets.verify(spec);
        Data data = Datasets.load(spec, 1L);
        assertEquals(10, data.outputs());
        assertEquals(CIFAR_PIXELS, data.inputs());
        int[][] train = IdxDatasetTest.firstOfClasses(0, 10, List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
        int[][] test = IdxDatasetTest.firstOfClasses(TEST_OFFSET, 5, List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
        assertSamples(data.trainX(), data.trainY(), data.trainLabels(), train[0], train[1], 10, CIFAR_PIXELS);
        assertSamples(data.testX(), data.testY(), data.testLabels(), test[0], test[1], 10, CIFAR_PIXELS);
    }

    @Test
    void findsTheBatchesInTheArchiveSubfolderAndKeepsAClassSubset() throws IOException {
        TestFiles.writeCifar(dir.resolve("cifar-10-batches-bin"), PER_BATCH, N_TEST_FILE, true);
        List<Integer> classes = List.of(5, 0, 9);
        int available = IdxDatasetTest.countOfClasses(5 * PER_BATCH, classes);
        DataSpec spec = cifar(dir, available, 2, classes);
        Datasets.verify(spec);
        Data data = Datasets.load(spec, 1L);
        assertEquals(3, data.outputs());
        int[][] train = IdxDatasetTest.firstOfClasses(0, available, classes);
        int[][] test = IdxDatasetTest.firstOfClasses(TEST_OFFSET, 2, classes);
        assertSamples(data.trainX(), data.trainY(), data.trainLabels(), train[0], train[1], 3, CIFAR_PIXELS);
        assertSamples(data.testX(), data.testY(), data.testLabels(), test[0], test[1], 3, CIFAR_PIXELS);

        SpecException e = assertThrows(SpecException.class, () -> Datasets.verify(cifar(dir, available + 1, 2, classes)));
        assertTrue(e.getMessage().contains("data.n_train = " + (available + 1))
                && e.getMessage().contains("holds only " + available + " samples of classes [5, 0, 9]")
                && e.getMessage().contains("data_batch_1.bin .. data_batch_5.bin"), e.getMessage());
        e = assertThrows(SpecException.class, () -> Datasets.load(cifar(dir, available + 1, 2, classes), 1L));
        assertTrue(e.getMessage().contains("holds only " + available + " samples of classes [5, 0, 9]"), e.getMessage());
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void tooFewSamplesNamesTheFieldAndTheNumbers(boolean gzip) throws IOException {
        TestFiles.writeCifar(dir, PER_BATCH, N_TEST_FILE, gzip);
        assertDoesNotThrow(() -> Datasets.verify(cifar(dir, 5 * PER_BATCH, N_TEST_FILE, List.of())));
        SpecException e = assertThrows(SpecException.class, () -> Datasets.verify(cifar(dir, 5 * PER_BATCH + 1, 1, List.of())));
        assertTrue(e.getMessage().contains("data.n_train = 21") && e.getMessage().contains("holds only 20 samples"), e.getMessage());
        e = assertThrows(SpecException.class, () -> Datasets.verify(cifar(dir, 1, N_TEST_FILE + 1, List.of())));
        assertTrue(e.getMessage().contains("data.n_test = 7") && e.getMessage().contains("holds only 6 samples")
                && e.getMessage().contains("test_batch.bin"), e.getMessage());
    }

    @Test
    void missingBatchIsNamed() throws IOException {
        TestFiles.writeCifar(dir, PER_BATCH, N_TEST_FILE, false);
        Files.delete(dir.resolve("data_batch_3.bin"));
        SpecException e = assertThrows(SpecException.class, () -> Datasets.verify(cifar(dir, 2, 2, List.of())));
        assertTrue(e.getMessage().contains("data_batch_3.bin") && e.getMessage().contains("data.path"), e.getMessage());

        Path empty = dir.resolve("empty");
        Files.createDirectories(empty);
        e = assertThrows(SpecException.class, () -> Datasets.verify(cifar(empty, 2, 2, List.of())));
        assertTrue(e.getMessage().contains("cifar-10-batches-bin") && e.getMessage().contains("data_batch_1.bin"), e.getMessage());
    }

    @Test
    void plainBatchMustBeWholeRecords() throws IOException {
        TestFiles.writeCifar(dir, PER_BATCH, N_TEST_FILE, false);
        byte[] records = TestFiles.cifarRecords(0, PER_BATCH);
        Files.write(dir.resolve("data_batch_2.bin"), Arrays.copyOf(records, records.length - 100));
        SpecException e = assertThrows(SpecException.class, () -> Datasets.verify(cifar(dir, 2, 2, List.of())));
        assertTrue(e.getMessage().contains("data_batch_2.bin has " + (records.length - 100) + " bytes")
                && e.getMessage().contains("3073-byte"), e.getMessage());
    }

    @Test
    void truncatedGzippedRecordIsReported() throws IOException {
        TestFiles.writeCifar(dir, PER_BATCH, N_TEST_FILE, true);
        byte[] records = TestFiles.cifarRecords(0, PER_BATCH);
        TestFiles.write(dir, "data_batch_1.bin", Arrays.copyOf(records, records.length - 100), true);
        SpecException e = assertThrows(SpecException.class, () -> Datasets.load(cifar(dir, 10, 2, List.of()), 1L));
        assertTrue(e.getMessage().contains("data_batch_1.bin.gz is truncated: record 3"), e.getMessage());
    }

    @Test
    void labelsOutsideZeroToNineAreRejected() throws IOException {
        TestFiles.writeCifar(dir, PER_BATCH, N_TEST_FILE, false);
        byte[] records = TestFiles.cifarRecords(TEST_OFFSET, N_TEST_FILE);
        records[2 * 3073] = 10;
        Files.write(dir.resolve("test_batch.bin"), records);
        SpecException e = assertThrows(SpecException.class, () -> Datasets.load(cifar(dir, 2, 5, List.of()), 1L));
        assertTrue(e.getMessage().contains("label 10 of record 2"), e.getMessage());
    }
}
