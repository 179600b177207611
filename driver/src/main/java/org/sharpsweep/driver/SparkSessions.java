package org.sharpsweep.driver;

import java.util.List;

import org.apache.spark.sql.SparkSession;

/** Builds the SparkSession of a CLI command. */
public final class SparkSessions {
    private SparkSessions() {
    }

    /** Default master when neither --master nor spark-submit sets one. */
    public static final String DEFAULT_MASTER = "local[*]";

    /**
     * A session for one command; {@link #close} stops it only if this command started it, so
     * a command run inside an application that already has a session leaves that session alone.
     */
    public record Handle(SparkSession spark, boolean owned) implements AutoCloseable {
        @Override
        public void close() {
            if (owned) spark.stop();
        }
    }

    /** Like {@link #create}, remembering whether the session existed before. */
    public static Handle open(String appName, String master, List<String> conf) {
        boolean existed = SparkSession.getDefaultSession().isDefined() || SparkSession.getActiveSession().isDefined();
        return new Handle(create(appName, master, conf), !existed);
    }

    /**
     * @param master a Spark master URL, or null to take spark-submit's (else {@link #DEFAULT_MASTER})
     * @param conf   {@code key=value} settings; an entry without '=' is an error naming it
     */
    public static SparkSession create(String appName, String master, List<String> conf) {
        SparkSession.Builder b = SparkSession.builder().appName(appName);
        if (master != null) {
            b.master(master);
        } else if (System.getProperty("spark.master") == null) {
            b.master(DEFAULT_MASTER);
        }
        b.config("spark.ui.showConsoleProgress", "false");
        b.config("spark.sql.shuffle.partitions", "8");
        b.config("spark.sql.sources.partitionOverwriteMode", "dynamic");
        for (String kv : conf == null ? List.<String>of() : conf) {
            int eq = kv.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("--conf must be key=value, got '" + kv + "'");
            b.config(kv.substring(0, eq), kv.substring(eq + 1));
        }
        SparkSession spark = b.getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }
}
