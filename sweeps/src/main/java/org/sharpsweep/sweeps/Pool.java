package org.sharpsweep.sweeps;

/**
 * The pooling after each convolution block of the cnn family: 2x2 windows with stride 2 (max or
 * avg, sizes rounded down as PyTorch's MaxPool2d(2) and AvgPool2d(2) do), or none.
 */
public enum Pool implements Named {
    MAX, AVG, NONE;

    @Override
    public String specName() {
        return Named.dashed(this);
    }
}
