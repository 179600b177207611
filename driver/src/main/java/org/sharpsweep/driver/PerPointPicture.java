package org.sharpsweep.driver;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/**
 * The options every one-line-per-point picture command shares ({@code trajectory},
 * {@code density}) besides the directory and the master ({@link TableCommand}): which points, the
 * setting that colours them, the picture file. A picocli mixin.
 */
final class PerPointPicture {
    @Option(names = "--where", paramLabel = "SQL", description = "Spark SQL predicate over the results columns selecting points, e.g. \"lr = 0.2 AND width = 32\"")
    String where;
    @Option(names = "--colour-by", paramLabel = "AXIS",
            description = "setting that colours the lines (default: lr if the points have several, else batch_size if they have several, else lr)")
    String colourBy;
    @Option(names = "--sweep", paramLabel = "NAME", description = "only this sweep")
    String sweep;
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "FILE.png or FILE.svg")
    Path out;
}
