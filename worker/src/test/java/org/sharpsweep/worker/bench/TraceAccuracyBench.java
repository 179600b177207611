package org.sharpsweep.worker.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.sweeps.GridPoint;
import org.sharpsweep.sweeps.PointSpec;
import org.sharpsweep.sweeps.Seeds;
import org.sharpsweep.sweeps.SweepSpec;
import org.sharpsweep.worker.Curvature;
import org.sharpsweep.worker.curvature.HutchinsonTrace;
import org.sharpsweep.worker.curvature.SymmetricOperator;
import org.sharpsweep.worker.curvature.TraceEstimate;
import org.sharpsweep.worker.data.Data;
import org.sharpsweep.worker.data.Datasets;
import org.sharpsweep.worker.model.Mlp;
import org.sharpsweep.worker.train.Trainer;

/**
 * How far the trace estimate is from the exact trace on a real network, by stopping rule. The
 * network is the 12,730-parameter Fashion-MNIST MLP (784-16-10 ReLU, MSE, n = 1000, GD lr 0.1,
 * 2000 steps); its exact tr(H) is the sum of e_i^T H e_i over all P unit vectors (P Hessian-vector
 * products). Then, for probe seeds 1..S: (a) PyHessian's rule (stop when the running mean changes
 * by less than 1e-3, relative; cap 100), replayed from the probe values of a plain run; (b) the
 * engine's defaults (20 Krylov vectors exactly, the rest by Hutchinson until the standard error is
 * 1% of the estimate; cap 100). For each: the median relative error, the fraction of seeds whose
 * estimate +- 2 stderr covers the exact trace, and the median operator products.
 *
 * <p>Run: {@code bench/run TraceAccuracyBench [seeds=20] [data=/usr/share/datasets/fashion-mnist]}.
 * About 2 minutes on the 2-core VM.
 */
public final class TraceAccuracyBench {
    private TraceAccuracyBench() {
    }

    public static void main(String[] args) {
        int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        String path = args.length > 1 ? args[1] : "/usr/share/datasets/fashion-mnist";
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        SweepSpec spec = SweepSpec.parse(String.join("\n", "name: trace-accuracy", "seed: 1",
                "data: {dataset: fashion-mnist, path: " + path + ", n_train: 1000, n_test: 1000}",
                "model: {depth: 1, width: 16, activation: relu}", "loss: mse", "train: {steps: 2000, lr: 0.1}", ""));
        GridPoint p = spec.point(0);
        PointSpec s = p.spec();
        Data data = Datasets.load(s.data(), p.sweepSeed());
        Mlp model = new Mlp(data.inputs(), s.model().depth(), s.model().width(), data.outputs(), s.model().activation(),
                s.model().init(), s.loss());
        INDArray theta = model.initParams(Seeds.stream(p.initSeed(), "init"));
        Trainer.train(model, theta, data.trainX(), data.trainY(), s.train(), s.penalty(), p.orderSeed(), 0, null);
        Curvature c = new Curvature(model, theta, data.trainX(), data.trainY(), data.nTrain());
        SymmetricOperator h = c.hessian();
        int dim = c.dim();
        long t0 = System.nanoTime();
        double exact = 0;
        INDArray e = Nd4j.create(DataType.DOUBLE, dim);
        INDArray he = Nd4j.create(DataType.DOUBLE, dim);
        for (int i = 0; i < dim; i++) {
            e.putScalar(i, 1.0);
            h.apply(e, he);
            exact += he.getDouble(i);
            e.putScalar(i, 0.0);
        }
        System.out.printf(Locale.ROOT, "P = %d, train loss %.5f, exact tr(H) = %.6f (%d products, %.0f s)%n", dim,
                model.loss(theta, data.trainX(), data.trainY()), exact, dim, (System.nanoTime() - t0) / 1e9);
        List<double[]> pyhessian = new ArrayList<>();
        List<double[]> engine = new ArrayList<>();
        for (long seed = 1; seed <= seeds; seed++) {
            List<Double> values = new ArrayList<>();
            HutchinsonTrace.estimate((v, out) -> {
                h.apply(v, out);
                values.add(Nd4j.getBlasWrapper().dot(v, out));
            }, dim, 1e-15, 100, 0, seed);
            pyhessian.add(pyHessianRule(values, 1e-3));
            TraceEstimate t = HutchinsonTrace.estimate(h, dim, seed);
            engine.add(new double[] {t.value(), t.stderr(), t.probes() + t.deflated()});
        }
        report("PyHessian rule (tol 1e-3 on the mean's change)", pyhessian, exact);
        report("engine defaults (deflate 20, stderr <= 1%)", engine, exact);
        for (int deflate : new int[] {0, 10, 20, 40}) { // what the Krylov vectors buy at a fixed budget of products
            List<double[]> fixed = new ArrayList<>();
            for (long seed = 1; seed <= seeds; seed++) {
                TraceEstimate t = HutchinsonTrace.estimate(h, dim, 1e-15, 100 - deflate + 10, deflate, seed);
                fixed.add(new double[] {t.value(), t.stderr(), t.probes() + t.deflated()});
            }
            report("deflate " + deflate + ", 110 products", fixed, exact);
        }
    }

    /** The first k >= 2 whose running mean changed by less than tol (PyHessian), with its mean, stderr and k. */
    private static double[] pyHessianRule(List<Double> values, double tol) {
        double sum = 0;
        double sumSq = 0;
        int k = 0;
        double mean = 0;
        for (double t : values) {
            double previous = k == 0 ? 0 : sum / k;
            k++;
            sum += t;
            sumSq += t * t;
            mean = sum / k;
            if (k >= 2 && Math.abs(mean - previous) / (Math.abs(previous) + 1e-6) < tol) break;
        }
        double se = Math.sqrt(Math.max(0, (sumSq - k * mean * mean) / (k - 1)) / k);
        return new double[] {mean, se, k};
    }

    private static void report(String name, List<double[]> runs, double exact) {
        List<Double> errors = new ArrayList<>();
        List<Double> products = new ArrayList<>();
        int covered = 0;
        for (double[] r : runs) {
            errors.add(Math.abs(r[0] - exact) / Math.abs(exact));
            products.add(r[2]);
            if (Math.abs(r[0] - exact) <= 2 * r[1]) covered++;
        }
        System.out.printf(Locale.ROOT, "%-48s median |error| %.2f%%, max %.2f%%, covered by +-2 stderr %d of %d, median products %.0f%n",
                name, 100 * median(errors), 100 * errors.stream().mapToDouble(Double::doubleValue).max().orElse(0), covered,
                runs.size(), median(products));
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
