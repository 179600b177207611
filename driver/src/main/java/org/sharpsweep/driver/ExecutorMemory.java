package org.sharpsweep.driver;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The memory a point will have for ND4J's arrays (which live off the Java heap), for refusing
 * before any work a spec whose points cannot fit ({@link org.sharpsweep.sweeps.SweepSpec#checkFits}):
 * JavaCPP's limit {@code org.bytedeco.javacpp.maxbytes} of the JVM that runs the points. In local
 * mode that is this JVM (scripts/sharpsweep sets it; JavaCPP's own default is the heap size); on a
 * cluster it is the value scripts/submit puts in {@code spark.executor.extraJavaOptions}, else
 * {@code spark.executor.memory}.
 */
final class ExecutorMemory {
    private ExecutorMemory() {
    }

    private static final String MAXBYTES = "org.bytedeco.javacpp.maxbytes";
    private static final Pattern IN_OPTIONS = Pattern.compile("-D" + Pattern.quote(MAXBYTES) + "=(\\S+)");

    /** Bytes for the points of a run with this master and these {@code --conf key=value} settings. */
    static long forRun(String master, List<String> conf) {
        if (Warmup.localMaster(master)) return local();
        String options = setting(conf, "spark.executor.extraJavaOptions");
        if (options != null) {
            Matcher m = IN_OPTIONS.matcher(options);
            if (m.find()) {
                long b = parse(m.group(1));
                if (b > 0) return b;
            }
        }
        String memory = setting(conf, "spark.executor.memory");
        long b = memory == null ? -1 : parse(memory.endsWith("b") ? memory : memory + "b");
        return b > 0 ? b : parse("1g");
    }

    /** This JVM's limit. */
    static long local() {
        String p = System.getProperty(MAXBYTES);
        long b = p == null ? -1 : parse(p);
        return b > 0 ? b : Runtime.getRuntime().maxMemory();
    }

    private static String setting(List<String> conf, String key) {
        for (String kv : conf == null ? List.<String>of() : conf) {
            if (kv.startsWith(key + "=")) return kv.substring(key.length() + 1);
        }
        return System.getProperty(key); // spark-submit passes its --conf settings as system properties
    }

    /** JavaCPP's and Spark's sizes: a number of bytes with an optional k, m, g, t (optionally followed by b); 0 = no limit. */
    static long parse(String size) {
        Matcher m = Pattern.compile("(\\d+)([kmgt]?)b?").matcher(size.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) return -1;
        long n = Long.parseLong(m.group(1));
        int shift = switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        return n == 0 ? Runtime.getRuntime().maxMemory() : n << shift;
    }
}
