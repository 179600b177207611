package org.sharpsweep.worker.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Small data files in the real formats, written byte by byte from the format definitions (IDX:
 * big-endian magic and dimensions then unsigned bytes; CIFAR-10: 1 label byte + 3072 pixel bytes per
 * record), with contents given by the formulas below so tests can recompute every expected value.
 */
final class TestFiles {
    static final int MNIST_PIXELS = 784;
    static final int CIFAR_PIXELS = 3072;
    /** Sample numbers of test files are offset so that test images differ from training images. */
    static final int TEST_OFFSET = 100_000;

    private TestFiles() {
    }

    /** Pixel byte j of sample s (0..255). */
    static int pixel(int s, int j) {
        return (s * 31 + j * 7 + (j / 28) * 13) % 256;
    }

    /** Label of sample s: every class occurs, unevenly. */
    static int label(int s) {
        return (s * 7 + s / 3) % 10;
    }

    static byte[] idxBytes(int magic, int[] dims, byte[] body) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(magic);
            for (int d : dims) out.writeInt(d);
            out.write(body);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] imagesBody(int first, int n, int pixels) {
        byte[] b = new byte[n * pixels];
        for (int s = 0; s < n; s++) {
            for (int j = 0; j < pixels; j++) b[s * pixels + j] = (byte) pixel(first + s, j);
        }
        return b;
    }

    static byte[] labelsBody(int first, int n) {
        byte[] b = new byte[n];
        for (int s = 0; s < n; s++) b[s] = (byte) label(first + s);
        return b;
    }

    static byte[] images(int first, int n) {
        return idxBytes(0x803, new int[] {n, 28, 28}, imagesBody(first, n, MNIST_PIXELS));
    }

    static byte[] labels(int first, int n) {
        return idxBytes(0x801, new int[] {n}, labelsBody(first, n));
    }

    /** Writes {@code bytes} to {@code dir/name}, or gzipped to {@code dir/name.gz}. */
    static Path write(Path dir, String name, byte[] bytes, boolean gzip) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(gzip ? name + ".gz" : name);
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(bytes);
        }
        return file;
    }

    /** The four MNIST files: training samples 0..nTrain-1, test samples TEST_OFFSET + 0..nTest-1. */
    static void writeMnist(Path dir, int nTrain, int nTest, boolean gzip) throws IOException {
        write(dir, "train-images-idx3-ubyte", images(0, nTrain), gzip);
        write(dir, "train-labels-idx1-ubyte", labels(0, nTrain), gzip);
        write(dir, "t10k-images-idx3-ubyte", images(TEST_OFFSET, nTest), gzip);
        write(dir, "t10k-labels-idx1-ubyte", labels(TEST_OFFSET, nTest), gzip);
    }

    /** CIFAR-10 records of samples first..first+n-1. */
    static byte[] cifarRecords(int first, int n) {
        byte[] b = new byte[n * (CIFAR_PIXELS + 1)];
        for (int s = 0; s < n; s++) {
            int off = s * (CIFAR_PIXELS + 1);
            b[off] = (byte) label(first + s);
            for (int j = 0; j < CIFAR_PIXELS; j++) b[off + 1 + j] = (byte) pixel(first + s, j);
        }
        return b;
    }

    /** Five training batches of {@code perBatch} records (samples numbered on across batches), one test batch. */
    static void writeCifar(Path dir, int perBatch, int nTest, boolean gzip) throws IOException {
        for (int b = 0; b < 5; b++) {
            write(dir, "data_batch_" + (b + 1) + ".bin", cifarRecords(b * perBatch, perBatch), gzip);
        }
        write(dir, "test_batch.bin", cifarRecords(TEST_OFFSET, nTest), gzip);
    }
}
