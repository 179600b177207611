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
 * <p>Loading streams and stops early: labels are read until n samples of the kept classes are found,
 * images only up to the last chosen one. Verification ({@link #labelCounts}, {@link #checkImages})
 * reads every file through to its end.
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

    /**
     * Reads the magic number and the dimensions. The magic is two zero bytes, the type byte (0x08:
     * unsigned byte) and the rank (the number of dimensions); each part is checked on its own so the
     * message says which is wrong.
     */
    private static int[] header(DataInputStream in, DataFile f, int magic, String kind) throws IOException {
        int rank = magic & 0xff;
        String expected = hex(magic) + " (unsigned bytes, " + rank + (rank == 1 ? " dimension)" : " dimensions)");
        if (f.length() == 0) throw new SpecException(f + " is empty (0 bytes), expected an IDX " + kind + " file");
        try {
            int m = in.readInt();
            if (m != magic) {
                String why;
                if ((m >>> 16) == 0x1f8b) {
                    why = ": the file looks gzipped, name it with .gz";
                } else if ((m >>> 16) != 0) {
                    why = ": an IDX file starts with two zero bytes";
                } else if (((m >>> 8) & 0xff) != (magic >>> 8)) {
                    why = ": type byte " + String.format("0x%02x", (m >>> 8) & 0xff) + " (" + typeName((m >>> 8) & 0xff)
                            + "), expected 0x08 (unsigned byte)";
                } else {
                    why = ": rank " + (m & 0xff) + ", expected " + rank + " (" + kind + (rank == 1 ? "s" : "s x rows x columns") + ")";
                }
                throw new SpecException(f + " is not an IDX " + kind + " file: magic number " + hex(m) + ", expected "
                        + expected + why);
            }
            int[] d = new int[rank];
            for (int i = 0; i < rank; i++) {
                d[i] = in.readInt();
                if (d[i] < 0) throw new SpecException(f + ": IDX dimension " + i + " is negative: " + d[i]);
            }
            return d;
        } catch (EOFException e) {
            throw new SpecException(f + " is too short for an IDX " + kind + " header (" + (4 + 4 * rank) + " bytes)");
        }
    }

    /** The IDX type codes (LeCun et al.). */
    private static String typeName(int type) {
        return switch (type) {
            case 0x08 -> "unsigned byte";
            case 0x09 -> "signed byte";
            case 0x0b -> "16-bit integer";
            case 0x0c -> "32-bit integer";
            case 0x0d -> "32-bit float";
            case 0x0e -> "64-bit float";
            default -> "not an IDX type";
        };
    }

    /**
     * Reads the label file of a split through to its end (for a {@code .gz} file, to the end of the
     * gzip stream, whose trailer is checked): exactly {@code count} labels after the header, each
     * 0..9. Returns the number of labels of each class. Remembered per file version, see
     * {@link CheckedFiles}.
     */
    static int[] labelCounts(DataDir dir, Split s) throws IOException {
        return CheckedFiles.classCounts(s.labels(), "idx-labels", () -> scanLabels(dir, s.labels(), s.count()));
    }

    private static int[] scanLabels(DataDir dir, DataFile f, int count) throws IOException {
        int[] counts = new int[ClassSubset.RAW_CLASSES];
        byte[] buf = new byte[1 << 16];
        try (DataInputStream in = dir.open(f)) {
            in.skipNBytes(LABELS_HEADER_BYTES);
            for (int pos = 0; pos < count; ) {
                int len = Math.min(buf.length, count - pos);
                int got = in.readNBytes(buf, 0, len);
                for (int j = 0; j < got; j++) {
                    int raw = buf[j] & 0xff;
                    if (raw >= ClassSubset.RAW_CLASSES) {
                        throw new SpecException(f + ": label " + raw + " of sample " + (pos + j) + " is outside 0..9");
                    }
                    counts[raw]++;
                }
                if (got < len) throw truncated(f, "labels", pos + got, count);
                pos += len;
            }
            requireEnd(in, f, count + " labels");
        }
        return counts;
    }

    /**
     * Checks that the image file of a split holds exactly the {@code count} x 28 x 28 bytes its header
     * promises: a plain file by its length, a {@code .gz} file by reading the gzip stream through to its
     * end. Remembered per file version, see {@link CheckedFiles}.
     */
    static void checkImages(DataDir dir, Split s) throws IOException {
        CheckedFiles.classCounts(s.images(), "idx-images", () -> {
            scanImages(dir, s.images(), s.count());
            return new int[0];
        });
    }

    private static void scanImages(DataDir dir, DataFile f, int count) throws IOException {
        long body = (long) count * PIXELS;
        long have;
        if (!f.gzip()) {
            have = f.length() - IMAGES_HEADER_BYTES;
        } else {
            have = 0;
            byte[] buf = new byte[1 << 16];
            try (DataInputStream in = dir.open(f)) {
                in.skipNBytes(IMAGES_HEADER_BYTES);
                for (int got; (got = in.read(buf)) >= 0; ) have += got;
            }
        }
        if (have < body) {
            throw new SpecException(f + " is truncated: it ends after " + have / PIXELS + " of the " + count
                    + " images its header declares (" + have + " of " + body + " pixel bytes)");
        }
        if (have > body) extra(f, have - body, count + " images");
    }

    /** The stream must end here (for gzip: the stream is read to its end, which checks its trailer). */
    private static void requireEnd(DataInputStream in, DataFile f, String what) throws IOException {
        long more = 0;
        byte[] buf = new byte[1 << 13];
        for (int got; (got = in.read(buf)) >= 0; ) more += got;
        if (more > 0) extra(f, more, what);
    }

    /**
     * Bytes after the data the header declares are an error: an IDX file ends with its data, so
     * either the header's count or the file is wrong, and reading the declared part would silently
     * ignore the rest.
     */
    private static void extra(DataFile f, long bytes, String what) {
        throw new SpecException(f + " has " + bytes + (bytes == 1 ? " byte" : " bytes") + " after the " + what
                + " its header declares (an IDX file ends with its data: the header or the file is wrong)");
    }

    private static SpecException truncated(DataFile f, String what, int done, int declared) {
        return new SpecException(f + " is truncated: it ends after " + done + " of the " + declared + " " + what
                + " its header declares");
    }

    private static String hex(int v) {
        return String.format("0x%08x", v);
    }
}
