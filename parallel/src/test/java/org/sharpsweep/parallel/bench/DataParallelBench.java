package org.sharpsweep.parallel.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sharpsweep.parallel.DataParallelExecution;
import org.sharpsweep.parallel.DataParallelSgd;
import org.sharpsweep.parallel.Dl4jNetworks;
import org.sharpsweep.parallel.SparkSums;
import org.sharpsweep.sweeps.GridPoint;
import org.sharpsweep.sweeps.SweepSpec;
import org.sharpsweep.worker.Curvature;
import org.sharpsweep.worker.DataCache;
import org.sharpsweep.worker.blas.Blas;
import org.sharpsweep.worker.data.Data;
import org.sharpsweep.worker.model.Model;
import org.sharpsweep.worker.model.Models;

/**
 * What a data-parallel step and product cost against the engine alone (bench/data-parallel):
 * a Fashion-MNIST point (784-width-10 relu, xent, n = 2000, batch B) trained one SGD step at a
 * time by (1) the engine's own step in this JVM, (2) the same network as a DL4J network fitting
 * the whole batch in this JVM, (3) DL4J Spark over W workers in local Spark (local[W]) with the
 * batch's rows shipped from the driver, (4) the same with only the row indices shipped (each
 * worker takes its rows from its own copy of the data, as a data-parallel point does), and (5)
 * (4) on a batch of W rows: the Spark round alone (broadcast, W tasks, average) for that network; then one H v over the n rows locally and summed over W Spark
 * partitions. Interleaved rounds, medians in ms and their ratios.
 *
 * <p>Arguments: {@code rounds=5 widths=256,1024 batch=1000 workers=2 path=DIR}.
 */
public final class DataParallelBench {
    public static void main(String[] args) {
        int rounds = 5, batch = 1000, workers = 2;
        String path = "/usr/share/datasets/fashion-mnist";
        int[] widths = {256, 1024};
        for (String a : args) {
            String[] kv = a.split("=", 2);
            switch (kv[0]) {
                case "rounds" -> rounds = Integer.parseInt(kv[1]);
                case "batch" -> batch = Integer.parseInt(kv[1]);
                case "workers" -> workers = Integer.parseInt(kv[1]);
                case "path" -> path = kv[1];
                case "widths" -> widths = Arrays.stream(kv[1].split(",")).mapToInt(Integer::parseInt).toArray();
                default -> throw new IllegalArgumentException("unknown argument " + a + "; see the class's Javadoc");
            }
        }
        Blas.prepare();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        JavaSparkContext sc = new JavaSparkContext(new SparkConf().setMaster("local[" + workers + "]").setAppName("data-parallel-bench")
                .set("spark.ui.enabled", "false"));
        sc.setLogLevel("WARN");
        System.out.printf(Locale.ROOT, "OpenBLAS core %s, W = %d (local[%d]), B = %d, n = 2000, %d rounds, medians in ms%n",
                Blas.core(), workers, workers, batch, rounds);
        System.out.println("width  params  engine step  DL4J step  Spark step, rows shipped  Spark step, indices  Spark round  | DL4J/engine  Spark (indices)/engine  round/engine  | H v local  H v Spark  Spark/local");
        for (int width : widths) bench(sc, path, width, batch, workers, rounds);
        sc.close();
    }

    private static void bench(JavaSparkContext sc, String path, int width, int batch, int workers, int rounds) {
        GridPoint point = SweepSpec.parse("name: b\ndata: {dataset: fashion-mnist, path: " + path + ", n_train: 2000, n_test: 100}\n"
                + "model: {depth: 1, width: " + width + ", activation: relu}\nloss: xent\n"
                + "train: {steps: 1, lr: 0.01, batch_size: " + batch + ", parallel: data, workers: " + workers + "}\n").point(0);
        Data data = DataCache.get(point.spec().data(), point.sweepSeed());
        Model model = Models.of(point.spec(), data.inputs(), data.outputs());
        INDArray theta = model.initParams(1);
        INDArray xb = data.trainX().get(NDArrayIndex.interval(0, batch), NDArrayIndex.all()).dup();
        INDArray yb = data.trainY().get(NDArrayIndex.interval(0, batch), NDArrayIndex.all()).dup();
        INDArray grad = Nd4j.create(DataType.DOUBLE, model.numParams());
        MultiLayerNetwork alone = Dl4jNetworks.mlp(point.spec().model(), point.spec().loss(), data.inputs(), data.outputs(), 0.01);
        Dl4jNetworks.setParams(alone, theta);
        MultiLayerNetwork spread = Dl4jNetworks.mlp(point.spec().model(), point.spec().loss(), data.inputs(), data.outputs(), 0.01);
        Dl4jNetworks.setParams(spread, theta);
        DataParallelSgd sgd = new DataParallelSgd(sc, spread, workers, batch);
        MultiLayerNetwork tiny = Dl4jNetworks.mlp(point.spec().model(), point.spec().loss(), data.inputs(), data.outputs(), 0.01);
        Dl4jNetworks.setParams(tiny, theta);
        DataParallelSgd round = new DataParallelSgd(sc, tiny, workers, workers);
        Curvature.Sums local = Curvature.local(model, theta, data.trainX(), data.trainY(), data.nTrain());
        INDArray v = Nd4j.rand(DataType.DOUBLE, model.numParams()), out = Nd4j.create(DataType.DOUBLE, model.numParams());
        DataSet whole = new DataSet(xb, yb);
        MultiLayerNetwork byIndex = Dl4jNetworks.mlp(point.spec().model(), point.spec().loss(), data.inputs(), data.outputs(), 0.01);
        Dl4jNetworks.setParams(byIndex, theta);
        DataParallelSgd indexed = new DataParallelSgd(sc, byIndex, workers, batch);
        DataParallelSgd.Rows rows = DataParallelExecution.trainingRows(point.spec().data(), point.sweepSeed());
        int[] first = new int[batch], few = new int[workers];
        for (int i = 0; i < batch; i++) first[i] = i;
        for (int i = 0; i < workers; i++) few[i] = i;
        List<double[]> t = new ArrayList<>();
        try (SparkSums sums = new SparkSums(sc, point, theta, data.nTrain(), workers)) {
            for (int r = 0; r <= rounds; r++) { // round 0 warms up
                double[] row = new double[7];
                row[0] = time(() -> {
                    model.lossAndGradient(theta, xb, yb, grad);
                    Nd4j.getBlasWrapper().level1().axpy(grad.length(), -0.0, grad, theta); // the update's pass, theta unchanged
                });
                row[1] = time(() -> alone.fit(whole));
                row[2] = time(() -> sgd.step(xb, yb));
                row[3] = time(() -> indexed.step(first, rows));
                row[4] = time(() -> round.step(few, rows));
                row[5] = time(() -> local.hvp(false, v, out));
                row[6] = time(() -> sums.hvp(false, v, out));
                if (r > 0) t.add(row);
            }
        }
        double[] m = new double[7];
        for (int j = 0; j < 7; j++) {
            int col = j;
            m[j] = t.stream().mapToDouble(x -> x[col]).sorted().toArray()[t.size() / 2];
        }
        System.out.printf(Locale.ROOT, "%5d  %6d  %11.1f  %9.1f  %24.1f  %19.1f  %11.1f  | %11.2f  %22.2f  %12.2f  | %9.1f  %9.1f  %11.2f%n",
                width, model.numParams(), m[0], m[1], m[2], m[3], m[4], m[1] / m[0], m[3] / m[0], m[4] / m[0], m[5], m[6], m[6] / m[5]);
    }

    private static double time(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1e6;
    }
}
