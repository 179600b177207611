package org.sharpsweep.worker.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The kernel table on recorded {@code /proc/cpuinfo} texts (src/test/resources/cpuinfo: this
 * machine's Emerald Rapids as read, the others written from the flags those CPUs report on
 * Linux), and the same table in scripts/java-opts.sh, so the two cannot drift.
 */
class BlasKernelTest {

    private static final Path CPUINFO = Path.of("src/test/resources/cpuinfo");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "emerald-rapids-xeon-model207.txt, Cooperlake, 32",
            "sapphire-rapids-xeon-8480.txt, Cooperlake, 32",
            "zen4-epyc-9654.txt, Cooperlake, 32",
            "skylake-x-xeon-8175m.txt, SkylakeX, 32",
            "zen3-epyc-7763.txt, Zen, 16",
            "zen2-epyc-7b12.txt, Zen, 16",
            "haswell-xeon-e5-2676v3.txt, Haswell, 16",
            "sandybridge-xeon-e5-2670.txt, Sandybridge, 8",
            "core2-xeon-e5420.txt, '', 4",
    })
    void bestKernelForRecordedCpus(String file, String expected, int flopsPerCycle) throws IOException {
        BlasKernel.CpuFacts cpu = BlasKernel.CpuFacts.parse(Files.readString(CPUINFO.resolve(file)));
        assertEquals(expected, BlasKernel.best(cpu).orElse(""), cpu.describe());
        assertEquals(flopsPerCycle, BlasKernel.doubleFlopsPerCycle(cpu), cpu.describe());
    }

    @ParameterizedTest(name = "java-opts.sh on {0}")
    @CsvSource({
            "emerald-rapids-xeon-model207.txt", "sapphire-rapids-xeon-8480.txt", "zen4-epyc-9654.txt",
            "skylake-x-xeon-8175m.txt", "zen3-epyc-7763.txt", "zen2-epyc-7b12.txt", "haswell-xeon-e5-2676v3.txt",
            "sandybridge-xeon-e5-2670.txt", "core2-xeon-e5420.txt",
    })
    void theLaunchScriptsChooseTheSameKernel(String file) throws Exception {
        Path script = Path.of("../scripts/java-opts.sh").toAbsolutePath().normalize();
        Path info = CPUINFO.resolve(file).toAbsolutePath();
        Process p = new ProcessBuilder("bash", "-c", "set -euo pipefail; source \"$0\"; sharpsweep_blas_core \"$1\"",
                script.toString(), info.toString()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.exitValue(), out);
        BlasKernel.CpuFacts cpu = BlasKernel.CpuFacts.parse(Files.readString(info));
        assertEquals(BlasKernel.best(cpu).orElse(""), out);
    }

    @Test
    void parsesTheFirstProcessorBlock() throws IOException {
        BlasKernel.CpuFacts cpu = BlasKernel.CpuFacts.parse(Files.readString(CPUINFO.resolve("zen3-epyc-7763.txt")));
        assertEquals("AuthenticAMD", cpu.vendor());
        assertEquals(25, cpu.family());
        assertEquals(1, cpu.model());
        assertEquals("AMD EPYC 7763 64-Core Processor", cpu.modelName());
        assertEquals(2445.404, cpu.mhz(), 0.0);
        assertTrue(cpu.has("avx2") && cpu.has("vaes")); // the second block's lone "fpu" is not read
        // single-core double peak: 2.445404 GHz x 16 (2 FMA units x 4 doubles x 2)
        assertEquals(2.445404 * 16, BlasKernel.peakDoubleGflops(cpu), 1e-9);
    }

    @Test
    void emptyOrForeignTextChoosesNothing() {
        assertEquals(Optional.empty(), BlasKernel.best(BlasKernel.CpuFacts.parse("")));
        BlasKernel.CpuFacts arm = BlasKernel.CpuFacts.parse("processor\t: 0\nBogoMIPS\t: 50.00\nFeatures\t: fp asimd evtstrm\n");
        assertEquals(Optional.empty(), BlasKernel.best(arm));
        assertTrue(Double.isNaN(BlasKernel.peakDoubleGflops(arm)));
    }

    @Test
    void genericKernelsAreThoseBelowAvx2OnAnAvx2Cpu() throws IOException {
        BlasKernel.CpuFacts emerald = BlasKernel.CpuFacts.parse(Files.readString(CPUINFO.resolve("emerald-rapids-xeon-model207.txt")));
        BlasKernel.CpuFacts sandy = BlasKernel.CpuFacts.parse(Files.readString(CPUINFO.resolve("sandybridge-xeon-e5-2670.txt")));
        for (String old : new String[] {"Prescott", "Core2", "Nehalem", "Sandybridge", null}) {
            assertTrue(BlasKernel.isGenericFor(old, emerald), String.valueOf(old));
        }
        for (String good : new String[] {"Cooperlake", "SkylakeX", "Haswell", "Zen", "cooperlake "}) {
            assertFalse(BlasKernel.isGenericFor(good, emerald), good);
        }
        assertFalse(BlasKernel.isGenericFor("Prescott", sandy), "no warning without AVX2: little to gain");
    }
}
