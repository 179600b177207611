package org.sharpsweep.worker.measure;

import java.util.function.DoubleUnaryOperator;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.sweeps.measure.Measure;
import org.sharpsweep.sweeps.measure.Measures;
import org.sharpsweep.worker.Curvature;

/**
 * PAC-Bayes flatness (docs/science.md, "PAC-Bayes flatness"; Jiang et al. 2020, eqs. 53 and 61,
 * as the reference {@code measures.py} of Dziugaite et al. 2020 computes them): the noise scale sigma at which
 * the training accuracy, averaged over {@link #MONTE_CARLO} draws of Gaussian noise on every
 * parameter, is {@link #DISPLACEMENT} away from the clean training accuracy (within
 * {@link #TOLERANCE}), found by bisection on [0, {@link #UPPER}] in at most {@link #SEARCH_DEPTH}
 * steps; {@code pacbayes_flatness} = 1/sigma^2 with noise N(0, sigma^2) on each parameter, and
 * {@code pacbayes_mag_flatness} = 1/sigma'^2 with noise N(0, sigma'^2 theta_i^2 + eps^2),
 * eps = {@link #MAGNITUDE_EPS}. On the whole training subset; null for regression (no accuracy).
 * At the final parameters only. Each search draws from its own seeded stream.
 */
final class PacBayes implements Measurement {
    /** Their search_depth: bisection steps. */
    static final int SEARCH_DEPTH = 15;
    /** Their montecarlo_samples: noise draws per step. */
    static final int MONTE_CARLO = 10;
    /** Their accuracy_displacement: the accuracy drop sought. */
    static final double DISPLACEMENT = 0.1;
    /** Their displacement_tolerance. */
    static final double TOLERANCE = 1e-2;
    /** Their bracket [0, 2] of sigma. */
    static final double UPPER = 2.0;
    /** Their mag_eps: the magnitude-aware noise's floor. */
    static final double MAGNITUDE_EPS = 1e-3;

    @Override
    public Measure declaration() {
        return Measures.PACBAYES;
    }

    /** A search's outcome: sigma, the clean accuracy minus the mean accuracy under noise at sigma, and the steps taken. */
    record Search(double sigma, double drop, int steps) {
    }

    @Override
    public void measure(MeasureContext c) {
        Curvature k = c.curvature();
        Curvature.TrainingRows rows = k.trainingRows(0, k.rows());
        Double clean = rows.accuracy(k.theta());
        if (clean == null) return; // regression: no accuracy, the columns stay null (docs/science.md)
        double[] theta = k.theta().castTo(DataType.DOUBLE).toDoubleVector();
        Search plain = search(noisyAccuracy(rows, theta, false, new Gaussian(c.stream("pacbayes"))), clean);
        c.put(Measures.PACBAYES_FLATNESS, 1 / (plain.sigma() * plain.sigma()));
        c.put(Measures.PACBAYES_ACC_DROP, plain.drop());
        Search mag = search(noisyAccuracy(rows, theta, true, new Gaussian(c.stream("pacbayes-magnitude"))), clean);
        c.put(Measures.PACBAYES_MAG_FLATNESS, 1 / (mag.sigma() * mag.sigma()));
        c.put(Measures.PACBAYES_MAG_ACC_DROP, mag.drop());
    }

    /**
     * Their bisection: sigma the midpoint of [lower, upper] (starting [0, 2]); stop when the
     * accuracy's displacement |clean - mean accuracy under noise| is within {@link #TOLERANCE} of
     * {@link #DISPLACEMENT}, else move upper down (too much noise) or lower up; after
     * {@link #SEARCH_DEPTH} steps the last midpoint.
     *
     * @param meanAccuracy the mean training accuracy under noise of scale sigma
     */
    static Search search(DoubleUnaryOperator meanAccuracy, double clean) {
        double lower = 0;
        double upper = UPPER;
        double sigma = 0;
        double drop = 0;
        int step = 0;
        while (step < SEARCH_DEPTH) {
            step++;
            sigma = (lower + upper) / 2;
            drop = clean - meanAccuracy.applyAsDouble(sigma);
            double displacement = Math.abs(drop);
            if (Math.abs(displacement - DISPLACEMENT) < TOLERANCE) break;
            if (displacement > DISPLACEMENT) upper = sigma;
            else lower = sigma;
        }
        return new Search(sigma, drop, step);
    }

    /**
     * sigma -&gt; the mean over {@link #MONTE_CARLO} draws of the training accuracy at theta + u,
     * u_i ~ N(0, sigma^2) or, magnitude-aware, N(0, sigma^2 theta_i^2 + eps^2); the draws continue
     * one stream across the calls.
     */
    private static DoubleUnaryOperator noisyAccuracy(Curvature.TrainingRows rows, double[] theta, boolean magnitude, Gaussian draws) {
        return sigma -> {
            double sum = 0;
            double[] p = new double[theta.length];
            for (int s = 0; s < MONTE_CARLO; s++) {
                for (int i = 0; i < p.length; i++) {
                    double sd = magnitude ? Math.sqrt(sigma * sigma * theta[i] * theta[i] + MAGNITUDE_EPS * MAGNITUDE_EPS) : sigma;
                    p[i] = theta[i] + sd * draws.next();
                }
                sum += rows.accuracy(Nd4j.createFromArray(p));
            }
            return sum / MONTE_CARLO;
        };
    }
}
