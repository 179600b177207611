package org.sharpsweep.worker.data;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.sharpsweep.sweeps.Seeds;

/**
 * Label noise of the corrupted-label experiments: exactly m = round(fraction * n) training samples
 * ({@link Math#round}, halves up), chosen uniformly without replacement, get a label drawn uniformly
 * from the k classes. The new label may equal the true one, so the expected number of labels that
 * actually change is m (1 - 1/k). Everything derives from {@code Seeds.stream(dataSeed, "label-noise")}.
 */
final class LabelNoise {
    private LabelNoise() {
    }

    /** The number of samples that get a random label. */
    static int count(double fraction, int n) {
        return (int) Math.round(fraction * n);
    }

    /** A new array of labels with the noise applied; {@code labels} is left alone. */
    static int[] apply(int[] labels, int k, double fraction, long dataSeed) {
        int[] noisy = labels.clone();
        int m = count(fraction, labels.length);
        if (m == 0) return noisy;
        SplittableRandom rng = new SplittableRandom(Seeds.stream(dataSeed, "label-noise"));
        for (int i : choose(labels.length, m, rng)) noisy[i] = rng.nextInt(k);
        return noisy;
    }

    /** m distinct indices of 0..n-1, uniformly at random: the first m steps of a Fisher-Yates shuffle. */
    static int[] choose(int n, int m, SplittableRandom rng) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        for (int i = 0; i < m; i++) {
            int j = i + rng.nextInt(n - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        return Arrays.copyOf(perm, m);
    }
}
