package org.sharpsweep.worker.data;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import org.sharpsweep.sweeps.SpecException;
import org.sharpsweep.worker.data.DataDir.DataFile;

/**
 * MNIST and Fashion-MNIST in the IDX format of LeCun et al. (yann.lecun.com/exdb/mnist): a big-endian
 * header (magic {@code 0x00000801} for a vector of unsigned bytes, {@code 0x00000803} for a 3-d array
 * of unsigned bytes, then one int32 per dimension), then the bytes in row-major order. Label files hold
 * n labels 0..9, image files n images of 28x28 pixels.
 *
 * <p>Reading streams and stops early: labels are read until n samples of the kept classes are found,
 * images only up to the last chosen one.
 */
final class Idx {
    static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    static final int SIDE = 28;
    static final int PIXELS = SIDE * SIDE;

    private static final int LABELS_MAGIC = 0x00000801;
    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_HEADER_BYTES = 8;
    private static final int IMAGES_HEADER_BYTES = 16;

    private Idx() {
    }

    /** One split: a label file and an image file whose headers agree on {@code count} samples. */
    record Split(DataFile labels, DataFile images, int count) {
    }

    /** The first samples of the kept classes: their positions in the files and their new labels. */
    record Selection(int[] index, int[] labels) {
    }

    /** Finds the two files of a split and checks their headers (16 + 8 bytes read, nothing more). */
    static Split split(DataDir dir, String labelsName, String imagesName) throws IOException {
        DataFile labels = dir.find(labelsName);
        DataFile images = dir.find(imagesName);
        int nLabels;
        try (DataInputStream in = dir.open(labels)) {
            nLabels = header(in, labels, LABELS_MAGIC, "label")[0];
        }
        int[] dims;
        try (DataInputStream in = dir.open(images)) {
            dims = header(in, images, IMAGES_MAGIC, "image");
        }
        if (dims[1] != SIDE || dims[2] != SIDE) {
            throw new SpecException(images + " holds images of " + dims[1] + "x" + dims[2] + " pixels, expected "
                    + SIDE + "x" + SIDE);
        }
        if (dims[0] != nLabels) {
            throw new SpecException(images + " holds " + dims[0] + " images but " + labels + " holds " + nLabels + " labels");
        }
        return new Split(labels, images, nLabels);
    }

    /**
     * Reads labels until {@code n} samples of the kept classes are found or the file ends; returns
     * fewer than n only if the whole file holds fewer.
     */
    static Selection select(DataDir dir, Split s, ClassSubset subset, int n) throws IOException {
        int cap = Math.min(n, s.count());
        int[] index = new int[cap];
        int[] label = new int[cap];
        int found = 0;
        byte[] buf = new byte[1 << 13];
        try (DataInputStream in = dir.open(s.labels())) {
            in.skipNBytes(LABELS_HEADER_BYTES);
            for (int pos = 0; pos < s.count() && found < cap; ) {
                int len = Math.min(buf.length, s.count() - pos);
                int got = in.readNBytes(buf, 0, len);
                if (got < len) throw truncated(s.labels(), "labels", pos + got, s.count());
                for (int j = 0; j < len && found < cap; j++) {
                    int raw = buf[j] & 0xff;
                    if (raw >= ClassSubset.RAW_CLASSES) {
                        throw new SpecException(s.labels() + ": label " + raw + " of sample " + (pos + j) + " is outside 0..9");
                    }
                    int c = subset.relabel(raw);
                    if (c >= 0) {
                        index[found] = pos + j;
                        label[found] = c;
                        found++;
                    }
                }
                pos += len;
            }
        }
        return new Selection(Arrays.copyOf(index, found), Arrays.copyOf(label, found));
    }

    /** Reads the images at the selected positions (increasing), stopping after the last one. */
    static Samples read(DataDir dir, Split s, Selection sel) throws IOException {
        int n = sel.index().length;
        double[] x = new double[n * PIXELS];
        byte[] buf = new byte[PIXELS];
        try (DataInputStream in = dir.open(s.images())) {
            in.skipNBytes(IMAGES_HEADER_BYTES);
            int next = 0;
            for (int i = 0; next < n; i++) {
                try {
                    if (i == sel.index()[next]) {
                        in.readFully(buf);
                        Samples.scale(buf, 0, x, next * PIXELS, PIXELS);
                        next++;
                    } else {
                        in.skipNBytes(PIXELS);
                    }
                } catch (EOFException e) {
                    throw truncated(s.images(), "images", i, s.count());
                }
            }
        }
        return new Samples(x, sel.labels(), PIXELS);
    }

    /** Reads the magic number and the dimensions; the magic's last byte is the number of dimensions. */
    private static int[] header(DataInputStream in, DataFile f, int magic, String kind) throws IOException {
        int dims = magic & 0xff;
        try {
            int m = in.readInt();
            if (m != magic) {
                String hint = (m >>> 16) == 0x1f8b ? " (the file looks gzipped: name it with .gz)" : "";
                throw new SpecException(f + " is not an IDX " + kind + " file: magic number " + hex(m) + ", expected "
                        + hex(magic) + " (unsigned bytes, " + dims + (dims == 1 ? " dimension)" : " dimensions)") + hint);
            }
            int[] d = new int[dims];
            for (int i = 0; i < dims; i++) {
                d[i] = in.readInt();
                if (d[i] < 0) throw new SpecException(f + ": IDX dimension " + i + " is negative: " + d[i]);
            }
            return d;
        } catch (EOFException e) {
            throw new SpecException(f + " is too short for an IDX " + kind + " header");
        }
    }

    private static SpecException truncated(DataFile f, String what, int done, int declared) {
        return new SpecException(f + " is truncated: it ends after " + done + " of the " + declared + " " + what
                + " its header declares");
    }

    private static String hex(int v) {
        return String.format("0x%08x", v);
    }
}
