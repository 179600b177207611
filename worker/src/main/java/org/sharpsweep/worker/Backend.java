package org.sharpsweep.worker;

import java.net.InetAddress;

import org.nd4j.linalg.factory.Nd4j;
import org.sharpsweep.worker.blas.Blas;

/** Where a point runs: ND4J backend, device, BLAS kernel and host, for the provenance columns. */
public final class Backend {
    private Backend() {
    }

    /**
     * The OpenBLAS kernel that computes this JVM's matrix products (e.g. {@code Cooperlake}), as
     * the loaded library reports it; null on the CUDA backend. See {@link Blas}.
     */
    public static String blasCore() {
        return name().equals("cuda") ? null : Blas.core();
    }

    /** {@code cpu} or {@code cuda}. */
    public static String name() {
        Blas.prepare(); // before the first ND4J call of this JVM (host() and engineVersion() need neither)
        String cls;
        try {
            cls = Nd4j.getBackend().getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
        } catch (RuntimeException | LinkageError e) {
            if (cudaBuild()) throw new GpuSupport.Unavailable(GpuSupport.loadProblem(cudaLibraryProblem(e), host()), e);
            throw e;
        }
        return cls.contains("cuda") || cls.contains("cublas") ? "cuda" : "cpu";
    }

    /**
     * Why the CUDA libraries do not load here, in the loader's words (e.g. {@code libcuda.so.1:
     * cannot open shared object file}): ND4J only logs that and reports "no backend".
     */
    private static String cudaLibraryProblem(Throwable fallback) {
        try {
            org.bytedeco.javacpp.Loader.load(Class.forName("org.bytedeco.cuda.global.cudart"));
        } catch (Throwable t) {
            Throwable root = t;
            while (root.getCause() != null && root.getCause() != root) root = root.getCause();
            return root.getMessage() == null ? root.toString() : root.getMessage();
        }
        Throwable root = fallback;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return String.valueOf(root.getMessage());
    }

    /** Whether this JVM carries ND4J's CUDA backend (the CUDA build's application jar). */
    private static boolean cudaBuild() {
        return Backend.class.getClassLoader().getResource("org/nd4j/linalg/jcublas/JCublasBackend.class") != null;
    }

    /** The GPU address this thread's task was given by Spark (see {@link #bindGpu}), or null. */
    private static final ThreadLocal<String> GPU = new ThreadLocal<>();

    /**
     * Binds the calling thread's ND4J work to the GPU that Spark's resource scheduling gave its
     * task ({@code address} as {@code nvidia-smi} numbers it, the addresses of
     * {@code scripts/gpu-discovery.sh}), or forgets the binding with null. On the CUDA backend
     * the thread's device becomes that GPU; on the CPU backend there is nothing to bind, and the
     * address is only recorded (the rows' {@code gpu_address}) and logged. Every point of the
     * task runs on this thread after the call.
     *
     * @throws IllegalArgumentException for an address that is no GPU index, naming it
     */
    public static void bindGpu(String address) {
        String backend = name(); // the CUDA build that cannot start says so here, before any point
        String before = GPU.get();
        GPU.set(address);
        if (address == null) {
            return;
        }
        int index;
        try {
            index = Integer.parseInt(address.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Spark gave this task the GPU address '" + address
                    + "', which is no device index; the discovery script must report nvidia-smi's indices (scripts/gpu-discovery.sh)");
        }
        boolean cuda = backend.equals("cuda");
        if (cuda) {
            Nd4j.getAffinityManager().unsafeSetDevice(index);
            GpuSupport.checkCurrentDevice(); // before any point: an unsupported GPU is one clear error, not a crash mid-point
        }
        if (!address.equals(before)) {
            System.err.println("sharpsweep: task on " + host() + " bound to gpu " + address
                    + (cuda ? " (" + device() + ")" : " (cpu backend: nothing to bind, recorded only)"));
        }
    }

    /** The GPU address of the calling thread's task ({@link #bindGpu}), or null. */
    public static String gpuAddress() {
        return GPU.get();
    }

    /** The device of the calling thread, e.g. {@code cpu x86_64 (16 cores)} or {@code cuda:0 (NVIDIA A100-SXM4-40GB)}. */
    public static String device() {
        if (name().equals("cuda")) {
            int index = Nd4j.getAffinityManager().getDeviceForCurrentThread();
            String gpu = "cuda:" + index;
            try {
                String model = org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().getDeviceName(index);
                return model == null || model.isBlank() ? gpu : gpu + " (" + model.trim() + ")";
            } catch (RuntimeException | LinkageError e) {
                return gpu;
            }
        }
        return "cpu " + System.getProperty("os.arch") + " (" + Runtime.getRuntime().availableProcessors() + " cores)";
    }

    public static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return System.getenv().getOrDefault("HOSTNAME", "unknown");
        }
    }

    /** The engine version from the jar manifest, or the build's version when run from classes. */
    public static String engineVersion() {
        String v = Backend.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0";
    }
}
