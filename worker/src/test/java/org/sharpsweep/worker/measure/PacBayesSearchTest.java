package org.sharpsweep.worker.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

/**
 * PAC-Bayes' bisection (docs/science.md) on accuracies known exactly, without Monte-Carlo noise:
 * a model whose rows all have margin 1 over noise of standard deviation sigma keeps each row with
 * probability Phi(1 / sigma), so from a clean accuracy of 1 the drop is 1 - Phi(1 / sigma), and a
 * drop of 0.1 is at sigma* = 1 / Phi^-1(0.9) = 0.7803.
 */
class PacBayesSearchTest {
    private static final NormalDistribution PHI = new NormalDistribution();

    @Test
    void theSearchStopsWhereTheDropIsATenthWithinTheTolerance() {
        PacBayes.Search s = PacBayes.search(sigma -> PHI.cumulativeProbability(1 / sigma), 1.0);
        double drop = 1 - PHI.cumulativeProbability(1 / s.sigma());
        assertEquals(drop, s.drop(), 1e-15);
        assertTrue(Math.abs(drop - 0.1) < 0.01, "drop " + drop + " at sigma " + s.sigma());
        // their path from [0, 2]: 1 (drop 0.159, too much), 0.5 (0.023), 0.75 (0.091, within 0.01): three steps
        assertEquals(0.75, s.sigma());
        assertEquals(3, s.steps());
        assertEquals(1 / PHI.inverseCumulativeProbability(0.9), 0.7803, 1e-4, "the exact sigma*, for the reader");
    }

    @Test
    void anAccuracyThatCannotDropEndsAtTheUpperEndAfterFifteenSteps() {
        PacBayes.Search s = PacBayes.search(sigma -> 0.5, 0.5);
        assertEquals(PacBayes.SEARCH_DEPTH, s.steps());
        assertEquals(2 - 2 / Math.pow(2, PacBayes.SEARCH_DEPTH), s.sigma(), 1e-15, "lower moved up every step");
    }
}
