package org.sharpsweep.driver;

import java.nio.file.Path;

import org.sharpsweep.analysis.Diagram;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sharpsweep diagram DIR}: the sharpness / non-uniformity plane with each (lr, B) stability region. */
@Command(name = "diagram", mixinStandardHelpOptions = true, description = "The sharpness / non-uniformity plane with each (lr, B) stability region.")
final class DiagramCommand extends TableCommand {
    @Option(names = "--where", paramLabel = "SQL", description = "Spark SQL predicate selecting points")
    String where;
    @Option(names = "--colour-by", defaultValue = Diagram.BY_LR, description = "lr | batch_size (default: ${DEFAULT-VALUE})")
    String colourBy;
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "FILE.png or FILE.svg")
    Path out;

    @Override
    public Integer call() {
        OutputPaths.checkFile(out);
        try (SparkSessions.Handle s = openSettled("diagram")) {
            Diagram.render(s.spark(), dir, where, colourBy, out);
        }
        System.out.println("diagram: " + out.toAbsolutePath());
        return 0;
    }
}
