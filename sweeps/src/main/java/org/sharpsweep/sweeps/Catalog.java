package org.sharpsweep.sweeps;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The ready sweep files of {@code sweeps/catalog/}, shipped inside the jar, so that
 * {@code sharpsweep run quickstart} works from any directory.
 */
public final class Catalog {
    private Catalog() {
    }

    /** Names of the catalog's specs (file names without {@code .yaml}). */
    public static final List<String> NAMES = List.of("quickstart", "fashion-mnist", "teacher-stability", "tiny",
            "edge-of-stability", "implicit-regularizer", "escape-minimum", "escape", "fashion-mnist-cnn", "sharpness-measures",
            "wu-ma-e-table1", "wu-ma-e-escape-minimum", "wu-ma-e-escape", "wu-ma-e-sgd", "catapult", "keskar-large-batch", "fantastic-measures");

    /**
     * Reads {@code arg} as a spec file if a regular file exists at that path, else as a catalog
     * name. A directory never stands for a spec: one named like a catalog spec (a folder
     * {@code ./tiny} next to the user) does not shadow it, and any other is an error naming it.
     *
     * @throws SpecException if neither exists, the path is a directory, or the spec is invalid
     */
    public static SweepSpec resolve(String arg) {
        if (arg == null || arg.isBlank()) {
            throw new SpecException("no spec given: a spec file or a catalog name (" + String.join(", ", NAMES) + ")");
        }
        Path p;
        try {
            p = Path.of(arg);
        } catch (java.nio.file.InvalidPathException e) {
            p = null;
        }
        if (p != null && Files.isRegularFile(p)) return SweepSpec.load(p);
        String name = arg.endsWith(".yaml") ? arg.substring(0, arg.length() - 5) : arg;
        if (p != null && Files.isDirectory(p) && !NAMES.contains(name)) {
            throw new SpecException("'" + arg + "' is a directory, not a spec file; give a spec file (.yaml) or a catalog name ("
                    + String.join(", ", NAMES) + ")");
        }
        if (!NAMES.contains(name)) {
            throw new SpecException("no spec file '" + arg + "' and no catalog spec of that name; catalog: " + NAMES);
        }
        try (InputStream in = Catalog.class.getResourceAsStream("/sharpsweep/catalog/" + name + ".yaml")) {
            if (in == null) {
                throw new SpecException("no spec file '" + arg + "' and no catalog spec of that name; catalog: " + NAMES);
            }
            try {
                return SweepSpec.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (SpecException e) {
                throw new SpecException("catalog/" + name + ".yaml: " + e.getMessage());
            }
        } catch (IOException e) {
            throw new SpecException("cannot read catalog spec '" + name + "': " + e.getMessage());
        }
    }
}
