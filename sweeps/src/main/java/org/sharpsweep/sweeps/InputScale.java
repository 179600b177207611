package org.sharpsweep.sweeps;

/**
 * How the inputs of an image data set are scaled: {@code unit} pixel/255 in [0, 1] (the default,
 * as Wu, Ma &amp; E), or {@code standardize}: each input feature shifted and scaled to mean 0 and
 * standard deviation 1 over the training subset (features constant there are only shifted),
 * and the test set transformed with the same training statistics.
 */
public enum InputScale implements Named {
    UNIT, STANDARDIZE;

    @Override
    public String specName() {
        return Named.dashed(this);
    }
}
