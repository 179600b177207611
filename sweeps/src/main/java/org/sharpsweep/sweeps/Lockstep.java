package org.sharpsweep.sweeps;

/**
 * Whether a sweep trains compatible points together ({@code train.lockstep}; docs/lockstep.md):
 * {@code auto}, points that share their network's shapes, data, batch size and step count train
 * in groups, one Spark task per group, each model stepped in turn (the default); {@code off}, one
 * task per point. A point's numbers are the same either way, to the bit: how, not which, so it is
 * not part of the point id and not a grid axis.
 */
public enum Lockstep implements Named {
    AUTO, OFF;

    @Override
    public String specName() {
        return Named.dashed(this);
    }
}
