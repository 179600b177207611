package org.sharpsweep.worker.data;

import java.util.SplittableRandom;

/**
 * Standard normal deviates from {@link SplittableRandom#nextDouble()} by Marsaglia's polar method
 * (each accepted pair yields two), so that draws depend only on the seed on every JDK
 * (docs/science.md, determinism): the teacher's inputs and the measures' random perturbations.
 * Not thread-safe.
 */
public final class Normal {
    private final SplittableRandom rng;
    private double spare;
    private boolean hasSpare;

    public Normal(SplittableRandom rng) {
        this.rng = rng;
    }

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
}
