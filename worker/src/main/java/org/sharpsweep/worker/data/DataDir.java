package org.sharpsweep.worker.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.FilterInputStream;
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
 *
 * <p>Every failure of a file names it: a directory where a file is expected, an empty {@code .gz},
 * a gzip stream that is corrupt or ends early (found while reading, and at the latest at the end of
 * the stream, where the CRC-32 and length of the gzip trailer are checked) are {@link SpecException}s;
 * other read errors are {@link IOException}s whose message starts with the file.
 */
final class DataDir {
    private static final int BUFFER = 1 << 16;

    /**
     * A file found in the directory: {@code gzip} says whether it is read through gunzip;
     * {@code length} (bytes, as stored) and {@code modified} (ms since the epoch) identify its version
     * for {@link CheckedFiles}.
     */
    record DataFile(Path path, boolean gzip, long length, long modified) {
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

    /**
     * {@code name} if it exists, else {@code name.gz}, else empty. Either name given to something
     * that is not a regular file (a directory) is a {@link SpecException}.
     */
    Optional<DataFile> lookup(String name) throws IOException {
        for (boolean gzip : new boolean[] {false, true}) {
            Path p = new Path(dir, gzip ? name + ".gz" : name);
            try {
                FileStatus st = fs.getFileStatus(p);
                if (!st.isFile()) {
                    throw new SpecException(p + " is " + (st.isDirectory() ? "a directory" : "not a regular file")
                            + ", expected the data file " + p.getName());
                }
                return Optional.of(new DataFile(p, gzip, st.getLen(), st.getModificationTime()));
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
     * that is empty or not gzip data is a {@link SpecException}, and so is a gzip stream found corrupt
     * or cut short while reading.
     */
    DataInputStream open(DataFile f) throws IOException {
        InputStream in = new Named(f, fs.open(f.path(), BUFFER));
        if (f.gzip()) {
            try {
                in = new Gunzip(f, new GZIPInputStream(in, BUFFER));
            } catch (ZipException e) {
                in.close();
                throw new SpecException(f + " is not a gzip file: " + e.getMessage());
            } catch (EOFException e) {
                in.close();
                throw new SpecException(f + (f.length() == 0 ? " is empty (0 bytes)" : " is cut short: " + f.length()
                        + " bytes, less than a gzip header") + ", expected a gzip stream");
            }
        }
        return new DataInputStream(new BufferedInputStream(in, BUFFER));
    }

    /** Prefixes the message of every read error with the file. */
    private static class Named extends FilterInputStream {
        final DataFile file;

        Named(DataFile file, InputStream in) {
            super(in);
            this.file = file;
        }

        IOException named(IOException e) {
            return new IOException(file + ": " + e.getMessage(), e);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                throw named(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                throw named(e);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return super.skip(n);
            } catch (IOException e) {
                throw named(e);
            }
        }
    }

    /**
     * A gzip stream whose damage is bad input, not a fault: {@link GZIPInputStream} signals a stream
     * that ends before its trailer with an {@link EOFException}, and bad deflate data, a bad header of
     * a following member or a trailer whose CRC-32 or length disagree with the data with a
     * {@link ZipException}; both become {@link SpecException}s. Other errors come from the stored file
     * below, already named. Counts the bytes it has given out, for the message.
     */
    private static final class Gunzip extends Named {
        private long out;

        Gunzip(DataFile file, InputStream in) {
            super(file, in);
        }

        @Override
        IOException named(IOException e) {
            if (e instanceof EOFException) {
                throw new SpecException(file + " is truncated: its gzip stream ends early, after " + out
                        + " uncompressed bytes (" + file.length() + " bytes stored)");
            }
            if (e instanceof ZipException) {
                throw new SpecException(file + " is not a valid gzip stream: " + e.getMessage() + " (after " + out
                        + " uncompressed bytes)");
            }
            return e;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) out++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int got = super.read(b, off, len);
            if (got > 0) out += got;
            return got;
        }

        @Override
        public long skip(long n) throws IOException {
            long got = super.skip(n);
            out += got;
            return got;
        }
    }
}
