package org.sharpsweep.worker.data;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.sharpsweep.sweeps.SpecException;
import org.sharpsweep.worker.data.DataDir.DataFile;

/**
 * CIFAR-10, binary version (www.cs.toronto.edu/~kriz/cifar.html): files of 3073-byte records, one
 * label byte 0..9 then 3072 pixel bytes (the 1024 red, then 1024 green, then 1024 blue values of a
 * 32x32 image, each channel row-major). The pixels are kept in that order, scaled by 1/255. The
 * training set is {@code data_batch_1.bin} .. {@code data_batch_5.bin} in that order, the test set
 * {@code test_batch.bin}; they lie in {@code data.path} or its {@code cifar-10-batches-bin} subfolder
 * (the layout of the unpacked archive), each plain or gzipped. Verification ({@link #labelCounts})
 * reads every record of every batch.
 */
final class Cifar {
    static final int PIXELS = 3072;
    static final int RECORD = PIXELS + 1;
    static final List<String> TRAIN = List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
            "data_batch_4.bin", "data_batch_5.bin");
    static final List<String> TEST = List.of("test_batch.bin");
    static final String SUBFOLDER = "cifar-10-batches-bin";

    private static final int INITIAL_CAPACITY = 1024;

    private Cifar() {
    }

    /** The directory that holds the batches: {@code data.path} itself or its {@code cifar-10-batches-bin}. */
    static DataDir locate(DataDir root) throws IOException {
        if (root.lookup(TRAIN.get(0)).isPresent()) return root;
        Optional<DataDir> sub = root.subdirectory(SUBFOLDER);
        if (sub.isPresent()) return sub.get();
        throw new SpecException("data.path " + root.location() + " holds neither " + TRAIN.get(0) + " (or .gz) nor a "
                + SUBFOLDER + " folder");
    }

    /** Finds every named file; a plain file must be a whole number of records long. */
    static List<DataFile> files(DataDir dir, List<String> names) throws IOException {
        List<DataFile> files = new ArrayList<>();
        for (String name : names) {
            DataFile f = dir.find(name);
            if (!f.gzip() && f.length() % RECORD != 0) {
                throw new SpecException(f + " has " + f.length() + " bytes, not a whole number of " + RECORD
                        + "-byte CIFAR-10 records (1 label byte + " + PIXELS + " pixel bytes)");
            }
            files.add(f);
        }
        return files;
    }

    /**
     * Reads a batch through to its end (a {@code .gz} batch to the end of its gzip stream, whose
     * trailer is checked): at least one record, a whole number of records, every label 0..9. Returns
     * the number of records of each class. Remembered per file version, see {@link CheckedFiles}.
     */
    static int[] labelCounts(DataDir dir, DataFile f) throws IOException {
        return CheckedFiles.classCounts(f, "cifar-batch", () -> scan(dir, f));
    }

    private static int[] scan(DataDir dir, DataFile f) throws IOException {
        int[] counts = new int[ClassSubset.RAW_CLASSES];
        byte[] buf = new byte[RECORD * 32];
        long pos = 0;
        try (DataInputStream in = dir.open(f)) {
            for (int got; (got = in.read(buf)) >= 0; pos += got) {
                // the label bytes in this chunk: stream positions that are multiples of RECORD
                for (int i = (int) ((RECORD - pos % RECORD) % RECORD); i < got; i += RECORD) {
                    int raw = buf[i] & 0xff;
                    if (raw >= ClassSubset.RAW_CLASSES) {
                        throw new SpecException(f + ": label " + raw + " of record " + (pos + i) / RECORD + " is outside 0..9");
                    }
                    counts[raw]++;
                }
            }
        }
        if (pos == 0) throw new SpecException(f + " holds no records" + (f.gzip() ? " (an empty gzip stream)" : " (0 bytes)"));
        if (pos % RECORD != 0) {
            throw new SpecException(f + " is truncated: record " + pos / RECORD + " ends early, after " + pos % RECORD
                    + " of its " + RECORD + " bytes (1 label byte + " + PIXELS + " pixel bytes; " + pos + " bytes"
                    + (f.gzip() ? " uncompressed)" : ")"));
        }
        return counts;
    }

    /**
     * Goes through the records of the files in order until {@code n} of the kept classes are found or
     * the files end. With {@code pixels} false only the labels are read (pixels are skipped) and
     * {@code x} of the result is empty.
     */
    static Samples read(DataDir dir, List<DataFile> files, ClassSubset subset, int n, boolean pixels) throws IOException {
        int cap = Math.min(n, INITIAL_CAPACITY);
        double[] x = new double[pixels ? cap * PIXELS : 0];
        int[] labels = new int[cap];
        int found = 0;
        byte[] buf = new byte[PIXELS];
        for (DataFile f : files) {
            if (found == n) break;
            try (DataInputStream in = dir.open(f)) {
                for (long record = 0; found < n; record++) {
                    int raw = in.read();
                    if (raw < 0) break;
                    if (raw >= ClassSubset.RAW_CLASSES) {
                        throw new SpecException(f + ": label " + raw + " of record " + record + " is outside 0..9");
                    }
                    int c = subset.relabel(raw);
                    try {
                        if (c < 0 || !pixels) {
                            in.skipNBytes(PIXELS);
                        } else {
                            in.readFully(buf);
                        }
                    } catch (EOFException e) {
                        throw new SpecException(f + " is truncated: record " + record + " ends early (records are "
                                + RECORD + " bytes: 1 label byte + " + PIXELS + " pixel bytes)");
                    }
                    if (c < 0) continue;
                    if (found == labels.length) {
                        cap = (int) Math.min(n, 2L * cap);
                        labels = Arrays.copyOf(labels, cap);
                        if (pixels) x = Arrays.copyOf(x, cap * PIXELS);
                    }
                    if (pixels) Samples.scale(buf, 0, x, found * PIXELS, PIXELS);
                    labels[found++] = c;
                }
            }
        }
        return new Samples(pixels && x.length != found * PIXELS ? Arrays.copyOf(x, found * PIXELS) : x,
                Arrays.copyOf(labels, found), PIXELS);
    }

    /** "data_batch_1.bin .. data_batch_5.bin in DIR", for messages. */
    static String describe(DataDir dir, List<String> names) {
        String files = names.size() == 1 ? names.get(0) : names.get(0) + " .. " + names.get(names.size() - 1);
        return files + " in " + dir.location();
    }
}
