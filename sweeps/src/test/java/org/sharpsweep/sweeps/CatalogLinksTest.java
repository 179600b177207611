package org.sharpsweep.sweeps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Catalog specs that start from another catalog sweep's saved parameters, and the settings that make it work. */
class CatalogLinksTest {
    @Test
    void escapeRestartsFromThePointOfEscapeMinimum() {
        SweepSpec minimum = Catalog.resolve("escape-minimum");
        assertEquals(1, minimum.size());
        assertTrue(minimum.point(0).spec().measure().saveParams(), "the minimum keeps its parameters");
        SweepSpec escape = Catalog.resolve("escape");
        for (GridPoint p : escape.points()) {
            assertEquals("escape-minimum", p.spec().train().fromSweep());
            assertEquals(minimum.point(0).pointId(), p.spec().train().fromPoint(), "from_point is escape-minimum's id");
            assertEquals(minimum.point(0).spec().numParams(), p.spec().numParams(), "the same network");
        }
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
