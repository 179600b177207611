package org.sharpsweep.worker.measure;

import java.util.SplittableRandom;
import org.sharpsweep.worker.data.Normal;

/**
 * Random draws from a seed: standard normal deviates by the polar method ({@link Normal}) and
 * uniform ones, from one stream, so that they depend only on the seed on every JDK
 * (docs/science.md, determinism). The measures' perturbations and the landscapes' random
 * directions. Not thread-safe.
 */
public final class Gaussian {
    private final SplittableRandom rng;
    private final Normal normal;

    public Gaussian(long seed) {
        this.rng = new SplittableRandom(seed);
        this.normal = new Normal(rng);
    }

    /** The next standard normal deviate. */
    public double next() {
        return normal.next();
    }

    /** Uniform in [-1, 1) from the same stream. */
    public double uniform() {
        return 2 * rng.nextDouble() - 1;
    }
}
