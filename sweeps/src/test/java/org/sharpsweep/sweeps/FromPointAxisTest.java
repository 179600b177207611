package org.sharpsweep.sweeps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * {@code from_point} is a grid axis (docs/spec.md lists it): restarting one spec from several
 * saved points of another sweep, {@code from_sweep} fixed in {@code train}. The pairing of the two
 * is checked on each point, so a spec that gives one of them nowhere is still refused.
 */
class FromPointAxisTest {
    private static final String BASE = """
            name: a
            data: {dataset: teacher, input_dim: 3, n_train: 20, n_test: 10}
            model: {width: 4}
            """;

    @Test
    void fromPointAsAnAxisGivesOnePointPerSavedPoint() {
        SweepSpec s = SweepSpec.parse(BASE + """
                train: {steps: 5, from_sweep: minimum}
                grid: {from_point: ["0123456789abcdef", "fedcba9876543210"]}
                """);
        assertEquals(2, s.size());
        assertEquals(List.of("0123456789abcdef", "fedcba9876543210"),
                s.points().stream().map(p -> p.spec().train().fromPoint()).toList());
        assertTrue(s.points().stream().allMatch(p -> "minimum".equals(p.spec().train().fromSweep())));
        assertEquals(s, SweepSpec.parse(s.toYaml()), "round trip");
    }

    @Test
    void oneOfThePairWithoutTheOtherIsStillRefused() {
        SpecException e = assertThrows(SpecException.class, () -> SweepSpec.parse(BASE + "train: {from_sweep: minimum}\n"));
        assertTrue(e.getMessage().contains("train.from_sweep and train.from_point go together"), e.getMessage());
        e = assertThrows(SpecException.class, () -> SweepSpec.parse(BASE + "grid: {from_point: [\"0123456789abcdef\"]}\n"));
        assertTrue(e.getMessage().contains("without from_sweep"), e.getMessage());
    }
}
