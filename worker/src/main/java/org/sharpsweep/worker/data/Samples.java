package org.sharpsweep.worker.data;

import org.sharpsweep.sweeps.SpecException;

/**
 * Samples of one split read from files, before they become arrays: {@code x} row-major
 * {@code [n, inputs]} scaled to [0, 1], {@code labels} relabelled to the class subset.
 */
record Samples(double[] x, int[] labels, int inputs) {

    /** pixel / 255 for every byte value: exactly the quotient, found by lookup. */
    private static final double[] SCALE = new double[256];

    static {
        for (int v = 0; v < 256; v++) SCALE[v] = v / 255.0;
    }

    int n() {
        return labels.length;
    }

    /** Writes {@code len} pixel bytes from {@code src[from..]} as pixel/255 into {@code dst[to..]}. */
    static void scale(byte[] src, int from, double[] dst, int to, int len) {
        for (int j = 0; j < len; j++) dst[to + j] = SCALE[src[from + j] & 0xff];
    }

    /**
     * {@code data.scale: standardize}: shifts and scales every input feature of {@code train} to
     * mean 0 and (population) standard deviation 1 over its rows, and transforms {@code test}
     * with the same training statistics, in place. A feature constant over the training rows is
     * only shifted (it is 0 there), so no value is divided by zero.
     */
    static void standardize(Samples train, Samples test) {
        int d = train.inputs;
        int n = train.n();
        double[] mean = new double[d];
        double[] scale = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) mean[j] += train.x[i * d + j];
        }
        for (int j = 0; j < d; j++) mean[j] /= n;
        for (int i = 0; i < n; i++) { // second pass: no cancellation in the variance
            for (int j = 0; j < d; j++) {
                double c = train.x[i * d + j] - mean[j];
                scale[j] += c * c;
            }
        }
        for (int j = 0; j < d; j++) {
            double sd = Math.sqrt(scale[j] / n);
            scale[j] = sd > 0 ? 1.0 / sd : 1.0;
        }
        for (Samples s : new Samples[] {train, test}) {
            for (int i = 0; i < s.n(); i++) {
                for (int j = 0; j < d; j++) s.x[i * d + j] = (s.x[i * d + j] - mean[j]) * scale[j];
            }
        }
    }

    /**
     * @param field  {@code data.n_train} or {@code data.n_test}
     * @param wanted the value of that field
     * @param found  the samples of the kept classes that the files hold
     * @param where  the file(s) counted, for the message
     */
    static void requireEnough(String field, int wanted, int found, String where, ClassSubset subset) {
        if (found < wanted) {
            throw new SpecException(field + " = " + wanted + " but " + where + " holds only " + found + " samples"
                    + subset.describe());
        }
    }

    /** Rejects sizes whose arrays would not fit a Java array. */
    static void requireFits(String field, int n, int inputs) {
        if ((long) n * inputs > Integer.MAX_VALUE - 8) {
            throw new SpecException(field + " = " + n + " with " + inputs + " inputs needs more than 2^31 values in one array");
        }
    }
}
