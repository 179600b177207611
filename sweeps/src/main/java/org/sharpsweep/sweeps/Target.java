package org.sharpsweep.sweeps;

/** Teacher functions of the synthetic teacher-student regression data set. */
public enum Target implements Named {
    SINGLE_NEURON, CIRCLE_NEURON, LINEAR;

    @Override
    public String specName() {
        return Named.dashed(this);
    }
}
