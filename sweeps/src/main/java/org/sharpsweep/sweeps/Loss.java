package org.sharpsweep.sweeps;

/** Per-sample losses; conventions in DESIGN.md section 3. */
public enum Loss implements Named {
    MSE, HALF_SSE, XENT;

    @Override
    public String specName() {
        return Named.dashed(this);
    }
}
