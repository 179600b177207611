package org.sharpsweep.driver;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what went wrong in a command into one or two lines for the user and an exit status: 2
 * for bad input (a spec, an option, a path or a URL the user gave), 1 for a fault of the
 * environment or the table (an unreadable file, a full disk), 130 for an interrupt. The full
 * stack trace is printed only with {@code SHARPSWEEP_DEBUG=1}.
 */
final class Failures {
    private Failures() {
    }

    /** What to print and the exit status. */
    record Outcome(int status, String message) {
    }

    private static volatile boolean shuttingDown;

    /** Notes that the JVM is stopping (Ctrl-C, SIGTERM), so that the failures it causes read as an interrupt. */
    static void watchShutdown() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shuttingDown = true, "sharpsweep-shutdown-flag"));
    }

    private static final Pattern PARQUET_FILE = Pattern.compile("((?:file|hdfs|s3a|gs|abfss?|viewfs):\\S+?\\.parquet)");
    private static final Pattern SCHEME = Pattern.compile("No FileSystem for scheme \"?([A-Za-z0-9+.-]+)\"?");
    /** Hadoop knows the scheme but its connector class is missing, e.g. {@code Class org.apache.hadoop.fs.s3a.S3AFileSystem not found}. */
    private static final Pattern CONNECTOR = Pattern.compile("Class org\\.apache\\.hadoop\\.fs\\.([a-z0-9]+)\\.\\S*FileSystem not found");
    private static final Pattern MASTER = Pattern.compile("Could not parse Master URL: '([^']*)'");

    static Outcome describe(Throwable e) {
        if (e instanceof IllegalArgumentException) return new Outcome(2, e.getMessage());
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.sharpsweep.worker.GpuSupport.Unavailable) return new Outcome(1, t.getMessage());
            if (t instanceof Interruption.Stopped) return new Outcome(130, t.getMessage());
        }
        String all = chain(e);
        if (shuttingDown || all.contains("SparkContext was shut down") || all.contains("cancelled because SparkContext")) {
            return new Outcome(130, "interrupted: the points that finished are in the table; run the same command again to continue");
        }
        String scheme = null;
        Matcher m = SCHEME.matcher(all);
        if (m.find()) scheme = m.group(1);
        m = CONNECTOR.matcher(all);
        if (scheme == null && m.find()) scheme = m.group(1).toLowerCase(java.util.Locale.ROOT);
        if (scheme != null) {
            return new Outcome(2, "no Hadoop file system for scheme '" + scheme + "'"
                    + (scheme.startsWith("s3") ? ": the S3 connector is not on the classpath; add it with spark-submit "
                    + "--packages org.apache.hadoop:hadoop-aws:3.3.4 (scripts/submit passes it on)" : ": check the path's spelling"));
        }
        m = MASTER.matcher(all);
        if (m.find()) {
            return new Outcome(2, "--master: Spark cannot use '" + m.group(1)
                    + "'; use local[N], spark://HOST:PORT, yarn or k8s://https://HOST:PORT");
        }
        if (all.contains("No space left on device") || all.contains("Disk quota exceeded")) {
            return new Outcome(1, "the disk is full (" + firstLine(rootCause(e)) + "); rows of finished points are kept: "
                    + "free space and run the same command again");
        }
        if (all.contains("is not a Parquet file") || all.contains("Could not read footer") || all.contains("ParquetDecodingException")
                || all.contains("can not read class org.apache.parquet") || all.contains("SchemaColumnConvertNotSupportedException")
                || all.contains("Parquet column cannot be converted")) {
            m = PARQUET_FILE.matcher(all);
            String file = m.find() ? m.group(1) : "a Parquet file of the table";
            return new Outcome(1, file + " cannot be read as a results file (cut short, damaged, or not written by sharpsweep). "
                    + "Run 'sharpsweep check DIR --repair' to move such files aside; the next run recomputes their points.");
        }
        return new Outcome(1, firstLine(rootCause(e)) + (debug() ? "" : "   (SHARPSWEEP_DEBUG=1 prints the stack trace)"));
    }

    static boolean debug() {
        String d = System.getenv("SHARPSWEEP_DEBUG");
        return d != null && !d.isEmpty() && !d.equals("0");
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t;
    }

    private static String firstLine(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** Class names and messages of the whole cause chain, for matching. */
    private static String chain(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            sb.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
        }
        return sb.toString();
    }
}
