package org.sharpsweep.sweeps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sharpsweep.sweeps.measure.Measure;
import org.sharpsweep.sweeps.measure.Measures;

/** The arithmetic of {@link CostEstimate}, against flop counts written out by hand from the shapes. */
class CostEstimateTest {
    /** Relative tolerance: the counts are exact in double arithmetic. */
    private static final double EXACT = 1e-12;

    private static PointSpec point(String yaml) {
        return SweepSpec.parse("name: c\nseed: 1\n" + yaml).point(0).spec();
    }

    @Test
    void aTinyMlp() {
        // teacher, d = 4 inputs, one hidden layer of w = 3, k = 1 output: f = 2 (4 x 3 + 3 x 1) = 30 flops a sample
        PointSpec p = point("data: {dataset: teacher, input_dim: 4, n_train: 20, n_test: 10}\nmodel: {depth: 1, width: 3}\n"
                + "train: {steps: 10, lr: 0.1, batch_size: 5}\nmeasure: {nonuniformity: false, max_iters: 10}\n");
        CostEstimate c = CostEstimate.of(p);
        assertEquals(30, c.flopsPerSample(), 30 * EXACT);
        assertEquals(5 * 3 * 30, c.stepFlops(), 450 * EXACT, "B g, g = 3 f");
        assertEquals(10 * 450, c.trainFlops(), 4500 * EXACT);
        // sharpness 3 I and, of the stability, lambda_min alone (the criterion is not computed for B < n without the
        // non-uniformity): 4 I = 40 products, each n h = 20 x 2 x 90 = 3600 flops
        assertEquals(40, c.products(), EXACT);
        assertEquals(40 * 3600, c.measureFlops(), 144000 * EXACT);
        assertEquals((4500 + 144000) / CostEstimate.FLOPS + (10 + 40) * CostEstimate.OVERHEAD_SECONDS, c.seconds(), 1e-15);
        // training in float32 at its own rate; the measurements stay float64
        CostEstimate f32 = CostEstimate.of(point("data: {dataset: teacher, input_dim: 4, n_train: 20, n_test: 10}\nmodel: {depth: 1, width: 3}\n"
                + "train: {steps: 10, lr: 0.1, batch_size: 5, dtype: float32}\nmeasure: {nonuniformity: false, max_iters: 10}\n"));
        assertEquals(450 / CostEstimate.FLOPS_FLOAT32, f32.stepSeconds(), 1e-18);
        assertEquals(4500 / CostEstimate.FLOPS_FLOAT32 + 10 * CostEstimate.OVERHEAD_SECONDS, f32.trainSeconds(), 1e-15);
        assertEquals(c.measureSeconds(), f32.measureSeconds(), 1e-18);
        assertEquals(f32.trainSeconds() + f32.measureSeconds(), f32.seconds(), 1e-15);

        // SAM: two gradients a step; a learning rate in units of 2/lambda_0 measures lambda_0 even without the sharpness
        PointSpec sam = point("data: {dataset: teacher, input_dim: 4, n_train: 20, n_test: 10}\nmodel: {depth: 1, width: 3}\n"
                + "train: {steps: 10, lr_in_2_over_lambda0: 0.5, batch_size: 5, optimizer: sam}\n"
                + "measure: {sharpness: false, nonuniformity: false, max_iters: 10}\n");
        assertEquals(2 * 450, CostEstimate.of(sam).stepFlops(), 900 * EXACT);
        assertEquals(10, CostEstimate.of(sam).products(), EXACT);
    }

    @Test
    void theGradnormPenaltyAddsAnHvpPerStepAndEveryMeasuresAgain() {
        PointSpec p = point("data: {dataset: teacher, input_dim: 4, n_train: 20, n_test: 10}\nmodel: {depth: 1, width: 3}\n"
                + "train: {steps: 10, lr: 0.1, batch_size: 5}\npenalty: {kind: gradnorm, coef: 0.1}\n"
                + "measure: {nonuniformity: false, max_iters: 10, every: 5}\n");
        CostEstimate c = CostEstimate.of(p);
        assertEquals(5 * 90 + 5 * 180, c.stepFlops(), 1350 * EXACT, "B g + B h");
        // 3 I for the sharpness and I for lambda_min at the end, and I at each of the floor(10 / 5) = 2 measurements along training
        assertEquals(40 + 2 * 10, c.products(), EXACT);
    }

    @Test
    void aTinyCnn() {
        // 28 x 28 x 1 images, one block of 2 channels with 3 x 3 kernels at 28 x 28: 2 x (2 x 1 x 9 x 784) = 28224 flops;
        // max pooling to 14 x 14, F = 2 x 14 x 14 = 392 into a linear head of 10 classes: 2 x 392 x 10 = 7840
        PointSpec p = point("data: {dataset: fashion-mnist, path: /usr/share/datasets/fashion-mnist, n_train: 100, n_test: 100}\n"
                + "model: {family: cnn, conv_blocks: 1, channels: 2, kernel: 3, pool: max, depth: 0}\n"
                + "train: {steps: 4, lr: 0.1, batch_size: 10}\nmeasure: {sharpness: false, nonuniformity: false}\n");
        CostEstimate c = CostEstimate.of(p);
        assertEquals(28224 + 7840, c.flopsPerSample(), 36064 * EXACT);
        assertEquals(4 * 10 * 3 * 36064.0, c.trainFlops(), 4 * 10 * 3 * 36064.0 * EXACT);
        assertEquals(0, c.products(), EXACT, "no measure asked");
    }

    @Test
    void aCnnOfEightBlocksWithoutPoolingOnFullImagesTakesMinutesAStep() {
        PointSpec p = point("data: {dataset: fashion-mnist, path: /usr/share/datasets/fashion-mnist, n_train: 1000, n_test: 100}\n"
                + "model: {family: cnn, conv_blocks: 8, channels: 16, kernel: 3, pool: none, depth: 1, width: 100}\n"
                + "train: {steps: 100, lr: 0.1, batch_size: 100}\n");
        CostEstimate c = CostEstimate.of(p);
        assertTrue(c.stepSeconds() > 60, "a step: " + CostEstimate.human(c.stepSeconds()));
        assertTrue(c.seconds() > CostEstimate.LONG_POINT_SECONDS, CostEstimate.human(c.seconds()));
    }

    @Test
    void everyMeasureHasACost() {
        PointSpec p = point("data: {dataset: teacher, input_dim: 4, n_train: 20, n_test: 10}\nmodel: {depth: 1, width: 3}\n"
                + "train: {steps: 10, lr: 0.1}\n");
        for (Measure m : Measures.all()) {
            if (m.on() == null) continue;
            PointSpec on = p.with(m.on(), true);
            assertTrue(CostEstimate.products(on) >= 0, m.name()); // throws for a measure without a declared cost
        }
    }

    @Test
    void timesReadAsAPersonWouldSayThem() {
        assertEquals("40 ms", CostEstimate.human(0.04));
        assertEquals("12 s", CostEstimate.human(12));
        assertEquals("3.5 min", CostEstimate.human(210));
        assertEquals("2.5 h", CostEstimate.human(9000));
        assertEquals("4.0 days", CostEstimate.human(4 * 86400));
    }
}
