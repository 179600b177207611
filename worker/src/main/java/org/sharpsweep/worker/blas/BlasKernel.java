package org.sharpsweep.worker.blas;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which OpenBLAS kernel a CPU should run: a pure function of the CPU's own facts (vendor,
 * family, model, the flags of {@code /proc/cpuinfo}), so it is tested on recorded CPUs.
 *
 * <p><b>Why.</b> ND4J 1.0.0-M2.1 bundles OpenBLAS 0.3.21 built with DYNAMIC_ARCH. Its model
 * table ({@code get_coretype} in {@code driver/others/dynamic.c} at tag v0.3.21) has no entry
 * for Intel family 6 extended model 12 and falls through to the Pentium 4 branch, so Emerald
 * Rapids (model 207) and newer get the generic {@code Prescott} kernel, about 4x slower in
 * DGEMM. The kernel is chosen at library load from {@code OPENBLAS_CORETYPE}.
 *
 * <p><b>The table</b> (first match wins; the names are those of {@code corename[]} in that
 * file, matched case-insensitively):
 * <ul>
 *   <li>avx512_bf16 with avx512f, vl, bw, dq, cd: {@code Cooperlake} (Cooper Lake, Sapphire and
 *       Emerald Rapids, AMD Zen 4). 0.3.21's {@code force_coretype} looks only at the first 24
 *       names and so does not find this 25th one; it then takes its feature fallback, which
 *       chooses Cooperlake exactly when the CPU has AVX512-BF16 (and SkylakeX, Haswell,
 *       Sandybridge below it), silently unless {@code OPENBLAS_VERBOSE} is set. Forcing it is
 *       therefore safe on any CPU.</li>
 *   <li>avx512f, vl, bw, dq, cd: {@code SkylakeX} (Skylake-SP, Cascade Lake, Ice Lake).</li>
 *   <li>avx2 and fma: {@code Zen} for AMD and Hygon, {@code Haswell} for the others.</li>
 *   <li>avx: {@code Sandybridge}.</li>
 *   <li>otherwise none: OpenBLAS's own detection is as good as any choice.</li>
 * </ul>
 * A kernel is never chosen for instructions the flags lack (the kernel would fault). The flags
 * in {@code /proc/cpuinfo} are those the kernel enabled, so an OS without AVX state support
 * shows no avx.
 */
public final class BlasKernel {
    private BlasKernel() {
    }

    public static final String COOPERLAKE = "Cooperlake";
    public static final String SKYLAKE_X = "SkylakeX";
    public static final String HASWELL = "Haswell";
    public static final String ZEN = "Zen";
    public static final String SANDYBRIDGE = "Sandybridge";

    private static final Set<String> AVX512 = Set.of("avx512f", "avx512vl", "avx512bw", "avx512dq", "avx512cd");
    /** OpenBLAS 0.3.21 kernels written for AVX2 (with FMA) or AVX-512; the others are older. */
    private static final Set<String> AVX2_KERNELS = Set.of("haswell", "zen", "skylakex", "cooperlake",
            "sapphirerapids", "excavator");

    /**
     * What a CPU says about itself: the first processor block of {@code /proc/cpuinfo}.
     *
     * @param vendor    {@code vendor_id}, e.g. GenuineIntel, AuthenticAMD; "" when absent
     * @param family    {@code cpu family}, -1 when absent
     * @param model     {@code model}, -1 when absent
     * @param modelName {@code model name}; "" when absent
     * @param mhz       {@code cpu MHz} (the current or nominal clock as the kernel reports it),
     *                  NaN when absent
     * @param flags     {@code flags}, lower case
     */
    public record CpuFacts(String vendor, int family, int model, String modelName, double mhz, Set<String> flags) {
        public CpuFacts {
            flags = Set.copyOf(flags);
        }

        public boolean has(String flag) {
            return flags.contains(flag);
        }

        public boolean hasAll(Set<String> required) {
            return flags.containsAll(required);
        }

        /** AVX2 and FMA, the level from which a generic kernel costs a factor of several. */
        public boolean hasAvx2() {
            return has("avx2") && has("fma");
        }

        /** e.g. {@code Intel(R) Xeon(R) Processor (GenuineIntel family 6 model 207)}. */
        public String describe() {
            return (modelName.isEmpty() ? "unknown CPU" : modelName) + " (" + (vendor.isEmpty() ? "unknown vendor" : vendor)
                    + " family " + family + " model " + model + ")";
        }

        /** Parses the text of {@code /proc/cpuinfo}; only its first processor block is read. */
        public static CpuFacts parse(String cpuinfo) {
            String vendor = "";
            String modelName = "";
            int family = -1;
            int model = -1;
            double mhz = Double.NaN;
            Set<String> flags = Set.of();
            for (String line : cpuinfo.split("\n")) {
                if (line.isBlank()) {
                    if (!flags.isEmpty() || !vendor.isEmpty()) break; // end of the first block
                    continue;
                }
                int colon = line.indexOf(':');
                if (colon < 0) continue;
                String key = line.substring(0, colon).strip();
                String value = line.substring(colon + 1).strip();
                switch (key) {
                    case "vendor_id" -> vendor = value;
                    case "cpu family" -> family = parseInt(value);
                    case "model" -> model = parseInt(value);
                    case "model name" -> modelName = value;
                    case "cpu MHz" -> mhz = parseDouble(value);
                    case "flags" -> flags = Arrays.stream(value.toLowerCase(Locale.ROOT).split("\\s+"))
                            .filter(f -> !f.isEmpty()).collect(Collectors.toUnmodifiableSet());
                    default -> {
                    }
                }
            }
            return new CpuFacts(vendor, family, model, modelName, mhz, flags);
        }

        /** This machine's facts, or empty where {@code /proc/cpuinfo} cannot be read (not Linux). */
        public static Optional<CpuFacts> local() {
            try {
                return Optional.of(parse(Files.readString(Path.of("/proc/cpuinfo"))));
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }

        private static int parseInt(String s) {
            try {
                return Integer.parseInt(s);
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        private static double parseDouble(String s) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
    }

    /** The best OpenBLAS 0.3.21 core name for this CPU (see the class comment), or empty: let OpenBLAS detect. */
    public static Optional<String> best(CpuFacts cpu) {
        if (cpu.hasAll(AVX512)) {
            return Optional.of(cpu.has("avx512_bf16") ? COOPERLAKE : SKYLAKE_X);
        }
        if (cpu.hasAvx2()) {
            boolean amd = cpu.vendor().equals("AuthenticAMD") || cpu.vendor().equals("HygonGenuine");
            return Optional.of(amd ? ZEN : HASWELL);
        }
        if (cpu.has("avx")) {
            return Optional.of(SANDYBRIDGE);
        }
        return Optional.empty();
    }

    /**
     * Whether {@code core} (a name OpenBLAS reports) leaves a CPU with AVX2 or better on an older
     * kernel: Prescott, Core2, Nehalem, Sandybridge and the like on such a CPU.
     */
    public static boolean isGenericFor(String core, CpuFacts cpu) {
        return cpu.hasAvx2() && (core == null || !AVX2_KERNELS.contains(core.strip().toLowerCase(Locale.ROOT)));
    }

    /**
     * Double-precision floating-point operations per cycle of one core at its widest vector
     * unit, assuming two fused multiply-add units per core (the server parts of Skylake-SP and
     * later, Zen 2 and later): AVX-512 2 x 8 x 2 = 32, AVX2 with FMA 2 x 4 x 2 = 16, AVX (one add
     * and one multiply port) 2 x 4 = 8, SSE2 2 x 2 = 4. Single precision is twice these.
     * Parts with one AVX-512 FMA unit (some Xeon Silver/Bronze) peak at half the AVX-512 figure.
     */
    public static int doubleFlopsPerCycle(CpuFacts cpu) {
        if (cpu.hasAll(AVX512)) return 32;
        if (cpu.hasAvx2()) return 16;
        if (cpu.has("avx")) return 8;
        return 4;
    }

    /**
     * One core's double-precision peak in GFLOP/s: {@code cpu MHz} / 1000 times
     * {@link #doubleFlopsPerCycle}; NaN when the clock is unknown. The clock /proc/cpuinfo reports
     * is the nominal or current one, not the turbo clock, so a core may exceed this figure.
     */
    public static double peakDoubleGflops(CpuFacts cpu) {
        return cpu.mhz() / 1000.0 * doubleFlopsPerCycle(cpu);
    }
}
