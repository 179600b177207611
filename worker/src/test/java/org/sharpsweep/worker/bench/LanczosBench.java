package org.sharpsweep.worker.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.worker.curvature.EigenEstimate;
import org.sharpsweep.worker.curvature.Lanczos;
import org.sharpsweep.worker.curvature.PowerIteration;
import org.sharpsweep.worker.curvature.SymmetricOperator;

/**
 * Operator products and wall time Lanczos and power iteration need to reach the same true
 * relative residual ||A x - theta x|| / |theta| <= 1e-4, on diagonal operators whose spectra look
 * like neural-network Hessians (a few outliers above a bulk near zero; Sagun et al. 2017,
 * Papyan 2019), plus the papers' power-iteration setting (tol 1e-2 on the eigenvalue change,
 * at most 10 products) for reference. The exact lambda_max is the largest diagonal entry.
 *
 * <p>A diagonal product costs O(dim), far less than a Hessian-vector product (a few gradients),
 * so the wall-time ratio here understates what Lanczos saves on a real model; the product
 * counts carry over unchanged.
 *
 * <p>Usage: {@code LanczosBench [dim=100000] [seed=1]}.
 */
public final class LanczosBench {

    private static final double TOL = 1e-4;
    private static final int POWER_CAP = 5000;
    private static final int LANCZOS_CAP = 1000;
    /** Each solve is timed this many times and the fastest kept (the machine is shared). */
    private static final int REPEATS = 3;

    private record Spectrum(String name, double[] eigenvalues) {
        double max() {
            double m = Double.NEGATIVE_INFINITY;
            for (double x : eigenvalues) m = Math.max(m, x);
            return m;
        }
    }

    private record Run(EigenEstimate estimate, int products, double seconds) {
    }

    private interface Solver {
        EigenEstimate solve(SymmetricOperator a, int dim, double tol, int maxIters, long seed);
    }

    public static void main(String[] args) {
        int dim = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 1L;

        List<Spectrum> spectra = new ArrayList<>();
        spectra.add(new Spectrum("outliers 10, 9.5, 3; bulk U[0,1]", withTop(dim, seed, 0, 1, 10, 9.5, 3)));
        spectra.add(new Spectrum("outliers 10, 9.5, 3; bulk U[-0.5,1]", withTop(dim, seed, -0.5, 1, 10, 9.5, 3)));
        spectra.add(new Spectrum("cluster 10(1-1e-3 j), j<5; bulk U[0,1]",
                withTop(dim, seed, 0, 1, 10, 9.99, 9.98, 9.97, 9.96)));
        spectra.add(new Spectrum("cluster 1-1e-4 j, j<5; bulk U[0,0.9]",
                withTop(dim, seed, 0, 0.9, 1.0, 0.9999, 0.9998, 0.9997, 0.9996)));

        // warm-up: JIT and ND4J's native initialization stay out of the timings
        Spectrum warm = new Spectrum("warm-up", withTop(2000, seed, 0, 1, 10, 9.5, 3));
        run(Lanczos::top, warm, TOL, LANCZOS_CAP, seed);
        run(PowerIteration::topByResidual, warm, TOL, POWER_CAP, seed);

        System.out.printf(Locale.ROOT, "dim %d, target relative residual %.0e, seed %d, power cap %d, Lanczos cap %d%n%n",
                dim, TOL, seed, POWER_CAP, LANCZOS_CAP);
        System.out.printf(Locale.ROOT, "%-40s | %-30s | %-30s | %7s %7s | %-24s%n", "spectrum",
                "Lanczos: products res relerr s", "power to res 1e-4: same", "prod x", "time x",
                "papers' PI (1e-2, 10): res");
        for (Spectrum s : spectra) {
            Run lanczos = run(Lanczos::top, s, TOL, LANCZOS_CAP, seed);
            Run power = run(PowerIteration::topByResidual, s, TOL, POWER_CAP, seed);
            Run paper = run(PowerIteration::top, s, 1e-2, 10, seed);
            System.out.printf(Locale.ROOT, "%-40s | %s | %s | %7.1f %7.1f | %s%n", s.name(),
                    cell(lanczos, s), cell(power, s),
                    (double) power.products() / lanczos.products(), power.seconds() / lanczos.seconds(),
                    String.format(Locale.ROOT, "%2d products, res %.1e", paper.products(), paper.estimate().residual()));
        }
        System.out.println();
        System.out.println("products: operator calls counted by a wrapper; res: returned (true) relative residual;");
        System.out.println("relerr: |value - lambda_max| / lambda_max with lambda_max the largest diagonal entry;");
        System.out.println("s: fastest of " + REPEATS + " runs in seconds;");
        System.out.println("'!' after a count: the cap was hit without reaching the residual; x: power / Lanczos.");
    }

    private static String cell(Run r, Spectrum s) {
        double relErr = Math.abs(r.estimate().value() - s.max()) / Math.abs(s.max());
        return String.format(Locale.ROOT, "%5d%s %.1e %.1e %6.2f", r.products(), r.estimate().converged() ? " " : "!",
                r.estimate().residual(), relErr, r.seconds());
    }

    private static Run run(Solver solver, Spectrum s, double tol, int cap, long seed) {
        INDArray d = Nd4j.createFromArray(s.eigenvalues().clone());
        AtomicInteger products = new AtomicInteger();
        SymmetricOperator op = (v, out) -> {
            products.incrementAndGet();
            out.assign(v).muli(d);
        };
        EigenEstimate e = null;
        double seconds = Double.POSITIVE_INFINITY;
        for (int rep = 0; rep < REPEATS; rep++) {
            products.set(0);
            long t0 = System.nanoTime();
            e = solver.solve(op, s.eigenvalues().length, tol, cap, seed);
            seconds = Math.min(seconds, (System.nanoTime() - t0) / 1e9);
            if (e.iterations() != products.get()) {
                throw new IllegalStateException(s.name() + ": iterations " + e.iterations() + " != products " + products.get());
            }
        }
        return new Run(e, products.get(), seconds);
    }

    /** The given top eigenvalues followed by a bulk uniform in [bulkLo, bulkHi), in shuffled positions. */
    private static double[] withTop(int dim, long seed, double bulkLo, double bulkHi, double... top) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] d = new double[dim];
        for (int i = 0; i < dim; i++) d[i] = i < top.length ? top[i] : rng.nextDouble(bulkLo, bulkHi);
        for (int i = dim - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            double t = d[i];
            d[i] = d[j];
            d[j] = t;
        }
        return d;
    }
}
