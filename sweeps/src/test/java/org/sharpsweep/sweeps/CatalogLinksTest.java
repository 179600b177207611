package org.sharpsweep.sweeps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Catalog specs that start from another catalog sweep's saved parameters, and the settings that make it work. */
class CatalogLinksTest {
    /** Every catalog spec that restarts from another (escape, wu-ma-e-escape) names a point of it that keeps its parameters. */
    @Test
    void everyRestartStartsFromThePointOfItsMinimum() {
        int restarts = 0;
        for (String name : Catalog.NAMES) {
            SweepSpec spec = Catalog.resolve(name);
            String from = spec.point(0).spec().train().fromSweep();
            if (from == null) continue;
            restarts++;
            SweepSpec minimum = Catalog.resolve(from);
            assertEquals(1, minimum.size(), from);
            assertTrue(minimum.point(0).spec().measure().saveParams(), from + " keeps its parameters");
            for (GridPoint p : spec.points()) {
                assertEquals(from, p.spec().train().fromSweep(), name);
                assertEquals(minimum.point(0).pointId(), p.spec().train().fromPoint(), name + ": from_point is " + from + "'s id");
                assertEquals(minimum.point(0).spec().numParams(), p.spec().numParams(), name + ": the same network");
                assertEquals(minimum.point(0).spec().data(), p.spec().data(), name + ": the same data");
            }
        }
        assertEquals(2, restarts, "escape and wu-ma-e-escape");
    }

    @Test
    void saveParamsKeepsPointIdsAndIsNoAxis() {
        String base = "name: a\ndata: {n_train: 20}\n";
        SweepSpec without = SweepSpec.parse(base);
        SweepSpec with = SweepSpec.parse(base + "measure: {save_params: true}\n");
        assertEquals(without.point(0).pointId(), with.point(0).pointId());
        SpecException e = assertThrows(SpecException.class, () -> SweepSpec.parse(base + "grid: {save_params: [true, false]}\n"));
        assertTrue(e.getMessage().contains("grid.save_params is a measure setting, not a grid axis"), e.getMessage());
        assertFalse(Setting.SAVE_PARAMS.isAxis());
    }

    @Test
    void aStartingPointChangesTheIdAndANumericIdReadsAsWritten() {
        String base = "name: a\ndata: {n_train: 20}\n";
        SweepSpec from = SweepSpec.parse(base + "train: {from_sweep: m, from_point: 0012e45}\n");
        assertEquals("0012e45", from.point(0).spec().train().fromPoint());
        assertFalse(SweepSpec.parse(base).point(0).pointId().equals(from.point(0).pointId()));
    }

    @Test
    void numParamsCountsEveryLayer() {
        PointSpec p = SweepSpec.parse("name: a\ndata: {dataset: teacher, input_dim: 7, n_train: 20}\nmodel: {depth: 2, width: 5}\n")
                .point(0).spec();
        assertEquals((7 * 5 + 5) + (5 * 5 + 5) + (5 * 1 + 1), p.numParams());
    }
}
