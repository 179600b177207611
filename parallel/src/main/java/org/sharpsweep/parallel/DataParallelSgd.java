package org.sharpsweep.parallel;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Plain minibatch SGD of one network over W Spark workers, as DL4J Spark's
 * {@link ParameterAveragingTrainingMaster} does it with averaging after every step: each step's
 * batch of B rows is cut in order into W equal parts (rows [i B/W, (i+1) B/W) go to worker i),
 * each worker takes one SGD step on its part from the same parameters, and the parameters are
 * averaged, which is the SGD step on the whole batch: theta - lr mean_i g_i = theta - lr g_B. One
 * step is one Spark job (a round of broadcast, W tasks and an average), so this pays off only
 * when a step's work is large against that round.
 */
public final class DataParallelSgd {
    private final SparkDl4jMultiLayer spark;
    private final JavaSparkContext sc;
    private final int workers;

    /** @param net the network, trained in place (its updater plain SGD: {@link Dl4jNetworks#mlp}) */
    public DataParallelSgd(JavaSparkContext sc, MultiLayerNetwork net, int workers, int batchSize) {
        if (workers < 1) throw new IllegalArgumentException("train.workers must be >= 1, got " + workers);
        if (batchSize % workers != 0) {
            throw new IllegalArgumentException("train.batch_size " + batchSize + " must be a multiple of train.workers " + workers
                    + " (each worker takes an equal part of every batch)");
        }
        int perWorker = batchSize / workers;
        ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(workers, perWorker)
                .batchSizePerWorker(perWorker).averagingFrequency(1).workerPrefetchNumBatches(0)
                .repartionData(Repartition.Never).rddTrainingApproach(RDDTrainingApproach.Direct)
                .collectTrainingStats(false).build();
        this.sc = sc;
        this.workers = workers;
        this.spark = new SparkDl4jMultiLayer(sc, net, master);
    }

    /** One SGD step on the batch (x, y) of B rows, split over the workers in order; the rows go out from here. */
    public void step(INDArray x, INDArray y) {
        int rows = (int) x.rows();
        int part = rows / workers;
        List<DataSet> parts = new ArrayList<>(workers);
        for (int i = 0; i < workers; i++) {
            parts.add(new DataSet(x.get(NDArrayIndex.interval(i * part, (i + 1) * part), NDArrayIndex.all()).dup(),
                    y.get(NDArrayIndex.interval(i * part, (i + 1) * part), NDArrayIndex.all()).dup()));
        }
        JavaRDD<DataSet> rdd = sc.parallelize(parts, workers);
        spark.fit(rdd);
    }

    /** The training rows where the workers are: a data set of the given row indices, made on the worker. */
    public interface Rows extends java.io.Serializable {
        DataSet of(int[] rows);
    }

    /**
     * One SGD step on the batch of the given training rows, split over the workers in order:
     * only the indices go out, each worker makes its part from {@code rows} (its own copy of the
     * training set), so a step ships B ints instead of B rows of data.
     */
    public void step(int[] batch, Rows rows) {
        int part = batch.length / workers;
        List<int[]> parts = new ArrayList<>(workers);
        for (int i = 0; i < workers; i++) parts.add(java.util.Arrays.copyOfRange(batch, i * part, (i + 1) * part));
        spark.fit(sc.parallelize(parts, workers).map(rows::of));
    }

    /**
     * The last step's loss: DL4J's score, the mean of the workers' minibatch losses at the
     * parameters before the update (the parts are equal, so the loss of the whole batch).
     */
    public double lastLoss() {
        return spark.getScore();
    }

    /** The trained network (its parameters after the last step). */
    public MultiLayerNetwork network() {
        return spark.getNetwork();
    }
}
