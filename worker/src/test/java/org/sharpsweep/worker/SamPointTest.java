package org.sharpsweep.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sharpsweep.sweeps.GridPoint;
import org.sharpsweep.sweeps.LockstepGroups;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.Status;
import org.sharpsweep.sweeps.SweepSpec;

/**
 * A SAM point runs end to end through {@link PointRunner} as an SGD point does: an OK row whose
 * columns are filled exactly where the SGD twin's are (the measures at the end and along
 * training), but for the SAM settings (null for sgd, where they do not apply), on both trainers:
 * a small network (the plain-Java lockstep kernel) and a larger one (ND4J).
 */
class SamPointTest {
    private static final String YAML = """
            name: t
            data: {dataset: teacher, input_dim: %d, n_train: 64, n_test: 32}
            model: {depth: 1, width: %d, activation: tanh}
            train: {steps: 20, lr: 0.1, batch_size: %d%s}
            measure: {max_iters: 10, trace_max_probes: 4, trace: true, adaptive: true, top_k: 2, batch_sharpness: true, every: 10}
            """;

    @ParameterizedTest(name = "input_dim {0}, width {1}, batch {2}: small network {3}")
    @CsvSource({"3, 6, 16, true", "25, 1400, 64, false"})
    void aSamPointFillsEveryColumnAnSgdPointFills(int inputDim, int width, int batch, boolean small) {
        GridPoint sgd = SweepSpec.parse(YAML.formatted(inputDim, width, batch, "")).point(0);
        GridPoint sam = SweepSpec.parse(YAML.formatted(inputDim, width, batch, ", optimizer: sam, sam_rho: 0.1, sam_adaptive: true"))
                .point(0);
        assertEquals(small, LockstepGroups.smallNetwork(sam.spec()), "the trainer this case exercises");
        PointResult rSgd = PointRunner.run(sgd), rSam = PointRunner.run(sam);
        assertEquals(Status.OK, rSgd.status(), rSgd.error());
        assertEquals(Status.OK, rSam.status(), rSam.error());
        Map<String, Object> rowSgd = ResultRow.of("t", sgd, rSgd), rowSam = ResultRow.of("t", sam, rSam);
        assertEquals(rowSgd.keySet(), rowSam.keySet());
        Set<String> sam_only = Set.of("sam_rho", "sam_adaptive");
        for (String c : rowSgd.keySet()) {
            if (sam_only.contains(c)) continue;
            assertEquals(rowSgd.get(c) == null, rowSam.get(c) == null, c + ": sgd " + rowSgd.get(c) + ", sam " + rowSam.get(c));
        }
        assertEquals("sgd", rowSgd.get("optimizer"));
        assertEquals("sam", rowSam.get("optimizer"));
        assertNull(rowSgd.get("sam_rho"));
        assertNull(rowSgd.get("sam_adaptive"));
        assertEquals(0.1, rowSam.get("sam_rho"));
        assertEquals(true, rowSam.get("sam_adaptive"));
        assertNotEquals(rowSgd.get(ResultSchema.TRAIN_LOSS), rowSam.get(ResultSchema.TRAIN_LOSS), "the SAM point trained otherwise");
        assertEquals(rSgd.rows(ResultSchema.TRAJECTORIES).size(), rSam.rows(ResultSchema.TRAJECTORIES).size());
        assertEquals(rSgd.rows(ResultSchema.SPECTRA).size(), rSam.rows(ResultSchema.SPECTRA).size());
    }
}
