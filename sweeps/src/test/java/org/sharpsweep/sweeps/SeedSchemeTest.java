package org.sharpsweep.sweeps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class SeedSchemeTest {
    static final String GRID = """
            name: crn
            seed: 5
            data: {dataset: teacher, input_dim: 3, n_train: 20, n_test: 20}
            model: {depth: 1, width: 4}
            train: {steps: 10, batch_size: 5}
            penalty: {kind: gradnorm}
            %s
            grid:
              lr: [0.1, 0.2]
              momentum: [0.0, 0.5]
              penalty_coef: [0.0, 0.01]
              dtype: [float64, float32]
              activation: [relu, tanh]
              width: [4, 8]
              batch_size: [5, 10]
              seed: {replicates: 2}
            """;

    @Test
    void sharedSeedsAreAlikeForPointsThatDifferInHowTheyAreOptimizedOnly() {
        SweepSpec spec = SweepSpec.parse(GRID.formatted("seeds: shared"));
        assertEquals(SeedScheme.SHARED, spec.seeds());
        List<GridPoint> points = spec.points();
        for (GridPoint a : points) {
            for (GridPoint b : points) {
                boolean sameShape = a.replicate() == b.replicate() && a.spec().model().width() == b.spec().model().width();
                boolean sameBatches = a.replicate() == b.replicate() && a.spec().train().batchSize() == b.spec().train().batchSize();
                assertEquals(sameShape, a.initSeed() == b.initSeed(), "init of points " + a.axes() + " and " + b.axes());
                assertEquals(sameBatches, a.orderSeed() == b.orderSeed(), "batches of points " + a.axes() + " and " + b.axes());
            }
            assertNotEquals(a.seed(), a.initSeed(), "shared seeds are not the point's own");
        }
    }

    @Test
    void perPointSeedsAreThePointsOwnAsBefore() {
        SweepSpec spec = SweepSpec.parse(GRID.formatted("seeds: per-point"));
        for (GridPoint p : spec.points()) {
            assertEquals(p.seed(), p.initSeed());
            assertEquals(p.seed(), p.orderSeed());
            assertEquals(SeedScheme.PER_POINT, p.seeds());
        }
    }

    @Test
    void theSchemeIsNoPartOfThePointIdAndRoundTrips() {
        SweepSpec shared = SweepSpec.parse(GRID.formatted("seeds: shared"));
        SweepSpec perPoint = SweepSpec.parse(GRID.formatted("seeds: per-point"));
        SweepSpec unsaid = SweepSpec.parse(GRID.formatted(""));
        assertNull(unsaid.seeds(), "a spec that does not say leaves it to the run");
        assertEquals(SeedScheme.SHARED, unsaid.seedScheme(), "shared for a first run");
        for (int i = 0; i < shared.size(); i++) {
            assertEquals(shared.point(i).pointId(), perPoint.point(i).pointId());
            assertEquals(shared.point(i).seed(), perPoint.point(i).seed());
        }
        assertEquals(shared, SweepSpec.parse(shared.toYaml()));
        assertEquals(perPoint, SweepSpec.parse(perPoint.toYaml()));
        assertEquals(unsaid, SweepSpec.parse(unsaid.toYaml()));
        assertTrue(perPoint.toYaml().contains("seeds: per-point"), perPoint.toYaml());
    }

    @Test
    void aKeptSpecWithoutTheKeyIsPerPointAndBadValuesAreRefused() {
        assertEquals(SeedScheme.PER_POINT, SweepSpec.parseLegacy(GRID.formatted("")).seeds(), "kept before the scheme existed");
        String msg = assertThrows(SpecException.class, () -> SweepSpec.parse(GRID.formatted("seeds: common"))).getMessage();
        assertTrue(msg.contains("seeds") && msg.contains("common") && msg.contains("shared") && msg.contains("per-point"), msg);
        msg = assertThrows(SpecException.class, () -> SweepSpec.parse(GRID.formatted("seeds: [shared]"))).getMessage();
        assertTrue(msg.contains("seeds must be one of"), msg);
    }
}
