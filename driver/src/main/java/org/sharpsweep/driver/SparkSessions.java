package org.sharpsweep.driver;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.SparkSession;

/** Builds the SparkSession of a CLI command. */
public final class SparkSessions {
    private SparkSessions() {
    }

    /** Default master when neither --master nor spark-submit sets one. */
    public static final String DEFAULT_MASTER = "local[*]";

    /**
     * Default master of {@link #openForQueries}: two threads start faster than one per core and
     * are as quick on a results table (10,000 rows, a few MB); pass --master for a larger one.
     */
    public static final String QUERY_MASTER = "local[2]";

    /**
     * What a query session does without: the web UI (a Jetty server and its listeners) and
     * shuffle partitions beyond the two threads.
     */
    static final List<String> QUERY_SETTINGS = List.of("spark.ui.enabled=false", "spark.sql.shuffle.partitions=2");

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
     * A session for a command that only queries a results table ({@code sql}): like
     * {@link #open} with {@link #QUERY_SETTINGS} (which {@code conf} overrides) and
     * {@link #QUERY_MASTER} as the default master.
     */
    public static Handle openForQueries(String appName, String master, List<String> conf) {
        List<String> all = new ArrayList<>(QUERY_SETTINGS);
        all.addAll(conf == null ? List.of() : conf);
        String m = master != null || System.getProperty("spark.master") != null ? master : QUERY_MASTER;
        return open(appName, m, all);
    }

    private static final java.util.regex.Pattern MASTER = java.util.regex.Pattern.compile(
            "local(\\[(\\*|[1-9][0-9]*)(,[1-9][0-9]*)?\\])?|local-cluster\\[[0-9]+,[0-9]+,[0-9]+\\]|yarn"
                    + "|(spark|mesos)://\\S+|k8s://\\S+");

    /** Refuses a master URL Spark would not parse, before Spark logs its own stack trace about it. */
    static void checkMaster(String master) {
        if (!MASTER.matcher(master).matches()) {
            throw new IllegalArgumentException("--master: Spark cannot use '" + master
                    + "'; use local, local[N], local[*], spark://HOST:PORT, yarn or k8s://https://HOST:PORT");
        }
    }

    /**
     * @param master a Spark master URL, or null to take spark-submit's (else {@link #DEFAULT_MASTER})
     * @param conf   {@code key=value} settings; an entry without '=' is an error naming it
     */
    public static SparkSession create(String appName, String master, List<String> conf) {
        SparkSession.Builder b = SparkSession.builder().appName(appName);
        if (master != null) {
            checkMaster(master);
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
