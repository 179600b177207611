package org.sharpsweep.sweeps;

import java.util.List;

/**
 * Which data a point trains and is tested on (docs/spec.md).
 *
 * @param target     teacher function; used by {@code teacher} only
 * @param inputDim   input dimension d of the teacher data (x uniform on the sphere S^{d-1})
 * @param path       directory of the data files, any Hadoop URI; null for {@code teacher}
 * @param nTrain     the first n training samples (after the class subset)
 * @param nTest      the first n held-out samples (after the class subset)
 * @param classes    class subset, relabelled 0..C-1 in the given order; empty means all
 * @param labelNoise fraction of training labels replaced by a uniformly random class
 * @param scale      how image inputs are scaled ({@link InputScale}); teacher inputs are never rescaled
 */
public record DataSpec(Dataset dataset, Target target, int inputDim, String path, int nTrain, int nTest,
                       List<Integer> classes, double labelNoise, InputScale scale) implements java.io.Serializable {
    public DataSpec {
        if (scale == null) throw new SpecException("data.scale is required");
        if (dataset == null) throw new SpecException("data.dataset is required");
        if (target == null) throw new SpecException("data.target is required");
        if (inputDim < 1) throw new SpecException("data.input_dim must be >= 1, got " + inputDim);
        if (nTrain < 1) throw new SpecException("data.n_train must be >= 1, got " + nTrain);
        if (nTest < 1) throw new SpecException("data.n_test must be >= 1, got " + nTest);
        classes = classes == null ? List.of() : List.copyOf(classes);
        if (!(labelNoise >= 0 && labelNoise <= 1)) {
            throw new SpecException("data.label_noise must be in [0, 1], got " + labelNoise);
        }
        if (dataset == Dataset.TEACHER) {
            // the samples are one array of n x input_dim values (Java arrays hold at most 2^31 - 9)
            for (int n : new int[]{nTrain, nTest}) {
                if ((long) n * inputDim > Integer.MAX_VALUE - 8) {
                    throw new SpecException((n == nTrain ? "data.n_train " : "data.n_test ") + n + " with data.input_dim "
                            + inputDim + " is " + (long) n * inputDim + " values in one array, more than "
                            + (Integer.MAX_VALUE - 8) + "; make one of them smaller");
                }
            }
            if (target == Target.CIRCLE_NEURON && inputDim < 2) {
                throw new SpecException("data.input_dim must be >= 2 for target circle-neuron, got " + inputDim);
            }
            if (!classes.isEmpty()) throw new SpecException("data.classes applies to classification data sets, not teacher; got " + classes);
            if (labelNoise != 0) throw new SpecException("data.label_noise applies to classification data sets, not teacher; got " + labelNoise);
            if (scale != InputScale.UNIT) {
                throw new SpecException("data.scale applies to image data sets, not teacher (its inputs lie on the unit sphere); got "
                        + scale.specName());
            }
        } else {
            if (path == null || path.isBlank()) {
                throw new SpecException("data.path is required for dataset " + dataset.specName()
                        + (path == null ? "" : ", got '" + path + "'"));
            }
            int maxClass = 9;
            for (int c : classes) {
                if (c < 0 || c > maxClass) throw new SpecException("data.classes entries must be in [0, " + maxClass + "], got " + c);
            }
            if (classes.size() != classes.stream().distinct().count()) {
                throw new SpecException("data.classes has a repeated class: " + classes);
            }
            if (classes.size() == 1) throw new SpecException("data.classes needs at least two classes, got " + classes);
        }
    }

    /** Image inputs at pixel/255. */
    public DataSpec(Dataset dataset, Target target, int inputDim, String path, int nTrain, int nTest,
                    List<Integer> classes, double labelNoise) {
        this(dataset, target, inputDim, path, nTrain, nTest, classes, labelNoise, InputScale.UNIT);
    }

    /** Number of classes k of a classification data set (10 unless a subset is chosen). */
    public int numClasses() {
        return classes.isEmpty() ? 10 : classes.size();
    }

    public boolean isClassification() {
        return dataset != Dataset.TEACHER;
    }
}
