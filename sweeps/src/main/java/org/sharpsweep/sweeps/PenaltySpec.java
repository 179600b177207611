package org.sharpsweep.sweeps;

/**
 * An explicit penalty of the given kind with coefficient lambda (docs/science.md): the
 * {@code penalty} settings of a {@link Settings}. A grid point with coefficient 0 is the same
 * computation whatever the kind, so {@link PointChecks} normalises it to {@code none}: such
 * points share one point id.
 */
public final class PenaltySpec extends SettingsView {
    private static final long serialVersionUID = 1L;

    PenaltySpec(Settings settings) {
        super(settings, "penalty");
    }

    public PenaltyKind kind() {
        return (PenaltyKind) settings.get(Setting.PENALTY);
    }

    public double coef() {
        return settings.doubleValue(Setting.PENALTY_COEF);
    }

    /**
     * Gradnorm only: 0 takes ||grad C||^2 on the whole minibatch; b > 0 takes the mean of
     * ||grad C_k||^2 over the minibatch's micro-batches of b samples (Smith, Dherin, Barrett &amp;
     * De 2021), b dividing the batch size.
     */
    public int microbatch() {
        return settings.intValue(Setting.PENALTY_MICROBATCH);
    }

    /**
     * False: lambda = coef; true: lambda = coef x train.lr, so that one coef follows a grid over
     * lr (SGD's implicit regularizer (lr/4m) sum_k ||grad C_k||^2 is gradnorm with coef 1,
     * scale_with_lr and micro-batches of the SGD batch size).
     */
    public boolean scaleWithLr() {
        return settings.booleanValue(Setting.PENALTY_SCALE_WITH_LR);
    }

    /** The penalty's lambda at learning rate {@code lr}. */
    public double lambda(double lr) {
        return scaleWithLr() ? coef() * lr : coef();
    }

    /** This penalty at learning rate {@code lr} with lambda as its coef (scaleWithLr false). */
    public PenaltySpec at(double lr) {
        return scaleWithLr() ? settings.with(Setting.PENALTY_COEF, lambda(lr)).with(Setting.PENALTY_SCALE_WITH_LR, false).penalty() : this;
    }
}
