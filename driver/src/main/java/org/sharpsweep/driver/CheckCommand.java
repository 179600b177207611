package org.sharpsweep.driver;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sharpsweep.store.ResultStore;
import org.sharpsweep.store.StoreCheck;
import org.sharpsweep.store.SparkSchema;
import org.sharpsweep.sweeps.GridPoint;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.SweepSpec;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sharpsweep check DIR [--repair]}: verifies a results directory, every table of it
 * (results, trajectories, spectra, params: every file readable with its table's schema, no stray
 * files in the partitions, no duplicated rows, no OK point whose rows of another table are gone,
 * no half-done compaction, journals of killed runs, no row that is not a point of the sweep's
 * kept spec) and, with {@code --repair}, moves what cannot be read into
 * {@code DIR/_quarantine/<time>/} (nothing is deleted), together with the results rows of points
 * that lost their other rows and the rows that do not belong to the sweep, finishes what was interrupted, and says which
 * points the next run will recompute.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Verify a results directory, every table (files readable, schema, duplicates, leftovers, rows of other tables lost); --repair moves unreadable files "
                + "aside into DIR/_quarantine/ and says which points will be recomputed.")
final class CheckCommand extends TableCommand {
    @Option(names = "--repair", description = "quarantine unreadable and stray files, finish interrupted work, drop exact duplicate rows")
    boolean repair;

    @Override
    public Integer call() throws IOException {
        try (SparkSessions.Handle session = open("check")) {
            SparkSession spark = session.spark();
            ResultStore store = ResultStore.open(spark, dir);
            List<String> sweeps = store.sweepsOrRefuse();
            int problems = 0;
            for (String id : sweeps) problems += check(spark, store, id);
            if (problems == 0) {
                System.out.println("table " + dir + ": OK (" + sweeps.size() + " sweep" + (sweeps.size() == 1 ? "" : "s") + ")");
                return 0;
            }
            if (!repair) {
                System.out.println(problems + " problem" + (problems == 1 ? "" : "s") + " found; 'sharpsweep check " + dir
                        + " --repair' moves unreadable files aside (nothing is deleted), finishes interrupted work and sets the points"
                        + " to recompute");
                return 1;
            }
            System.out.println("repaired; run the sweeps again to recompute the points listed above");
            return 0;
        }
    }

    private int check(SparkSession spark, ResultStore store, String sweepId) throws IOException {
        StoreCheck.Inspection in = store.inspect(sweepId);
        int problems = 0;
        String name = "sweep " + sweepId + ": ";
        for (Path f : in.unreadable()) {
            System.out.println(name + "unreadable file " + fileName(f) + " (" + in.reasons().get(f) + ")");
            problems++;
        }
        for (Path f : in.stray()) {
            System.out.println(name + "stray file " + fileName(f) + " (not a Parquet file of the table; Parquet readers would trip on it)");
            problems++;
        }
        for (Path f : in.leftovers()) {
            System.out.println(name + "leftover " + fileName(f) + " of an interrupted write (hidden from readers)");
            problems++;
        }
        if (in.journalRows() > 0) {
            System.out.println(name + in.journalRows() + " row(s) of " + (in.locked() ? "the running sweep" : "a killed run")
                    + " still in the journal" + (in.locked() ? "" : "; the next run, compact or --repair folds them in"));
            if (!in.locked()) problems++;
        }
        if (in.stagedCompactions() > 0) {
            System.out.println(name + "a compaction was interrupted; any command that opens the table finishes it");
            problems++;
        }
        if (in.duplicateRows() > 0) {
            System.out.println(name + in.duplicateRows() + " row(s) stored twice");
            problems++;
        }
        for (var e : in.childDuplicates().entrySet()) {
            System.out.println(name + e.getValue() + " row(s) of " + e.getKey().name() + " stored twice");
            problems++;
        }
        for (var e : in.lost().entrySet()) {
            List<Integer> idx = e.getValue().stream().map(StoreCheck.Lost::pointIndex).toList();
            System.out.println(name + idx.size() + " OK point(s) lost their rows of " + e.getKey().name() + " (a file of "
                    + e.getKey().folder() + " is gone): point_index " + abbreviate(idx)
                    + "; --repair moves their results rows aside, so that the next run computes them again");
            problems++;
        }
        if (!in.foreign().isEmpty()) {
            List<String> shown = in.foreign().stream().limit(5).map(x -> "point_id " + x.pointId() + " (point_index "
                    + x.pointIndex() + ": " + x.why() + ")").toList();
            System.out.println(name + in.foreign().size() + " row(s) that do not belong to it, not points of its spec ("
                    + ResultSchema.specFile(sweepId) + "): " + String.join("; ", shown) + (in.foreign().size() > 5 ? "; ..." : "")
                    + "; the views leave them out, --repair moves them aside");
            problems++;
        }
        for (var e : in.orphans().entrySet()) {
            System.out.println(name + e.getValue() + " row(s) of " + e.getKey().name() + " that belong to no results row of it (a file of "
                    + "another sweep or table dropped into " + e.getKey().folder() + ", or of a point whose results row is gone)"
                    + "; --repair moves them aside");
            problems++;
        }
        System.out.printf("%s%d row(s) in %d file(s), %d point(s) with a result%n", name, in.rows(), in.readable().size(), in.donePoints());
        if (repair && problems > 0) {
            if (in.locked()) {
                System.out.println(name + "being written by a running sweep: not repaired; run check again when it is over");
                return problems;
            }
            Path quarantine = store.repair(sweepId, in);
            if (quarantine != null) System.out.println(name + "moved aside into " + quarantine);
            List<Integer> missing = missingPoints(spark, store, sweepId);
            if (missing != null) {
                System.out.println(name + (missing.isEmpty() ? "every point of its spec has a result"
                        : missing.size() + " point(s) of its spec have no result and will be computed by the next run: "
                        + "point_index " + abbreviate(missing)));
            }
        }
        return problems;
    }

    /** Indices of the kept spec's points with no OK or DIVERGED row, or null without a kept spec. */
    private List<Integer> missingPoints(SparkSession spark, ResultStore store, String sweepId) throws IOException {
        SweepSpec spec = SweepRunner.readSpec(spark, dir, sweepId);
        if (spec == null) return null;
        Set<String> done = new TreeSet<>();
        List<Path> files = store.dataFiles(sweepId);
        if (!files.isEmpty()) {
            Dataset<Row> rows = spark.read().schema(SparkSchema.results())
                    .parquet(files.stream().map(Path::toString).toArray(String[]::new));
            rows.filter(col(ResultSchema.STATUS).isin(ResultSchema.DONE_STATUSES.toArray())).select(ResultSchema.POINT_ID)
                    .distinct().collectAsList().forEach(r -> done.add(r.getString(0)));
        }
        List<Integer> missing = new ArrayList<>();
        for (GridPoint p : spec.points()) if (!done.contains(p.pointId())) missing.add(p.index());
        return missing;
    }

    /** A file's name, with its table's folder for a table beside the results ({@code _trajectories/part-....parquet}). */
    private String fileName(Path f) {
        String table = f.getParent().getParent().getName();
        return table.startsWith("_") ? table + "/" + f.getName() : f.getName();
    }

    private static String abbreviate(List<Integer> xs) {
        List<String> s = xs.stream().limit(20).map(String::valueOf).toList();
        return String.join(", ", s) + (xs.size() > 20 ? ", ... (" + xs.size() + " in all)" : "");
    }
}
