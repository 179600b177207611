package org.sharpsweep.worker.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sharpsweep.sweeps.Dataset;

class LabelNoiseTest {
    private static final int N = 1000;

    @TempDir
    Path dir;

    private Data load(double noise, List<Integer> classes, long seed) {
        return Datasets.load(IdxDatasetTest.spec(Dataset.MNIST, dir.toString(), N, 100, classes, noise), seed);
    }

    private static int changed(int[] a, int[] b) {
        int c = 0;
        for (int i = 0; i < a.length; i++) if (a[i] != b[i]) c++;
        return c;
    }

    /**
     * m = round(0.3 * 1000) = 300 samples get a uniform label from 10 classes, so the number that
     * changes is Binomial(300, 0.9): mean 270, standard deviation 5.2. The bounds are m above and
     * 6 standard deviations below.
     */
    @Test
    void replacesExactlyRoundedFractionOfTrainingLabels() throws IOException {
        TestFiles.writeMnist(dir, N, 200, true);
        long seed = 17L;
        Data clean = load(0.0, List.of(), seed);
        Data noisy = load(0.3, List.of(), seed);
        int c = changed(clean.trainLabels(), noisy.trainLabels());
        assertTrue(c <= 300 && c >= 270 - 6 * Math.sqrt(300 * 0.9 * 0.1), "changed " + c + ", seed " + seed);
        assertArrayEquals(clean.testLabels(), noisy.testLabels(), "test labels are never corrupted");
        assertArrayEquals(clean.testY().data().asDouble(), noisy.testY().data().asDouble(), 0.0);
        assertArrayEquals(clean.trainX().data().asDouble(), noisy.trainX().data().asDouble(), 0.0, "inputs are untouched");
        double[] y = noisy.trainY().data().asDouble();
        for (int i = 0; i < N; i++) {
            for (int k = 0; k < 10; k++) {
                assertEquals(k == noisy.trainLabels()[i] ? 1.0 : 0.0, y[i * 10 + k], 0.0, "one-hot follows noisy label, row " + i);
            }
        }
        // the clean labels are those of the file
        for (int i = 0; i < N; i++) assertEquals(TestFiles.label(i), clean.trainLabels()[i]);

        assertArrayEquals(noisy.trainLabels(), load(0.3, List.of(), seed).trainLabels(), "same seed, same noise");
        assertFalse(Arrays.equals(noisy.trainLabels(), load(0.3, List.of(), seed + 1).trainLabels()),
                "seeds " + seed + " and " + (seed + 1) + " gave the same noise");
    }

    /**
     * With all labels replaced among the 2 classes of a subset, each differs from the truth with
     * probability 1/2: Binomial(1000, 1/2), mean 500, standard deviation 15.8; new labels stay in 0..1.
     */
    @Test
    void noisyLabelsAreDrawnFromTheSubsetClasses() throws IOException {
        TestFiles.writeMnist(dir, 6 * N, 1000, true);
        long seed = 5L;
        Data clean = load(0.0, List.of(6, 1), seed);
        Data noisy = load(1.0, List.of(6, 1), seed);
        for (int label : noisy.trainLabels()) assertTrue(label == 0 || label == 1, "label " + label);
        int c = changed(clean.trainLabels(), noisy.trainLabels());
        assertEquals(500, c, 6 * Math.sqrt(N * 0.25), "changed, seed " + seed);
    }

    @Test
    void countRoundsHalvesUp() {
        assertEquals(0, LabelNoise.count(0.0, 10));
        assertEquals(3, LabelNoise.count(0.25, 10));
        assertEquals(2, LabelNoise.count(0.2, 10));
        assertEquals(10, LabelNoise.count(1.0, 10));
        assertEquals(1, LabelNoise.count(0.0005, 1000));
        assertEquals(0, LabelNoise.count(0.0004, 1000));
    }

    @Test
    void atMostTheChosenLabelsChangeAndOnlyWithinRange() {
        int[] labels = new int[57];
        for (int i = 0; i < labels.length; i++) labels[i] = i % 4;
        int[] before = labels.clone();
        int[] noisy = LabelNoise.apply(labels, 4, 0.5, 99L);
        assertArrayEquals(before, labels, "the input array is left alone");
        assertTrue(changed(labels, noisy) <= LabelNoise.count(0.5, 57));
        for (int l : noisy) assertTrue(l >= 0 && l < 4);
        assertArrayEquals(labels, LabelNoise.apply(labels, 4, 0.0, 99L));
    }

    @Test
    void chooseGivesDistinctIndices() {
        long seed = 31L;
        SplittableRandom rng = new SplittableRandom(seed);
        for (int m : new int[] {0, 1, 7, 50}) {
            int[] chosen = LabelNoise.choose(50, m, rng);
            assertEquals(m, chosen.length);
            assertEquals(m, Arrays.stream(chosen).distinct().count(), "distinct, seed " + seed);
            for (int i : chosen) assertTrue(i >= 0 && i < 50);
        }
    }
}
