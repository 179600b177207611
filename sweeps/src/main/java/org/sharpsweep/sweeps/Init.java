package org.sharpsweep.sweeps;

/** Parameter initialisation (docs/science.md). */
public enum Init implements Named {
    DEFAULT, XAVIER, MEAN_FIELD;

    @Override
    public String specName() {
        return Named.dashed(this);
    }
}
