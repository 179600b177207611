package org.sharpsweep.driver;

import java.util.concurrent.Callable;

import picocli.CommandLine.Parameters;

/**
 * The shape of every command over a spec ({@code validate}, {@code run}, {@code point}): the spec
 * file or catalog name as its first parameter (the catalog's names in the help come from
 * {@link org.sharpsweep.sweeps.Catalog#NAMES}, set by {@link Main#execute}).
 */
abstract class SpecCommand implements Callable<Integer> {
    /** The system property the help text reads the catalog's names from. */
    static final String CATALOG_PROPERTY = "sharpsweep.catalog";

    @Parameters(index = "0", paramLabel = "SPEC", description = "spec file, or a catalog name: ${sys:" + CATALOG_PROPERTY + "}")
    String spec;
}
