package org.sharpsweep.sweeps;

/** A sweep spec that cannot be run: the message names the key, the value and what was expected. */
public class SpecException extends IllegalArgumentException {
    public SpecException(String message) {
        super(message);
    }
}
