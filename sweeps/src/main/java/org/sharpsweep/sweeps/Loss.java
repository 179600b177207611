package org.sharpsweep.sweeps;

/** Per-sample losses; conventions in docs/science.md. */
public enum Loss implements Named {
    MSE, HALF_SSE, XENT;

    @Override
    public String specName() {
        return Named.dashed(this);
    }
}
