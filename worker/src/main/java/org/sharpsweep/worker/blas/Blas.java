package org.sharpsweep.worker.blas;

import java.util.Locale;
import java.util.Optional;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;

/**
 * The OpenBLAS kernel of this JVM: chooses it before OpenBLAS loads, reports the one in use,
 * and warns once when it is the generic kernel on a CPU that has better ones (docs/cluster.md, BLAS).
 *
 * <p>OpenBLAS reads {@code OPENBLAS_CORETYPE} from the process environment once, when the
 * library loads. The launch scripts ({@code scripts/java-opts.sh}) export it; this class covers
 * every JVM they do not start (Spark executors on other hosts, test JVMs, a plain
 * {@code java -cp}): {@link #prepare} sets it with libc {@code setenv(name, value, 0)} (JNA)
 * to {@link BlasKernel#best} for this CPU when the environment has none. A value the user set
 * always wins. Everything that does math calls {@link #prepare} before its first ND4J call
 * (PointRunner, Backend, the model, the data loaders, the benches); loading this class does
 * it too.
 *
 * <p>{@code -Dsharpsweep.blas.choose=false} leaves the choice to OpenBLAS (BlasBench uses it to
 * measure OpenBLAS's own choice).
 *
 * <p>Thread-safe and idempotent: the first call decides, later calls return at once. It is
 * too late once OpenBLAS has loaded; {@link #core} then still tells the truth and the
 * warning names the fix.
 */
public final class Blas {
    /** The environment variable OpenBLAS reads. */
    public static final String CORETYPE = "OPENBLAS_CORETYPE";

    /** How the kernel request came about: {@code user}, {@code sharpsweep} (set here) or {@code openblas} (none set). */
    public record Setup(String requested, String source, String note) {
    }

    private static final Object LOCK = new Object();
    private static volatile Setup setup;
    private static volatile String core;
    private static volatile boolean coreKnown;

    static {
        prepare();
    }

    private Blas() {
    }

    /** Requests the best kernel for this CPU unless the environment already names one; at most once per JVM. */
    public static Setup prepare() {
        Setup s = setup;
        if (s != null) return s;
        synchronized (LOCK) {
            if (setup == null) setup = decide();
            return setup;
        }
    }

    private static Setup decide() {
        String user = System.getenv(CORETYPE);
        if (user != null && !user.isBlank()) return new Setup(user, "user", null);
        if (!Boolean.parseBoolean(System.getProperty("sharpsweep.blas.choose", "true"))) {
            return new Setup(null, "openblas", "choice switched off by -Dsharpsweep.blas.choose=false");
        }
        Optional<BlasKernel.CpuFacts> cpu = BlasKernel.CpuFacts.local();
        Optional<String> best = cpu.flatMap(BlasKernel::best);
        if (best.isEmpty()) {
            return new Setup(null, "openblas", cpu.isEmpty() ? "no /proc/cpuinfo" : "no kernel better than OpenBLAS's own choice");
        }
        try {
            NativeLibrary libc = NativeLibrary.getInstance("c");
            Function getenv = libc.getFunction("getenv");
            String already = (String) getenv.invoke(String.class, new Object[] {CORETYPE});
            if (already != null && !already.isBlank()) return new Setup(already, "user", "set in-process before sharpsweep");
            int rc = libc.getFunction("setenv").invokeInt(new Object[] {CORETYPE, best.get(), 0});
            if (rc != 0) return new Setup(null, "openblas", "setenv failed (" + rc + ")");
            return new Setup(best.get(), "sharpsweep", null);
        } catch (Throwable e) { // no JNA native support here: OpenBLAS detects, the warning says what to do
            return new Setup(null, "openblas", "cannot set " + CORETYPE + ": " + e);
        }
    }

    /**
     * The kernel OpenBLAS runs in this JVM (e.g. {@code Cooperlake}, {@code Prescott}), asked of
     * the loaded library ({@code openblas_get_corename}); null where OpenBLAS is not available.
     * The first call loads OpenBLAS (after {@link #prepare}) and prints the warning of
     * {@link #warnIfGeneric} when it applies.
     */
    public static String core() {
        if (coreKnown) return core;
        synchronized (LOCK) {
            if (!coreKnown) {
                prepare();
                core = queryCore();
                coreKnown = true;
                warnIfGeneric(core);
            }
            return core;
        }
    }

    /**
     * Asks every OpenBLAS mapped into this process ({@code openblas_get_corename}, through JNA on
     * the library files: the bytedeco Java bindings ND4J brings predate that function). Two are:
     * ND4J's {@code libopenblas.so.0} and the {@code libopenblas_nolapack.so.0} that {@link Gemm}
     * calls; both choose their kernel when they load, from the same environment. If they ever
     * disagree, the answer names both, e.g. {@code Cooperlake/Prescott}.
     */
    private static String queryCore() {
        try {
            org.nd4j.linalg.factory.Nd4j.getBackend(); // loads ND4J and with it OpenBLAS
            Gemm.direct(); // loads the binding Gemm calls
            java.util.Set<String> names = new java.util.LinkedHashSet<>();
            for (String path : loadedOpenBlas()) {
                Object name = NativeLibrary.getInstance(path).getFunction("openblas_get_corename")
                        .invoke(String.class, new Object[0]);
                if (name != null && !name.toString().isBlank()) names.add(name.toString().strip());
            }
            return names.isEmpty() ? null : String.join("/", names);
        } catch (Throwable e) {
            return null;
        }
    }

    /** The files of the OpenBLAS libraries mapped into this process (from /proc/self/maps). */
    static java.util.List<String> loadedOpenBlas() throws java.io.IOException {
        try (java.util.stream.Stream<String> lines = java.nio.file.Files.lines(java.nio.file.Path.of("/proc/self/maps"))) {
            return lines.map(l -> l.indexOf('/') >= 0 ? l.substring(l.indexOf('/')).strip() : "")
                    .filter(f -> f.matches(".*/libopenblas[^/]*\\.so[^/]*"))
                    .distinct().toList();
        }
    }

    /** Prints, once per JVM, why and how to fix when {@code live} is an older kernel on a CPU with AVX2 or better. */
    private static void warnIfGeneric(String live) {
        Optional<BlasKernel.CpuFacts> cpu = BlasKernel.CpuFacts.local();
        if (cpu.isEmpty() || !BlasKernel.isGenericFor(live, cpu.get())) return;
        String best = BlasKernel.best(cpu.get()).orElse("Haswell");
        Setup s = prepare();
        System.err.println("sharpsweep: WARNING: OpenBLAS runs its '" + live + "' kernel on " + cpu.get().describe()
                + ", which has " + (cpu.get().has("avx512f") ? "AVX-512" : "AVX2")
                + ": every matrix product runs several times slower than it can."
                + (s.source().equals("user") ? " (" + CORETYPE + "=" + s.requested() + " is set in the environment.)" : "")
                + " Fix: start this JVM with " + CORETYPE + "=" + best + " in its environment"
                + " (for Spark executors: --conf spark.executorEnv." + CORETYPE + "=" + best + ")"
                + (s.note() != null ? " [" + s.note() + "]" : "") + ".");
    }

    /** One line for logs and benches, e.g. {@code Cooperlake (chosen by sharpsweep for ...)}. */
    public static String describe() {
        Setup s = prepare();
        String live = core();
        String cpu = BlasKernel.CpuFacts.local().map(BlasKernel.CpuFacts::describe).orElse("unknown CPU");
        String how = switch (s.source()) {
            case "user" -> CORETYPE + "=" + s.requested() + " from the environment";
            case "sharpsweep" -> CORETYPE + "=" + s.requested() + " chosen by sharpsweep from the CPU flags";
            default -> "OpenBLAS's own detection" + (s.note() != null ? " (" + s.note() + ")" : "");
        };
        return (live == null ? "unknown" : live) + " on " + cpu + ", " + how;
    }

    /** Lower-case comparison of core names as OpenBLAS matches them. */
    static boolean sameCore(String a, String b) {
        return a != null && b != null && a.strip().toLowerCase(Locale.ROOT).equals(b.strip().toLowerCase(Locale.ROOT));
    }
}
