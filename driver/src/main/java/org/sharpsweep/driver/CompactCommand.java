package org.sharpsweep.driver;

import org.sharpsweep.store.ResultStore;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;


import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sharpsweep compact DIR}: brings a table to at most one Parquet file per sweep per
 * {@value ResultStore#ROWS_PER_FILE} rows, with exactly the same rows, atomically (see
 * {@link ResultStore}); also folds in the journals of killed runs and finishes interrupted
 * compactions. Sweeps that a running sweep holds are skipped and named.
 */
@Command(name = "compact", mixinStandardHelpOptions = true,
        description = "Rewrite a results table into few Parquet files (one per sweep per 10000 rows), keeping exactly the same rows.")
final class CompactCommand extends TableCommand {
    @Option(names = "--sweep", paramLabel = "NAME", description = "only this sweep (default: every sweep)")
    List<String> sweeps = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        try (SparkSessions.Handle session = open("compact")) {
            ResultStore store = ResultStore.open(session.spark(), dir);
            List<String> present = store.sweepsOrRefuse();
            for (String id : sweeps) {
                if (!present.contains(id)) throw new IllegalArgumentException("--sweep " + id + ": no such sweep in " + dir + "; it holds " + present);
            }
            List<String> ids = sweeps.isEmpty() ? present : sweeps;
            int skipped = 0;
            for (String id : ids) {
                ResultStore.Compaction c = store.compactSweep(id);
                if (c == null) {
                    skipped++;
                    System.out.println("sweep " + id + ": skipped, being written by another run");
                } else {
                    System.out.println("sweep " + id + ": " + c);
                }
            }
            return skipped > 0 ? 1 : 0;
        }
    }

}
