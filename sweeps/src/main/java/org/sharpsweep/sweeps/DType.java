package org.sharpsweep.sweeps;

/**
 * Floating-point type of training ({@code train.dtype}): {@code float64} (the default) or
 * {@code float32}. With float32 the data, parameters and every training buffer are float32;
 * the measurements (losses, accuracies, curvature) are always computed in float64 on the trained
 * parameters, converted once.
 */
public enum DType implements Named {
    FLOAT64, FLOAT32;

    @Override
    public String specName() {
        return Named.dashed(this);
    }
}
