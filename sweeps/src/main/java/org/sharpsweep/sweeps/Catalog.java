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
    public static final List<String> NAMES = List.of("quickstart", "fashion-mnist", "teacher-stability", "tiny");

    /**
     * Reads {@code arg} as a spec file if one exists at that path, else as a catalog name.
     *
     * @throws SpecException if neither exists, or the spec is invalid
     */
    public static SweepSpec resolve(String arg) {
        Path p = Path.of(arg);
        if (Files.exists(p)) return SweepSpec.load(p);
        String name = arg.endsWith(".yaml") ? arg.substring(0, arg.length() - 5) : arg;
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
