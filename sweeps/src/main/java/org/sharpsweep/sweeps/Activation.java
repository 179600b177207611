package org.sharpsweep.sweeps;

/** Hidden-layer activation of the fully connected model. */
public enum Activation implements Named {
    RELU, TANH;

    @Override
    public String specName() {
        return Named.dashed(this);
    }
}
