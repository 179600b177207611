package org.sharpsweep.worker.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * That the kernel choice takes effect in a JVM nobody prepared: a child {@code java} started
 * with OPENBLAS_CORETYPE removed from its environment (as a Spark executor on another host, or
 * a plain {@code java -cp}) runs the kernel of {@link BlasKernel#best} for this CPU, as the
 * loaded OpenBLAS reports it, and one started with the variable set runs the user's kernel.
 */
class BlasForkTest {

    /** Prints the live kernel; what the child JVM runs. */
    public static void main(String[] args) {
        System.out.println("core=" + Blas.core() + " source=" + Blas.prepare().source());
    }

    @Test
    void aJvmStartedWithoutTheVariableChoosesTheBestKernelForThisCpu() throws Exception {
        BlasKernel.CpuFacts cpu = BlasKernel.CpuFacts.local().orElse(null);
        assumeTrue(cpu != null && cpu.hasAvx2(), "needs a Linux CPU with AVX2");
        String out = child(null);
        String best = BlasKernel.best(cpu).orElseThrow();
        assertTrue(out.contains("core=" + best + " source=sharpsweep"), out);
        assertFalse(out.contains("WARNING"), out);
        assertFalse(out.contains("core=Prescott"), out);
    }

    @Test
    void theUsersValueWins() throws Exception {
        BlasKernel.CpuFacts cpu = BlasKernel.CpuFacts.local().orElse(null);
        assumeTrue(cpu != null && cpu.hasAvx2(), "needs a Linux CPU with AVX2");
        String out = child("Haswell");
        assertTrue(out.contains("core=Haswell source=user"), out);
        if (!BlasKernel.best(cpu).orElseThrow().equals("Haswell") && !BlasKernel.best(cpu).orElseThrow().equals("Zen")) {
            assertFalse(out.contains("WARNING"), "Haswell is an AVX2 kernel: no warning\n" + out);
        }
        String generic = child("Prescott");
        assertTrue(generic.contains("core=Prescott source=user"), generic);
        assertTrue(generic.contains("WARNING: OpenBLAS runs its 'Prescott' kernel"), "says so loudly\n" + generic);
        assertTrue(generic.contains("OPENBLAS_CORETYPE=" + BlasKernel.best(cpu).orElseThrow()), "names the fix\n" + generic);
    }

    @Test
    void theTestJvmItselfWasPreparedBeforeAnyTest() {
        BlasKernel.CpuFacts cpu = BlasKernel.CpuFacts.local().orElse(null);
        assumeTrue(cpu != null && cpu.hasAvx2() && System.getenv(Blas.CORETYPE) == null,
                "needs a Linux CPU with AVX2 and no OPENBLAS_CORETYPE of the user's");
        assertEquals(BlasKernel.best(cpu).orElseThrow(), Blas.core(), "BlasBeforeTests ran before ND4J loaded");
    }

    private static String child(String coretype) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "-cp", cp, BlasForkTest.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.remove(Blas.CORETYPE);
        env.remove("OPENBLAS_VERBOSE");
        env.put("OMP_NUM_THREADS", "1");
        if (coretype != null) env.put(Blas.CORETYPE, coretype);
        Process p = pb.start();
        byte[] bytes = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish");
        String out = new String(bytes, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
