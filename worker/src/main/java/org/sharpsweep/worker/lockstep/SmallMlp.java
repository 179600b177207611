package org.sharpsweep.worker.lockstep;

import java.util.LinkedHashMap;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.sweeps.LockstepGroups;
import org.sharpsweep.worker.model.Model;
import org.sharpsweep.worker.model.Mlp;

/**
 * A small network's {@link Mlp} as the measurements see it (docs/lockstep.md): each call on m
 * rows with m x P at most {@link LockstepGroups#MAX_WORK} runs {@link DenseKernel}'s plain
 * loops, where ND4J's fixed cost per operation would be most of the time; larger calls (the
 * measurements' passes over thousands of rows) run the {@link Mlp} itself: each call here copies
 * its rows out of ND4J's arrays, which on a pass over 1000 Fashion-MNIST rows of 784-32-10 costs
 * more than the kernel saves (H v 5.3-6.5 ms through this class against 3.9-4.5 ms in ND4J;
 * the trainer copies its data once per run, so training takes the kernel's wider rule,
 * {@link LockstepGroups#kernelTakes}). The choice reads the call's shapes only, so a point measures the same bits whichever
 * group it trained in. Both compute the same derivatives (DenseKernelTest: 1e-12).
 *
 * <p>Float64 only (measurements are float64; {@link #withDataType} to FLOAT gives the plain
 * {@link Mlp}). Not thread-safe, as {@link Mlp}.
 */
public final class SmallMlp implements Model {
    private final Mlp mlp;
    private final DenseKernel kernel;

    public SmallMlp(Mlp mlp) {
        if (mlp.dataType() != DataType.DOUBLE) throw new IllegalArgumentException("SmallMlp is float64, got " + mlp.dataType());
        this.mlp = mlp;
        this.kernel = new DenseKernel(mlp, false);
    }

    /** The network this adapts. */
    public Mlp mlp() {
        return mlp;
    }

    /** Whether a call on {@code rows} rows runs the plain loops. */
    private boolean small(long rows) {
        return rows * mlp.numParams() <= LockstepGroups.MAX_WORK;
    }

    @Override
    public DataType dataType() {
        return DataType.DOUBLE;
    }

    @Override
    public Model withDataType(DataType type) {
        return type == DataType.DOUBLE ? this : mlp.withDataType(type);
    }

    @Override
    public char sampleOrder(int rows) {
        return mlp.sampleOrder(rows);
    }

    @Override
    public int numParams() {
        return mlp.numParams();
    }

    @Override
    public INDArray initParams(long seed) {
        return mlp.initParams(seed);
    }

    @Override
    public INDArray predict(INDArray theta, INDArray x) {
        if (!small(x.rows())) return mlp.predict(theta, x);
        int m = (int) x.rows();
        double[] f = kernel.predict(doubles(theta), rows(x), m);
        return Nd4j.createFromArray(java.util.Arrays.copyOf(f, m * kernel.outputs)).reshape('c', m, kernel.outputs);
    }

    @Override
    public double loss(INDArray theta, INDArray x, INDArray y) {
        return evaluate(theta, x, y).loss();
    }

    @Override
    public Evaluation evaluate(INDArray theta, INDArray x, INDArray y) {
        if (!small(x.rows())) return mlp.evaluate(theta, x, y);
        int m = (int) x.rows();
        double[] scratch = new double[kernel.numParams];
        double loss = kernel.lossAndGradient(doubles(theta), rows(x), rows(y), m, scratch);
        double[] f = kernel.scratch(m).z[kernel.layers - 1];
        return new Evaluation(loss, Nd4j.createFromArray(java.util.Arrays.copyOf(f, m * kernel.outputs)).reshape('c', m, kernel.outputs));
    }

    @Override
    public double lossAndGradient(INDArray theta, INDArray x, INDArray y, INDArray grad) {
        if (!small(x.rows())) return mlp.lossAndGradient(theta, x, y, grad);
        double[] g = new double[kernel.numParams];
        double loss = kernel.lossAndGradient(doubles(theta), rows(x), rows(y), (int) x.rows(), g);
        write(g, grad);
        return loss;
    }

    @Override
    public void backpropOutputGradient(INDArray theta, INDArray x, INDArray g, INDArray grad) {
        if (!small(x.rows())) {
            mlp.backpropOutputGradient(theta, x, g, grad);
            return;
        }
        double[] out = new double[kernel.numParams];
        kernel.backpropOutputGradient(doubles(theta), rows(x), rows(g), (int) x.rows(), out);
        write(out, grad);
    }

    @Override
    public void hvp(INDArray theta, INDArray x, INDArray y, INDArray v, INDArray out) {
        if (!small(x.rows())) {
            mlp.hvp(theta, x, y, v, out);
            return;
        }
        double[] r = new double[kernel.numParams];
        kernel.hvp(doubles(theta), rows(x), rows(y), (int) x.rows(), doubles(v), r);
        write(r, out);
    }

    @Override
    public void hvpOutputLinear(INDArray theta, INDArray x, INDArray g, INDArray v, INDArray out) {
        if (!small(x.rows())) {
            mlp.hvpOutputLinear(theta, x, g, v, out);
            return;
        }
        double[] r = new double[kernel.numParams];
        kernel.hvpOutputLinear(doubles(theta), rows(x), rows(g), (int) x.rows(), doubles(v), r);
        write(r, out);
    }

    @Override
    public void perSampleMoments(INDArray theta, INDArray x, INDArray y, INDArray v, INDArray sumHv, INDArray sumHHv) {
        if (!small(x.rows())) {
            mlp.perSampleMoments(theta, x, y, v, sumHv, sumHHv);
            return;
        }
        double[] hv = new double[kernel.numParams], hhv = new double[kernel.numParams];
        kernel.perSampleMoments(doubles(theta), rows(x), rows(y), (int) x.rows(), doubles(v), hv, hhv);
        write(hv, sumHv);
        write(hhv, sumHHv);
    }

    @Override
    public LinkedHashMap<String, INDArray> exportArrays(INDArray theta) {
        return mlp.exportArrays(theta);
    }

    @Override
    public LinkedHashMap<String, Object> describe() {
        return mlp.describe();
    }

    @Override
    public String toString() {
        return mlp.toString();
    }

    private double[] doubles(INDArray vector) {
        if (vector.dataType() != DataType.DOUBLE || vector.length() != kernel.numParams) {
            throw new IllegalArgumentException("a parameter vector must be DOUBLE of length " + kernel.numParams + ", got "
                    + vector.dataType() + " of " + vector.length());
        }
        return vector.toDoubleVector();
    }

    /** The rows of a matrix, row-major, in double. */
    private static double[] rows(INDArray a) {
        return a.dup('c').castTo(DataType.DOUBLE).data().asDouble();
    }

    private static void write(double[] from, INDArray into) {
        into.assign(Nd4j.createFromArray(from).reshape(into.shape()));
    }
}
