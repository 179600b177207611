package org.sharpsweep.sweeps;

/**
 * The update rule of training ({@code train.optimizer}; docs/science.md, "Optimizer"):
 * {@code sgd}, a step with the minibatch gradient at theta (the default: what every point did
 * before the setting existed); {@code sam}, sharpness-aware minimization (Foret et al. 2021), a
 * step with the minibatch gradient at theta + e, e = rho T^2 g / ||T g||, T = diag(|theta|)
 * under {@code train.sam_adaptive} (ASAM, Kwon et al. 2021), else the identity. The step itself
 * (learning rate, momentum) is the same rule for both.
 */
public enum Optimizer implements Named {
    SGD, SAM;

    @Override
    public String specName() {
        return Named.dashed(this);
    }
}
