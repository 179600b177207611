package org.sharpsweep.worker.measure;

import java.util.SplittableRandom;

/**
 * Standard normal deviates from {@link SplittableRandom#nextDouble()} by Marsaglia's polar method
 * (each accepted pair yields two), so that a measure's draws depend only on its seed on every JDK
 * (docs/science.md, determinism). Not thread-safe.
 */
public final class Gaussian {
    private final SplittableRandom rng;
    private double spare;
    private boolean hasSpare;

    public Gaussian(long seed) {
        this.rng = new SplittableRandom(seed);
    }

    /** The next standard normal deviate. */
    public double next() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        double u;
        double v;
        double s;
        do {
            u = 2 * rng.nextDouble() - 1;
            v = 2 * rng.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double m = Math.sqrt(-2 * Math.log(s) / s);
        spare = v * m;
        hasSpare = true;
        return u * m;
    }

    /** Uniform in [-1, 1) from the same stream. */
    double uniform() {
        return 2 * rng.nextDouble() - 1;
    }
}
