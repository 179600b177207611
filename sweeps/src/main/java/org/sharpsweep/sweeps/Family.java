package org.sharpsweep.sweeps;

/** The network family of a point: a fully connected network (the default) or a convolutional one. */
public enum Family implements Named {
    MLP, CNN;

    @Override
    public String specName() {
        return Named.dashed(this);
    }
}
