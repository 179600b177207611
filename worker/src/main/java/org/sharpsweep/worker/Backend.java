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
        String cls = Nd4j.getBackend().getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
        return cls.contains("cuda") || cls.contains("cublas") ? "cuda" : "cpu";
    }

    /** The device of the calling thread, e.g. {@code cpu x86_64 (16 cores)} or {@code cuda:0}. */
    public static String device() {
        if (name().equals("cuda")) {
            return "cuda:" + Nd4j.getAffinityManager().getDeviceForCurrentThread();
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
