package org.sharpsweep.driver;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks, before any work, that the directories a command will write can be written, so that a
 * typo costs a message and not a sweep: a path that is a regular file, or under a file, or in a
 * directory this user cannot write, is refused naming the option and the path. Nothing is
 * created here. Paths with a scheme other than {@code file:} (HDFS, object stores) are left to
 * the file system, which the run opens before its first point.
 */
final class OutputPaths {
    private OutputPaths() {
    }

    /** The local path of {@code location}, or null for a non-local URI. */
    static Path local(String location) {
        if (location.contains("://") || location.startsWith("file:")) {
            URI uri = URI.create(location.replace(" ", "%20"));
            return "file".equals(uri.getScheme()) ? Path.of(uri) : null;
        }
        return Path.of(location);
    }

    /** Refuses a directory option that cannot be created or written. */
    static void checkDirectory(String option, String location) {
        if (location == null) return;
        if (location.isBlank()) throw new IllegalArgumentException(option + " must name a directory, got '" + location + "'");
        Path dir = local(location);
        if (dir != null) checkDirectory(option, dir);
    }

    static void checkDirectory(String option, Path dir) {
        Path p = dir.toAbsolutePath().normalize();
        if (Files.exists(p) && !Files.isDirectory(p)) {
            throw new IllegalArgumentException(option + " " + dir + " is a file, not a directory");
        }
        Path existing = p;
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null) throw new IllegalArgumentException(option + " " + dir + ": no part of the path exists");
        if (!Files.isDirectory(existing)) {
            throw new IllegalArgumentException(option + " " + dir + " cannot be created: " + existing + " is a file");
        }
        if (!Files.isWritable(existing)) {
            throw new IllegalArgumentException(option + " " + dir + " cannot be written: " + existing + " is not writable by this user");
        }
    }

    /** Refuses a picture path that is a directory or whose directory cannot be written, before any work. */
    static void checkFile(java.nio.file.Path out) {
        if (java.nio.file.Files.isDirectory(out)) throw new IllegalArgumentException("--out " + out + " is a directory; name a .png or .svg file");
        java.nio.file.Path parent = out.toAbsolutePath().getParent();
        if (parent != null) checkDirectory("--out", parent);
    }
}
