package org.sharpsweep.worker.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sharpsweep.sweeps.SpecException;

/**
 * The directory {@code data.path} of a file data set, reached through the Hadoop {@link FileSystem}
 * API so that any Hadoop URI works ({@code file:}, {@code hdfs:}, {@code s3a:} where its connector
 * is on the classpath). A path without a scheme is a local path, whatever {@code fs.defaultFS} says.
 * Each data file may be stored plain or gzipped ({@code NAME.gz}); the plain one wins if both exist.
 */
final class DataDir {
    private static final int BUFFER = 1 << 16;

    /** A file found in the directory: {@code gzip} says whether it is read through gunzip. */
    record DataFile(Path path, boolean gzip, long length) {
        @Override
        public String toString() {
            return path.toString();
        }
    }

    private final FileSystem fs;
    private final Path dir;
    private final String location;

    private DataDir(FileSystem fs, Path dir, String location) {
        this.fs = fs;
        this.dir = dir;
        this.location = location;
    }

    /** The directory {@code data.path}, checked to exist and be a directory. */
    static DataDir open(String location, Configuration conf) {
        Path p;
        try {
            p = new Path(location);
        } catch (IllegalArgumentException e) {
            throw new SpecException("data.path is not a valid path or URI: '" + location + "' (" + e.getMessage() + ")");
        }
        try {
            FileSystem fs = p.toUri().getScheme() == null ? FileSystem.getLocal(conf) : p.getFileSystem(conf);
            Path q = fs.makeQualified(p);
            FileStatus st = fs.getFileStatus(q);
            if (!st.isDirectory()) throw new SpecException("data.path must be a directory, got the file " + location);
            return new DataDir(fs, q, location);
        } catch (FileNotFoundException e) {
            throw new SpecException("data.path does not exist: " + location);
        } catch (IOException e) {
            throw new SpecException("data.path " + location + " cannot be read: " + e);
        }
    }

    /** The {@code data.path} as the spec wrote it, for messages. */
    String location() {
        return location;
    }

    /** The subdirectory {@code name}, if there is one. */
    Optional<DataDir> subdirectory(String name) throws IOException {
        Path p = new Path(dir, name);
        try {
            return fs.getFileStatus(p).isDirectory() ? Optional.of(new DataDir(fs, p, location + "/" + name)) : Optional.empty();
        } catch (FileNotFoundException e) {
            return Optional.empty();
        }
    }

    /** {@code name} if it exists as a file, else {@code name.gz}, else empty. */
    Optional<DataFile> lookup(String name) throws IOException {
        for (boolean gzip : new boolean[] {false, true}) {
            Path p = new Path(dir, gzip ? name + ".gz" : name);
            try {
                FileStatus st = fs.getFileStatus(p);
                if (st.isFile()) return Optional.of(new DataFile(p, gzip, st.getLen()));
            } catch (FileNotFoundException e) {
                // try the next form
            }
        }
        return Optional.empty();
    }

    /** Like {@link #lookup} but a missing file is a {@link SpecException} naming it and {@code data.path}. */
    DataFile find(String name) throws IOException {
        return lookup(name).orElseThrow(() -> new SpecException(
                "data.path " + location + " holds neither " + name + " nor " + name + ".gz"));
    }

    /**
     * Opens a file for buffered sequential reading, gunzipping a {@code .gz} file. A {@code .gz} file
     * that is not gzip data is a {@link SpecException}.
     */
    DataInputStream open(DataFile f) throws IOException {
        InputStream in = fs.open(f.path(), BUFFER);
        if (f.gzip()) {
            try {
                in = new GZIPInputStream(in, BUFFER);
            } catch (ZipException e) {
                in.close();
                throw new SpecException(f + " is not a gzip file: " + e.getMessage());
            }
        }
        return new DataInputStream(new BufferedInputStream(in, BUFFER));
    }
}
