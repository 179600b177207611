package org.sharpsweep.sweeps;

/**
 * A fully connected network with {@code depth} hidden layers of {@code width} units;
 * {@code depth = 0} is a linear model (DESIGN.md section 3).
 */
public record ModelSpec(int depth, int width, Activation activation, Init init) implements java.io.Serializable {
    public ModelSpec {
        if (depth < 0 || depth > 16) throw new SpecException("model.depth must be in [0, 16], got " + depth);
        if (width < 1) throw new SpecException("model.width must be >= 1, got " + width);
        if (activation == null) throw new SpecException("model.activation is required");
        if (init == null) throw new SpecException("model.init is required");
    }
}
