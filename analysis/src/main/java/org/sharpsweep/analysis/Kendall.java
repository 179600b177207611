package org.sharpsweep.analysis;

import java.util.Arrays;

/**
 * Kendall's rank correlation tau-b of two samples (Kendall 1945), the rank correlation that
 * Jiang et al. (2019, "Fantastic generalization measures and where to find them", section 6)
 * compute between a generalization measure and the generalization gap.
 *
 * <p>Over the n0 = n(n-1)/2 pairs of points, with nc concordant pairs (x and y ordered the
 * same way), nd discordant pairs, n1 pairs tied in x and n2 pairs tied in y:
 * <pre>
 *   tau_b = (nc - nd) / sqrt((n0 - n1) (n0 - n2))
 * </pre>
 * A pair tied in x or y is neither concordant nor discordant; tau-b removes such pairs from the
 * denominator, so a sample with ties can still reach +-1 (tau-a, (nc - nd) / n0, cannot). With
 * no ties it equals tau-a. It is undefined (NaN here) when one side is constant or n &lt; 2.
 * Values are compared as numbers: -0.0 ties with 0.0.
 *
 * <p>Computed in O(n log n) by Knight's (1966) method: sort by (x, y), then count the swaps a
 * merge sort by y makes, which are the discordant pairs. Stateless and thread-safe.
 */
public final class Kendall {
    private Kendall() {
    }

    /**
     * tau-b of {@code x} against {@code y}; NaN when {@code n < 2} or either is constant.
     *
     * @throws IllegalArgumentException if the lengths differ or a value is NaN
     */
    public static double tauB(double[] x, double[] y) {
        if (x.length != y.length) throw new IllegalArgumentException("x and y must have the same length, got " + x.length + " and " + y.length);
        int n = x.length;
        double[] xs = new double[n], ys = new double[n];
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(x[i]) || Double.isNaN(y[i])) throw new IllegalArgumentException("tau-b of NaN is undefined: value " + i + " is ("
                    + x[i] + ", " + y[i] + ")");
            xs[i] = x[i] + 0.0; // -0.0 + 0.0 is 0.0, so Double.compare ties them
            ys[i] = y[i] + 0.0;
        }
        if (n < 2) return Double.NaN;
        Integer[] boxed = new Integer[n];
        for (int i = 0; i < n; i++) boxed[i] = i;
        Arrays.sort(boxed, (a, b) -> {
            int c = Double.compare(xs[a], xs[b]);
            return c != 0 ? c : Double.compare(ys[a], ys[b]);
        });
        double[] yOrder = new double[n];
        // n1: pairs tied in x; n3: pairs tied in both (runs of equal (x, y) in this order)
        long n0 = (long) n * (n - 1) / 2, n1 = 0, n3 = 0;
        long runX = 1, runXY = 1;
        for (int k = 0; k < n; k++) {
            yOrder[k] = ys[boxed[k]];
            if (k == 0) continue;
            int a = boxed[k - 1], b = boxed[k];
            if (xs[a] == xs[b]) {
                runX++;
                if (ys[a] == ys[b]) {
                    runXY++;
                } else {
                    n3 += runXY * (runXY - 1) / 2;
                    runXY = 1;
                }
            } else {
                n1 += runX * (runX - 1) / 2;
                n3 += runXY * (runXY - 1) / 2;
                runX = 1;
                runXY = 1;
            }
        }
        n1 += runX * (runX - 1) / 2;
        n3 += runXY * (runXY - 1) / 2;
        long swaps = mergeSortSwaps(yOrder, new double[n], 0, n);
        long n2 = 0, runY = 1;
        for (int k = 1; k < n; k++) {
            if (yOrder[k] == yOrder[k - 1]) {
                runY++;
            } else {
                n2 += runY * (runY - 1) / 2;
                runY = 1;
            }
        }
        n2 += runY * (runY - 1) / 2;
        // nc - nd = (n0 - n1 - n2 + n3) - 2 nd: pairs untied in both are nc + nd
        long s = n0 - n1 - n2 + n3 - 2 * swaps;
        double d = Math.sqrt((double) (n0 - n1) * (double) (n0 - n2));
        return d == 0 ? Double.NaN : s / d;
    }

    /** Sorts {@code a[lo, hi)} ascending and returns the number of inversions (pairs i &lt; j with a[i] &gt; a[j]). */
    private static long mergeSortSwaps(double[] a, double[] tmp, int lo, int hi) {
        if (hi - lo < 2) return 0;
        int mid = (lo + hi) >>> 1;
        long swaps = mergeSortSwaps(a, tmp, lo, mid) + mergeSortSwaps(a, tmp, mid, hi);
        int i = lo, j = mid, k = lo;
        while (i < mid && j < hi) {
            if (a[j] < a[i]) {
                swaps += mid - i;
                tmp[k++] = a[j++];
            } else {
                tmp[k++] = a[i++];
            }
        }
        while (i < mid) tmp[k++] = a[i++];
        while (j < hi) tmp[k++] = a[j++];
        System.arraycopy(tmp, lo, a, lo, hi - lo);
        return swaps;
    }
}
