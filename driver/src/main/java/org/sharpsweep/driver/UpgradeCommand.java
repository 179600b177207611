package org.sharpsweep.driver;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.sharpsweep.store.ResultStore;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.SweepSpec;

import picocli.CommandLine.Command;

/**
 * {@code sharpsweep upgrade DIR}: once, for a table written before point ids followed the
 * current rule ({@link org.sharpsweep.sweeps.PointIds}): rewrites each sweep's ids from the old
 * rule to the new one, by the map its kept spec gives ({@link SweepSpec#idUpgrades}), atomically
 * per sweep, with every other column unchanged (the {@code seed} column keeps the seed each point
 * was computed with; a point computed afresh now would get the seed of its new id). Then the
 * kept spec is written in the current form. Repeating it changes nothing.
 */
@Command(name = "upgrade", mixinStandardHelpOptions = true,
        description = "Rewrite the point ids of a table written by an earlier release to the current id rule (once; atomic per sweep).")
final class UpgradeCommand extends TableCommand {

    @Override
    public Integer call() throws IOException {
        try (SparkSessions.Handle session = open("upgrade")) {
            SparkSession spark = session.spark();
            ResultStore store = ResultStore.open(spark, dir);
            List<String> sweeps = store.sweepsOrRefuse();
            int skipped = 0;
            for (String id : sweeps) {
                SweepSpec spec = SweepRunner.readSpec(spark, dir, id);
                if (spec == null) {
                    System.out.println("sweep " + id + ": no readable kept spec (" + ResultSchema.specFile(id) + "): ids left as they are");
                    skipped++;
                    continue;
                }
                Map<String, String> map = new HashMap<>();
                for (SweepSpec.IdUpgrade u : spec.idUpgrades()) if (!u.legacyId().equals(u.pointId())) map.put(u.legacyId(), u.pointId());
                ResultStore.Upgrade u = store.upgradeIds(id, map);
                writeSpec(spark, spec);
                System.out.println("sweep " + id + ": " + u.rows() + " rows, " + u.rewritten() + " ids rewritten to the current rule"
                        + (u.unknown() > 0 ? ", " + u.unknown() + " rows whose id is not a point of the kept spec left as they are" : ""));
            }
            return skipped > 0 ? 1 : 0;
        }
    }

    private void writeSpec(SparkSession spark, SweepSpec spec) throws IOException {
        Path file = new Path(dir, ResultSchema.specFile(spec.name()));
        FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
        Path tmp = new Path(file.getParent(), "." + spec.name() + ".yaml.tmp");
        try (OutputStream out = fs.create(tmp, true)) {
            out.write(spec.toYaml().getBytes(StandardCharsets.UTF_8));
        }
        fs.delete(file, false);
        if (!fs.rename(tmp, file)) throw new IOException("cannot write " + file);
    }
}
