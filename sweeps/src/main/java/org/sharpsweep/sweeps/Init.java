package org.sharpsweep.sweeps;

/** Parameter initialisation (DESIGN.md section 3). */
public enum Init implements Named {
    DEFAULT, XAVIER, MEAN_FIELD;

    @Override
    public String specName() {
        return Named.dashed(this);
    }
}
