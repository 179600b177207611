package org.sharpsweep.worker;

import java.util.LinkedHashMap;
import java.util.Map;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.sweeps.PointSpec;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.worker.data.Data;
import org.sharpsweep.worker.model.Model;

/** The metrics of docs/results.md at the final parameters. */
final class Metrics {
    private Metrics() {
    }

    /**
     * Losses (without penalty) and accuracies on the whole training subset and the whole
     * held-out set, the parameter norm and the full-batch gradient norm, then the curvature.
     */
    static void measure(Model model, INDArray theta, Data data, PointSpec spec, long seed, Curvature.Sums sums,
                        PointRunner.Builder r) {
        basic(model, theta, data).forEach(r::put);
        Curvature.measure(new Curvature(model, theta, sums), spec.measure(), spec.train().lr(), spec.train().batchSize(), seed, r);
    }

    /**
     * train_loss, grad_norm, param_norm, test_loss and, for classification, train_acc and
     * test_acc at {@code theta} (float64), by results column name.
     */
    static Map<String, Object> basic(Model model, INDArray theta, Data data) {
        Map<String, Object> m = new LinkedHashMap<>();
        INDArray grad = Nd4j.create(DataType.DOUBLE, model.numParams());
        m.put(ResultSchema.TRAIN_LOSS, model.lossAndGradient(theta, data.trainX(), data.trainY(), grad));
        m.put(ResultSchema.GRAD_NORM, grad.norm2Number().doubleValue());
        m.put(ResultSchema.PARAM_NORM, theta.norm2Number().doubleValue());
        Model.Evaluation test = model.evaluate(theta, data.testX(), data.testY()); // one forward pass for loss and accuracy
        m.put(ResultSchema.TEST_LOSS, test.loss());
        if (data.isClassification()) {
            m.put(ResultSchema.TRAIN_ACC, accuracy(model.predict(theta, data.trainX()), data.trainLabels()));
            m.put(ResultSchema.TEST_ACC, accuracy(test.outputs(), data.testLabels()));
        }
        return m;
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
