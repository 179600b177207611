package org.sharpsweep.driver;

import java.util.List;
import java.util.stream.Collectors;

import org.sharpsweep.sweeps.Axis;
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
            long grouped = org.sharpsweep.sweeps.LockstepGroups.of(points, 1).stream().filter(g -> g.size() > 1).count();
            System.out.println("  " + small + " of " + points.size() + " points are small networks (plain-Java trainer, docs/lockstep.md)"
                    + (grouped > 0 ? ", in " + grouped + " lockstep groups of one shape (a run splits them further over its task slots)"
                    : ", each in its own task"));
        }
        return 0;
    }
}
