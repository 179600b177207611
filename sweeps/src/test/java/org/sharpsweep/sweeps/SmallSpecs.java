package org.sharpsweep.sweeps;

/**
 * The shared small-spec fixture of the tests: a small teacher point as a {@link Settings},
 * from which a test takes what it varies with {@code with(...)} and reads the section it needs,
 * e.g. {@code SmallSpecs.teacher().with(Setting.STEPS, 12).with(Setting.BATCH_SIZE, 4).train()},
 * or resolves a whole point with {@link #point}. The modules above {@code sweeps} read it from
 * sweeps' test-jar.
 */
public final class SmallSpecs {
    private SmallSpecs() {
    }

    /**
     * The teacher data set (target single-neuron) with input_dim 5, 40 training and 20 test
     * samples; an mlp with one hidden layer of 8 relu units; mse; 20 full-batch steps at lr 0.1;
     * everything else at its default ({@link Defaults}).
     */
    public static Settings teacher() {
        return Settings.defaults().with(java.util.Map.of(Setting.INPUT_DIM, 5, Setting.N_TRAIN, 40, Setting.N_TEST, 20,
                Setting.WIDTH, 8, Setting.STEPS, 20));
    }

    /** The resolved point of {@code settings} ({@link PointSpec#of}). */
    public static PointSpec point(Settings settings) {
        return PointSpec.of(settings);
    }

    /** No penalty (kind none, coef 0): what most training tests train with. */
    public static PenaltySpec noPenalty() {
        return teacher().penalty();
    }
}
