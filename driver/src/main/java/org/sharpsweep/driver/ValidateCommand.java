package org.sharpsweep.driver;

import java.util.List;
import java.util.stream.Collectors;

import org.sharpsweep.sweeps.Axis;
import org.sharpsweep.sweeps.CostEstimate;
import org.sharpsweep.sweeps.GridPoint;
import org.sharpsweep.sweeps.SweepSpec;

import picocli.CommandLine.Command;

@Command(name = "validate", mixinStandardHelpOptions = true, description = "Check a spec and print its grid size and axes, or the error.")
final class ValidateCommand extends SpecCommand {

    @Override
    public Integer call() {
        SweepSpec s = Main.loadChecked(spec, ExecutorMemory.local());
        System.out.println("sweep " + s.name() + ": " + s.size() + " points");
        if (s.grid().isEmpty()) System.out.println("  no grid axes: a single point");
        for (Axis a : s.grid()) {
            System.out.println("  " + a.name() + ": " + a.values().stream().map(v -> String.valueOf(v instanceof org.sharpsweep.sweeps.Named n ? n.specName() : v))
                    .collect(Collectors.joining(", ", "[", "]")) + " (" + a.values().size() + ")");
        }
        if (s.train().dataParallel()) {
            System.out.println("  each point trained data-parallel over " + s.train().workers()
                    + " Spark workers (train.parallel: data), one point at a time with the whole cluster");
        }
        System.out.println("  seeds: " + s.seedScheme().specName() + (s.seeds() != null ? ""
                : " (the default of a sweep's first run; a sweep already in a table keeps the scheme it was computed with)"));
        List<org.sharpsweep.sweeps.GridPoint> points = s.points();
        long small = points.stream().filter(p -> org.sharpsweep.sweeps.LockstepGroups.smallNetwork(p.spec())).count();
        if (small > 0) {
            long grouped = org.sharpsweep.sweeps.LockstepGroups.groupsOfSeveral(points, 1);
            System.out.println("  " + small + " of " + points.size() + " points are small networks (plain-Java trainer, docs/lockstep.md)"
                    + (grouped > 0 ? ", in " + grouped + " lockstep groups of one shape (a run splits them further over its task slots)"
                    : ", each in its own task"));
        }
        for (String line : costLines(s, Runtime.getRuntime().availableProcessors())) System.out.println(line);
        return 0;
    }

    /**
     * What the points will cost ({@link CostEstimate}): the mean point and the sweep on
     * {@code cores} task slots, and a warning about the longest point when it is estimated above
     * {@link CostEstimate#LONG_POINT_SECONDS}, naming what dominates it.
     */
    static List<String> costLines(SweepSpec s, int cores) {
        CostEstimate.Sweep c = s.cost();
        List<String> lines = new java.util.ArrayList<>();
        lines.add(String.format(java.util.Locale.ROOT, "  estimated %s per point (%s for the sweep on %d cores)%s; a rough count of the "
                        + "matrix products at %.0f GFLOP/s a core, %.0f training in float32 (docs/spec.md#what-a-point-costs)",
                CostEstimate.human(c.meanSeconds()), CostEstimate.human(c.totalSeconds() / Math.max(1, Math.min(cores, s.size()))), cores,
                s.size() > 1 && c.longest().seconds() > 1.5 * c.meanSeconds() ? ", the longest " + CostEstimate.human(c.longest().seconds()) : "",
                CostEstimate.FLOPS / 1e9, CostEstimate.FLOPS_FLOAT32 / 1e9));
        CostEstimate l = c.longest();
        if (l.seconds() > CostEstimate.LONG_POINT_SECONDS) {
            String which = s.size() == 1 ? "the point" : "point " + c.longestIndex() + " " + c.longestAxes();
            double step = l.stepSeconds(), train = l.trainSeconds(), measure = l.measureSeconds();
            String why = train >= measure
                    ? "training: " + CostEstimate.human(step) + " a step (a smaller model, batch or input, pooling for a cnn, or fewer steps)"
                    : "curvature: up to " + Math.round(l.products()) + " Hessian-vector products over the training rows, "
                    + CostEstimate.human(measure) + " (lower measure.max_iters, trace_max_probes or nonuniformity_samples, "
                    + "or measure fewer points)";
            lines.add("  warning: " + which + " is estimated at " + CostEstimate.human(l.seconds()) + ", mostly " + why);
        }
        if (s.grid().stream().anyMatch(a -> a.setting() == org.sharpsweep.sweeps.Setting.STOP_AT_LOSS)
                || s.points().get(0).spec().train().stopAtLoss() != null) {
            lines.add("  train.stop_at_loss: the estimate counts every step; a point that reaches the loss stops sooner");
        }
        return lines;
    }
}
