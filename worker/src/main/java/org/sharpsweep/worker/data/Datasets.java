package org.sharpsweep.worker.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.sweeps.DataSpec;
import org.sharpsweep.sweeps.Dataset;
import org.sharpsweep.sweeps.InputScale;
import org.sharpsweep.sweeps.SpecException;
import org.sharpsweep.worker.data.DataDir.DataFile;

/**
 * Loads the data of a grid point (docs/spec.md).
 *
 * <ul>
 *   <li>{@code teacher}: see {@link Teacher}; {@code data.path}, {@code classes} and {@code label_noise}
 *       do not apply.</li>
 *   <li>{@code fashion-mnist}, {@code mnist}: the IDX files {@code train-images-idx3-ubyte},
 *       {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}
 *       (each plain or {@code .gz}) in {@code data.path}; 784 inputs (28x28, row-major).</li>
 *   <li>{@code cifar10}: the binary batches, see {@link Cifar}; 3072 inputs.</li>
 * </ul>
 * For the image data sets {@code data.input_dim} is ignored, inputs are pixel/255 in [0, 1] (no
 * centring; {@code data.scale: standardize} standardizes each feature with training statistics,
 * see {@link Samples#standardize}), the class subset {@code data.classes} keeps the samples of the listed classes and relabels
 * them to their position in the list (empty: all 10 classes), and the training and test sets are the
 * first {@code n_train} / {@code n_test} samples of the kept classes in file order, without shuffling
 * (as Wu, Ma &amp; E 2018). Label noise then replaces training labels, see {@link LabelNoise}.
 *
 * <p>{@code data.path} is any Hadoop URI (a path without a scheme is local). The one-argument methods
 * use a default Hadoop {@link Configuration} (the {@code core-site.xml} on the classpath); pass one to
 * reach file systems that need settings. Thread-safe; its only state is the record of files that
 * passed {@link #verify} ({@link CheckedFiles}), never their data.
 */
public final class Datasets {
    static {
        org.sharpsweep.worker.blas.Blas.prepare(); // loading data is the first ND4J call of many programs
    }

    private Datasets() {
    }

    /**
     * Loads the data of a point. Deterministic: teacher samples and label noise derive from
     * {@code dataSeed} alone.
     *
     * @throws SpecException        if the data cannot serve the spec (missing file, wrong format, too
     *                              few samples), naming the field, the file and the numbers
     * @throws UncheckedIOException if reading fails
     */
    public static Data load(DataSpec spec, long dataSeed) {
        Objects.requireNonNull(spec, "spec");
        return spec.dataset() == Dataset.TEACHER ? Teacher.load(spec, dataSeed) : load(spec, dataSeed, DefaultConf.CONF);
    }

    /** {@link #load(DataSpec, long)} with the given Hadoop configuration. */
    public static Data load(DataSpec spec, long dataSeed, Configuration conf) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(conf, "conf");
        try {
            return switch (spec.dataset()) {
                case TEACHER -> Teacher.load(spec, dataSeed);
                case FASHION_MNIST, MNIST -> loadIdx(spec, dataSeed, conf);
                case CIFAR10 -> loadCifar(spec, dataSeed, conf);
            };
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + spec.dataset().specName() + " data from " + spec.path() + ": " + e, e);
        }
    }

    /**
     * Checks, before any work starts, everything the points of a spec will read, and refuses what
     * they could not: the directory and its files exist (a file, not a directory); IDX headers have
     * the right magic number (type byte 0x08, rank 1 for labels, 3 for images), 28x28 images, and
     * label and image files agree on the count; every file holds exactly the bytes its header promises
     * (a plain image file by its length, everything else by reading it through, a {@code .gz} file to
     * the end of its gzip stream, whose CRC-32 and length are checked), so a truncated, empty or
     * corrupt file and trailing bytes are errors; every label is 0..9; CIFAR-10 batches hold a whole,
     * non-zero number of 3073-byte records; and the kept classes have at least {@code n_train} and
     * {@code n_test} samples. Cheap checks come first (headers, then labels, then image data).
     *
     * <p>On the real Fashion-MNIST (26 MB of gzip) the first verification takes about half a second,
     * most of it gunzipping the 47 MB of training images; a passed file is remembered in this JVM by
     * its path, length and modification time ({@link CheckedFiles}), so the other data specs of a
     * sweep verify in milliseconds.
     *
     * @throws SpecException naming {@code data.path}, the file and what is wrong with it (the sample or
     *                       record and the value), or the field and the numbers
     */
    public static void verify(DataSpec spec) {
        Objects.requireNonNull(spec, "spec");
        if (spec.dataset() == Dataset.TEACHER) {
            Teacher.check(spec);
        } else {
            verify(spec, DefaultConf.CONF);
        }
    }

    /** {@link #verify(DataSpec)} with the given Hadoop configuration. */
    public static void verify(DataSpec spec, Configuration conf) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(conf, "conf");
        try {
            switch (spec.dataset()) {
                case TEACHER -> Teacher.check(spec);
                case FASHION_MNIST, MNIST -> verifyIdx(spec, conf);
                case CIFAR10 -> verifyCifar(spec, conf);
            }
        } catch (IOException e) {
            throw new SpecException("data.path " + spec.path() + " cannot be read: " + e);
        }
    }

    private static Data loadIdx(DataSpec spec, long dataSeed, Configuration conf) throws IOException {
        checkFits(spec, Idx.PIXELS);
        DataDir dir = DataDir.open(spec.path(), conf);
        ClassSubset subset = new ClassSubset(spec.classes());
        Idx.Split train = Idx.split(dir, Idx.TRAIN_LABELS, Idx.TRAIN_IMAGES);
        Idx.Split test = Idx.split(dir, Idx.TEST_LABELS, Idx.TEST_IMAGES);
        Idx.Selection trainSel = Idx.select(dir, train, subset, spec.nTrain());
        Samples.requireEnough("data.n_train", spec.nTrain(), trainSel.index().length, train.labels().toString(), subset);
        Idx.Selection testSel = Idx.select(dir, test, subset, spec.nTest());
        Samples.requireEnough("data.n_test", spec.nTest(), testSel.index().length, test.labels().toString(), subset);
        return classification(spec, dataSeed, Idx.read(dir, train, trainSel), Idx.read(dir, test, testSel));
    }

    private static void verifyIdx(DataSpec spec, Configuration conf) throws IOException {
        checkFits(spec, Idx.PIXELS);
        DataDir dir = DataDir.open(spec.path(), conf);
        ClassSubset subset = new ClassSubset(spec.classes());
        Idx.Split train = Idx.split(dir, Idx.TRAIN_LABELS, Idx.TRAIN_IMAGES);
        Idx.Split test = Idx.split(dir, Idx.TEST_LABELS, Idx.TEST_IMAGES);
        int[] trainCounts = Idx.labelCounts(dir, train);
        int[] testCounts = Idx.labelCounts(dir, test);
        Samples.requireEnough("data.n_train", spec.nTrain(), subset.count(trainCounts), train.labels().toString(), subset);
        Samples.requireEnough("data.n_test", spec.nTest(), subset.count(testCounts), test.labels().toString(), subset);
        Idx.checkImages(dir, test); // the smaller first: damage there is found without reading the other
        Idx.checkImages(dir, train);
    }

    private static Data loadCifar(DataSpec spec, long dataSeed, Configuration conf) throws IOException {
        checkFits(spec, Cifar.PIXELS);
        DataDir dir = Cifar.locate(DataDir.open(spec.path(), conf));
        ClassSubset subset = new ClassSubset(spec.classes());
        List<DataFile> trainFiles = Cifar.files(dir, Cifar.TRAIN);
        List<DataFile> testFiles = Cifar.files(dir, Cifar.TEST);
        Samples train = Cifar.read(dir, trainFiles, subset, spec.nTrain(), true);
        Samples.requireEnough("data.n_train", spec.nTrain(), train.n(), Cifar.describe(dir, Cifar.TRAIN), subset);
        Samples test = Cifar.read(dir, testFiles, subset, spec.nTest(), true);
        Samples.requireEnough("data.n_test", spec.nTest(), test.n(), Cifar.describe(dir, Cifar.TEST), subset);
        return classification(spec, dataSeed, train, test);
    }

    private static void verifyCifar(DataSpec spec, Configuration conf) throws IOException {
        checkFits(spec, Cifar.PIXELS);
        DataDir dir = Cifar.locate(DataDir.open(spec.path(), conf));
        ClassSubset subset = new ClassSubset(spec.classes());
        verifyCifarSplit(dir, Cifar.TRAIN, subset, "data.n_train", spec.nTrain());
        verifyCifarSplit(dir, Cifar.TEST, subset, "data.n_test", spec.nTest());
    }

    private static void verifyCifarSplit(DataDir dir, List<String> names, ClassSubset subset, String field, int n)
            throws IOException {
        long found = 0;
        for (DataFile f : Cifar.files(dir, names)) found += subset.count(Cifar.labelCounts(dir, f));
        Samples.requireEnough(field, n, (int) Math.min(found, Integer.MAX_VALUE), Cifar.describe(dir, names), subset);
    }

    private static void checkFits(DataSpec spec, int inputs) {
        Samples.requireFits("data.n_train", spec.nTrain(), inputs);
        Samples.requireFits("data.n_test", spec.nTest(), inputs);
    }

    /** Builds the arrays: inputs scaled as {@code data.scale} says, one-hot targets after label noise. */
    private static Data classification(DataSpec spec, long dataSeed, Samples train, Samples test) {
        if (spec.scale() == InputScale.STANDARDIZE) Samples.standardize(train, test);
        int k = spec.numClasses();
        int[] trainLabels = LabelNoise.apply(train.labels(), k, spec.labelNoise(), dataSeed);
        return new Data(matrix(train.x(), train.n(), train.inputs()), oneHot(trainLabels, k), trainLabels,
                matrix(test.x(), test.n(), test.inputs()), oneHot(test.labels(), k), test.labels(), k);
    }

    private static INDArray matrix(double[] x, int rows, int cols) {
        return Nd4j.create(x, new long[] {rows, cols}, DataType.DOUBLE);
    }

    /** [n, k] with a 1 at (i, labels[i]) and 0 elsewhere. */
    static INDArray oneHot(int[] labels, int k) {
        double[] y = new double[labels.length * k];
        for (int i = 0; i < labels.length; i++) y[i * k + labels[i]] = 1;
        return matrix(y, labels.length, k);
    }

    /** The default Hadoop configuration, created on first use of a file data set (teacher never loads Hadoop). */
    private static final class DefaultConf {
        static final Configuration CONF = new Configuration();
    }
}
