package org.sharpsweep.worker;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.sweeps.PointSpec;
import org.sharpsweep.worker.data.Data;
import org.sharpsweep.worker.model.Mlp;

/** The metrics of DESIGN.md section 6 at the final parameters. */
final class Metrics {
    private Metrics() {
    }

    /**
     * Losses (without penalty) and accuracies on the whole training subset and the whole
     * held-out set, the parameter norm and the full-batch gradient norm, then the curvature.
     */
    static void measure(Mlp model, INDArray theta, Data data, PointSpec spec, long seed, PointRunner.Builder r) {
        INDArray grad = Nd4j.create(DataType.DOUBLE, model.numParams());
        r.trainLoss = model.lossAndGradient(theta, data.trainX(), data.trainY(), grad);
        r.gradNorm = grad.norm2Number().doubleValue();
        r.paramNorm = theta.norm2Number().doubleValue();
        r.testLoss = model.loss(theta, data.testX(), data.testY());
        if (data.isClassification()) {
            r.trainAcc = accuracy(model.predict(theta, data.trainX()), data.trainLabels());
            r.testAcc = accuracy(model.predict(theta, data.testX()), data.testLabels());
        }
        Curvature.measure(model, theta, data.trainX(), data.trainY(), spec.measure(), spec.nonuniformitySamples(),
                spec.train().lr(), spec.train().batchSize(), seed, r);
    }

    /** Fraction of rows whose largest output is the label (first maximum on ties). */
    static double accuracy(INDArray outputs, int[] labels) {
        INDArray predicted = Nd4j.argMax(outputs, 1);
        int hits = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predicted.getInt(i) == labels[i]) hits++;
        }
        return (double) hits / labels.length;
    }
}
