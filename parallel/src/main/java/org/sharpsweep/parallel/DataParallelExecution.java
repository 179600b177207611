package org.sharpsweep.parallel;

import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.sweeps.DataSpec;
import org.sharpsweep.sweeps.GridPoint;
import org.sharpsweep.sweeps.PointSpec;
import org.sharpsweep.sweeps.TrainSpec;
import org.sharpsweep.worker.Curvature;
import org.sharpsweep.worker.DataCache;
import org.sharpsweep.worker.PointRunner;
import org.sharpsweep.worker.blas.Blas;
import org.sharpsweep.worker.data.Data;
import org.sharpsweep.worker.model.Model;
import org.sharpsweep.worker.train.BatchOrder;
import org.sharpsweep.worker.train.Trainer;

/**
 * A point trained data-parallel ({@code train.parallel: data}), run from the Spark driver: the
 * engine's MLP as a Deeplearning4j network ({@link Dl4jNetworks}, the same initial parameters),
 * trained by {@link DataParallelSgd} over {@code train.workers} workers on the engine's own
 * minibatch order ({@link BatchOrder}, each batch cut in order into equal parts; only the row
 * indices go out, each worker takes its rows from its own copy of the data set), so that the
 * final parameters are the engine's SGD's to round-off; then its curvature from {@link SparkSums}
 * over as many partitions of the training rows. Everything else is {@link PointRunner}'s.
 *
 * <p>Divergence: DL4J's score of a step is the mean of the workers' minibatch losses before the
 * update, i.e. the engine's minibatch loss; a score that is NaN, infinite or above
 * {@code train.divergence_loss} ends the point as DIVERGED at that step, and
 * {@code train.stop_at_loss} ends its training, as {@link Trainer} does ({@link Trainer.Losses}).
 * With {@code measure.every: K} the observer sees the parameters at step 0 and after every K
 * steps, as with {@link Trainer}; their curvature is summed over the workers as at the end.
 */
public final class DataParallelExecution implements PointRunner.Execution {
    /** Hears of each step taken (for a progress line): steps done, steps in all, the step's minibatch loss. */
    public interface Steps {
        void done(int stepsDone, int steps, double loss);
    }

    private final JavaSparkContext sc;
    private final Steps steps;

    /** @param steps told after every step; null = nobody */
    public DataParallelExecution(JavaSparkContext sc, Steps steps) {
        this.sc = sc;
        this.steps = steps;
    }

    /** Runs one data-parallel point (every step a Spark job over the workers). Never throws for the point's own failure. */
    public static org.sharpsweep.worker.PointResult run(JavaSparkContext sc, GridPoint point, java.nio.file.Path saveParamsDir,
                                                         double[] startParams) {
        return run(sc, point, saveParamsDir, startParams, null);
    }

    /** As above, telling {@code steps} of each step. */
    public static org.sharpsweep.worker.PointResult run(JavaSparkContext sc, GridPoint point, java.nio.file.Path saveParamsDir,
                                                         double[] startParams, Steps steps) {
        return PointRunner.run(point, saveParamsDir, startParams, new DataParallelExecution(sc, steps));
    }

    @Override
    public Trainer.Outcome train(Model model, INDArray theta, Data data, GridPoint point, int every, Trainer.Observer observer) {
        PointSpec spec = point.spec();
        TrainSpec train = spec.train();
        MultiLayerNetwork net = Dl4jNetworks.mlp(spec.model(), spec.loss(), data.inputs(), data.outputs(), train.lr());
        Dl4jNetworks.setParams(net, theta);
        DataParallelSgd sgd = new DataParallelSgd(sc, net, train.workers(), train.batchSize());
        int n = data.nTrain(), b = train.batchSize();
        BatchOrder order = new BatchOrder(n, b, point.orderSeed());
        DataParallelSgd.Rows rows = trainingRows(spec.data(), point.sweepSeed());
        Trainer.Losses losses = new Trainer.Losses(train, n);
        boolean watch = observer != null && every > 0;
        if (watch) observer.at(0, theta);
        for (int step = 0; step < train.steps(); step++) {
            sgd.step(order.next(), rows);
            double loss = sgd.lastLoss();
            if (steps != null) steps.done(step + 1, train.steps(), loss);
            Trainer.Outcome diverged = losses.at(step, loss);
            if (diverged != null) return diverged;
            if (watch && (step + 1) % every == 0) { // measure.every: the trajectory sees the averaged parameters
                theta.assign(Dl4jNetworks.engineParams(sgd.network()));
                observer.at(step + 1, theta);
            }
            if (losses.stops()) {
                theta.assign(Dl4jNetworks.engineParams(sgd.network()));
                return losses.end(step + 1);
            }
        }
        theta.assign(Dl4jNetworks.engineParams(sgd.network()));
        return losses.end(train.steps());
    }

    /** The point's training rows on a worker: its own copy of the data set ({@link DataCache}, loaded once per JVM). */
    public static DataParallelSgd.Rows trainingRows(DataSpec spec, long dataSeed) {
        return indices -> {
            Blas.prepare();
            Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
            Data data = DataCache.get(spec, dataSeed);
            return new DataSet(Nd4j.pullRows(data.trainX(), 1, indices), Nd4j.pullRows(data.trainY(), 1, indices));
        };
    }

    @Override
    public Curvature.Sums sums(Model model, INDArray theta, Data data, GridPoint point) {
        return new SparkSums(sc, point, theta, data.nTrain(), Math.min(point.spec().train().workers(), data.nTrain()));
    }
}
