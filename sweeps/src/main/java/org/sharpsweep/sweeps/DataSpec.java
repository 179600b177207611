package org.sharpsweep.sweeps;

import java.util.List;

/**
 * Which data a point trains and is tested on (docs/spec.md): the {@code data} settings of a
 * {@link Settings}, read by name. The checks that read two of them (what a teacher or an image
 * data set accepts) are {@link PointChecks#checkData}'s.
 */
public final class DataSpec extends SettingsView {
    private static final long serialVersionUID = 1L;

    DataSpec(Settings settings) {
        super(settings, "data");
    }

    public Dataset dataset() {
        return (Dataset) settings.get(Setting.DATASET);
    }

    /** The teacher function; used by {@code teacher} only. */
    public Target target() {
        return (Target) settings.get(Setting.TARGET);
    }

    /** Input dimension d of the teacher data (x uniform on the sphere S^{d-1}). */
    public int inputDim() {
        return settings.intValue(Setting.INPUT_DIM);
    }

    /** Directory of the data files, any Hadoop URI; null for {@code teacher}. */
    public String path() {
        return (String) settings.get(Setting.PATH);
    }

    /** The first n training samples (after the class subset). */
    public int nTrain() {
        return settings.intValue(Setting.N_TRAIN);
    }

    /** The first n held-out samples (after the class subset). */
    public int nTest() {
        return settings.intValue(Setting.N_TEST);
    }

    /** Class subset, relabelled 0..C-1 in the given order; empty means all. */
    @SuppressWarnings("unchecked")
    public List<Integer> classes() {
        return (List<Integer>) settings.get(Setting.CLASSES);
    }

    /** Fraction of training labels replaced by a uniformly random class. */
    public double labelNoise() {
        return settings.doubleValue(Setting.LABEL_NOISE);
    }

    /** How image inputs are scaled ({@link InputScale}); teacher inputs are never rescaled. */
    public InputScale scale() {
        return (InputScale) settings.get(Setting.INPUT_SCALE);
    }

    /** Number of classes k of a classification data set (10 unless a subset is chosen). */
    public int numClasses() {
        return classes().isEmpty() ? 10 : classes().size();
    }

    public boolean isClassification() {
        return dataset() != Dataset.TEACHER;
    }
}
