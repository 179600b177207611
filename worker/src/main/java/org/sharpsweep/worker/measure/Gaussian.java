package org.sharpsweep.worker.measure;

import java.util.SplittableRandom;
import org.sharpsweep.worker.data.Normal;

/**
 * A measure's random draws from its seed: standard normal deviates by the polar method ({@link
 * Normal}) and uniform ones, from one stream, so that they depend only on the seed on every JDK
 * (docs/science.md, determinism). Not thread-safe.
 */
final class Gaussian {
    private final SplittableRandom rng;
    private final Normal normal;

    Gaussian(long seed) {
        this.rng = new SplittableRandom(seed);
        this.normal = new Normal(rng);
    }

    double next() {
        return normal.next();
    }

    /** Uniform in [-1, 1) from the same stream. */
    double uniform() {
        return 2 * rng.nextDouble() - 1;
    }
}
