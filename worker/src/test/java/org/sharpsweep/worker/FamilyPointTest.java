package org.sharpsweep.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.sharpsweep.sweeps.GridPoint;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.Status;
import org.sharpsweep.sweeps.SweepSpec;

/**
 * A grid over {@code model.family} run point by point on the real Fashion-MNIST: the cnn point
 * trains and is measured through {@link org.sharpsweep.worker.model.Models#of}, its row holds the
 * conv settings and the P its spec counts, and the mlp point's row leaves the conv settings null
 * (they do not apply to it).
 */
class FamilyPointTest {

    @Test
    void aCnnPointAndAnMlpPointOfOneGrid() {
        SweepSpec s = SweepSpec.parse("""
                name: fam
                seed: 2
                data: {dataset: fashion-mnist, path: /usr/share/datasets/fashion-mnist, n_train: 20, n_test: 20}
                model: {depth: 1, width: 4, conv_blocks: 2, channels: 2, kernel: 3, pool: max}
                train: {steps: 3, lr: 0.05, batch_size: 10}
                measure: {max_iters: 10}
                grid: {family: [mlp, cnn]}
                """);
        GridPoint mlp = s.point(0);
        GridPoint cnn = s.point(1);
        PointResult rc = PointRunner.run(cnn);
        assertEquals(Status.OK, rc.status(), rc.error());
        assertEquals(cnn.spec().numParams(), (long) rc.integer(ResultSchema.NUM_PARAMS));
        assertTrue(Double.isFinite(rc.number(ResultSchema.SHARPNESS)));
        Map<String, Object> row = ResultRow.of("fam", cnn, rc);
        assertEquals("cnn", row.get("family"));
        assertEquals(2, row.get("conv_blocks"));
        assertEquals(2, row.get("channels"));
        assertEquals(3, row.get("kernel"));
        assertEquals("max", row.get("pool"));

        PointResult rm = PointRunner.run(mlp);
        assertEquals(Status.OK, rm.status(), rm.error());
        assertEquals(784 * 4 + 4 + 4 * 10 + 10, rm.integer(ResultSchema.NUM_PARAMS));
        Map<String, Object> mrow = ResultRow.of("fam", mlp, rm);
        assertEquals("mlp", mrow.get("family"));
        for (String c : new String[]{"conv_blocks", "channels", "kernel", "pool"}) assertNull(mrow.get(c), c + " of an mlp");
    }
}
