package org.sharpsweep.worker.model;

import org.sharpsweep.sweeps.Loss;
import org.sharpsweep.sweeps.ModelSpec;

/** The one place that turns a point's model settings into a {@link Model}. */
public final class Models {
    private Models() {
    }

    /**
     * The network of {@code spec} for data with {@code inputs} features and {@code outputs}
     * outputs, in float64.
     */
    public static Model of(ModelSpec spec, Loss loss, int inputs, int outputs) {
        return new Mlp(inputs, spec.depth(), spec.width(), outputs, spec.activation(), spec.init(), loss);
    }
}
