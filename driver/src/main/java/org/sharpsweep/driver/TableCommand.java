package org.sharpsweep.driver;

import org.sharpsweep.store.ResultStore;
import org.sharpsweep.store.TableFiles;
import org.sharpsweep.sweeps.ResultSchema;

import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The shape of every command over a results directory ({@code heatmap}, {@code check},
 * {@code measure}, ...): the directory as its first parameter and {@code --master}; picocli reads
 * these annotated fields in each subclass. Each command is one top-level class named after it,
 * listed in {@link Main}'s subcommands (docs/architecture.md, "Kinds of change").
 */
abstract class TableCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "results table directory")
    String dir;
    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: local[*])")
    String master;

    /**
     * Before Spark starts: refuses a local directory that holds no results table, or whose table
     * {@code t} certainly holds no rows (of {@code sweep}, when not null), with {@code none}
     * ({@link TableFiles#mayHoldRows}: the listing alone, with {@code java.nio}; a table on another
     * file system is left to the command's own reading, which says the same).
     */
    void refuseEarlyWithout(ResultSchema.Table t, String sweep, IllegalArgumentException none) {
        if (OutputPaths.local(dir) == null) return;
        TableFiles table = TableFiles.local(OutputPaths.local(dir));
        if (table.sweeps().isEmpty()) {
            throw new IllegalArgumentException("no results table in " + dir + " (expected sweep_id=... partitions); run a sweep with --out " + dir);
        }
        if (!table.mayHoldRows(t, sweep)) throw none;
    }

    /** A Spark session named for the command. */
    SparkSessions.Handle open(String command) {
        return SparkSessions.open("sharpsweep " + command, master, List.of());
    }

    /** A Spark session named for the command, the directory's interrupted compactions finished or rolled back first. */
    SparkSessions.Handle openSettled(String command) {
        SparkSessions.Handle h = open(command);
        try {
            ResultStore.settle(h.spark(), dir);
        } catch (RuntimeException e) {
            h.close();
            throw e;
        }
        return h;
    }
}
