package org.sharpsweep.sweeps;

/** Explicit penalties added to the training loss (docs/science.md). */
public enum PenaltyKind implements Named {
    NONE, GRADNORM, L2, DARC1;

    @Override
    public String specName() {
        return Named.dashed(this);
    }
}
