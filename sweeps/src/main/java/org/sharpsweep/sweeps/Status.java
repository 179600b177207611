package org.sharpsweep.sweeps;

/** Outcome of one grid point, as written in the {@code status} column. */
public enum Status {
    /** Trained and measured. */
    OK,
    /** Loss became NaN/Inf or exceeded {@code train.divergence_loss}; a result, not a crash. */
    DIVERGED,
    /** An exception ended the point; {@code error} holds it. Failed points are retried on rerun. */
    FAILED
}
