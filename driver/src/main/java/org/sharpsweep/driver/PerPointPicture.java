package org.sharpsweep.driver;

import java.nio.file.Path;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The options every one-line-per-point picture command shares ({@code trajectory},
 * {@code density}): the table, which points, the setting that colours them, the picture file and
 * the Spark master. A picocli mixin.
 */
final class PerPointPicture {
    @Parameters(paramLabel = "DIR", description = "results table directory")
    String dir;
    @Option(names = "--where", paramLabel = "SQL", description = "Spark SQL predicate over the results columns selecting points, e.g. \"lr = 0.2 AND width = 32\"")
    String where;
    @Option(names = "--colour-by", paramLabel = "AXIS",
            description = "setting that colours the lines (default: lr if the points have several, else batch_size if they have several, else lr)")
    String colourBy;
    @Option(names = "--sweep", paramLabel = "NAME", description = "only this sweep")
    String sweep;
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "FILE.png or FILE.svg")
    Path out;
    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: local[*])")
    String master;
}
