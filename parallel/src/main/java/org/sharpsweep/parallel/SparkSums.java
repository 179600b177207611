package org.sharpsweep.parallel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sharpsweep.sweeps.GridPoint;
import org.sharpsweep.worker.Curvature;
import org.sharpsweep.worker.DataCache;
import org.sharpsweep.worker.blas.Blas;
import org.sharpsweep.worker.data.Data;
import org.sharpsweep.worker.model.Model;
import org.sharpsweep.worker.model.Models;

/**
 * The curvature's sums over the training rows of one point, computed on Spark workers: the n
 * rows are cut in order into {@code parts} partitions of n / parts rows (the first n mod parts
 * partitions one more), each worker loads the point's data itself (as a point's task does) and
 * computes its rows' share with the engine's exact products, and one tree aggregate per product
 * adds the shares up on the driver. The share of a partition with r of the n rows is its mean
 * H v times r / n, so the sum is the mean over all rows, as {@link Curvature#local} computes it
 * in chunks (the two differ in summation order only).
 *
 * <p>The parameters go out once as a broadcast; each product sends v (P doubles) to every
 * partition and brings P doubles back from each: one Spark job per product, so this pays off
 * where a product over n rows costs much more than that round.
 */
public final class SparkSums implements Curvature.Sums, AutoCloseable {
    private final JavaRDD<Integer> parts;
    private final Broadcast<double[]> theta;
    private final GridPoint point;
    private final int n;
    private final int m;
    private final int p;

    /**
     * @param theta the parameters (copied into a broadcast)
     * @param parts partitions of the rows (the point's workers); at most n
     */
    public SparkSums(JavaSparkContext sc, GridPoint point, INDArray theta, int n, int parts) {
        if (parts < 1 || parts > n) throw new IllegalArgumentException("partitions must be in [1, " + n + "], got " + parts);
        List<Integer> index = new ArrayList<>(parts);
        for (int j = 0; j < parts; j++) index.add(j);
        this.parts = sc.parallelize(index, parts);
        this.theta = sc.broadcast(theta.toDoubleVector());
        this.point = point;
        this.n = n;
        this.m = point.spec().nonuniformitySamples();
        this.p = (int) theta.length();
    }

    @Override
    public int rows() {
        return n;
    }

    @Override
    public int sampled() {
        return m;
    }

    @Override
    public void hvp(boolean sampledOnly, INDArray v, INDArray out) {
        double[] vector = v.toDoubleVector();
        out.assign(Nd4j.createFromArray(sum(part -> part.hvp(sampledOnly, vector), p)));
    }

    @Override
    public void moments(INDArray v, INDArray sumHv, INDArray sumHHv) {
        double[] vector = v.toDoubleVector();
        double[] both = sum(part -> part.moments(vector), 2 * p);
        sumHv.assign(Nd4j.createFromArray(java.util.Arrays.copyOfRange(both, 0, p)));
        sumHHv.assign(Nd4j.createFromArray(java.util.Arrays.copyOfRange(both, p, 2 * p)));
    }

    /** Each partition's share (a vector of {@code length}) on its worker, added up by one tree aggregate. */
    private double[] sum(Function<Part, double[]> share, int length) {
        GridPoint pt = point; // the closure takes these, not this object
        Broadcast<double[]> th = theta;
        int total = n, count = parts.getNumPartitions();
        return parts.map(j -> share.call(Part.of(pt, th, j, count, total)))
                .treeAggregate(new double[length], SparkSums::addInto, SparkSums::addInto);
    }

    private static double[] addInto(double[] into, double[] x) {
        for (int i = 0; i < into.length; i++) into[i] += x[i];
        return into;
    }

    /** Drops the broadcast parameters (on the workers too). */
    @Override
    public void close() {
        theta.destroy();
    }

    /**
     * One partition's rows on a worker, with its own model and scratch (models are not
     * thread-safe; two partitions may run at once in one executor), kept for the products that
     * follow. A JVM keeps the partitions of one SparkSums only, the one in use (a driver runs its
     * data-parallel points one at a time, and a trajectory makes one per measurement): the first
     * product of another drops the partitions of the last, so their models' scratch (chunks of up
     * to 2048 rows per layer) never piles up.
     */
    private static final class Part {
        private static final Map<Integer, Part> CACHE = new HashMap<>();
        private static long current = -1; // the broadcast id the cached partitions belong to

        private final int rows;     // the partition's rows r
        private final int sampled;  // of them, the ones among the point's first m
        private final int n;
        private final int m;
        private final int p;
        private final Curvature.Sums local;
        private final INDArray out;
        private final INDArray out2;

        private Part(GridPoint point, double[] theta, int j, int parts, int n) {
            Blas.prepare();
            Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
            Data data = DataCache.get(point.spec().data(), point.sweepSeed());
            if (data.nTrain() != n) throw new IllegalStateException("the worker's data has " + data.nTrain() + " training rows, the driver's " + n);
            Model model = Models.of(point.spec(), data.inputs(), data.outputs());
            int from = start(j, parts, n), to = start(j + 1, parts, n);
            this.rows = to - from;
            this.n = n;
            this.m = point.spec().nonuniformitySamples();
            this.sampled = Math.max(0, Math.min(to, m) - from);
            this.p = theta.length;
            INDArray x = data.trainX().get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
            INDArray y = data.trainY().get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
            this.local = Curvature.local(model, Nd4j.createFromArray(theta), x, y, Math.max(sampled, 1));
            org.apache.spark.SparkEnv env = org.apache.spark.SparkEnv.get();
            if (env != null && !"driver".equals(env.executorId())) { // an executor's log; local mode keeps the console quiet
                System.err.println("sharpsweep: data-parallel point " + point.pointId() + ": curvature on partition " + j + " of " + parts
                        + " (training rows " + from + " to " + (to - 1) + ") on executor " + env.executorId());
            }
            this.out = Nd4j.create(DataType.DOUBLE, p);
            this.out2 = Nd4j.create(DataType.DOUBLE, p);
        }

        /** The first row of partition j: rows are dealt in order, the first n mod parts partitions get one more. */
        static int start(int j, int parts, int n) {
            int base = n / parts, extra = n % parts;
            return j * base + Math.min(j, extra);
        }

        static Part of(GridPoint point, Broadcast<double[]> theta, int j, int parts, int n) {
            TaskGpu.bind();
            synchronized (CACHE) {
                if (theta.id() != current) {
                    CACHE.clear();
                    current = theta.id();
                }
                Part part = CACHE.get(j);
                if (part == null) {
                    part = new Part(point, theta.value(), j, parts, n);
                    CACHE.put(j, part);
                }
                return part;
            }
        }

        /** This partition's share of the mean H v over all n rows (or over the first m). */
        synchronized double[] hvp(boolean sampledOnly, double[] v) {
            int mine = sampledOnly ? sampled : rows;
            if (mine == 0) return new double[p];
            local.hvp(sampledOnly, Nd4j.createFromArray(v), out);
            return out.muli((double) mine / (sampledOnly ? m : n)).toDoubleVector();
        }

        /** sum_i H_i v and sum_i H_i (H_i v) over this partition's rows among the first m, as one vector of 2P. */
        synchronized double[] moments(double[] v) {
            double[] both = new double[2 * p];
            if (sampled == 0) return both;
            local.moments(Nd4j.createFromArray(v), out, out2);
            System.arraycopy(out.toDoubleVector(), 0, both, 0, p);
            System.arraycopy(out2.toDoubleVector(), 0, both, p, p);
            return both;
        }
    }
}
