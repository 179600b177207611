package org.sharpsweep.worker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which GPUs the CUDA build accepts, and what it says of the others (no GPU needed). */
class GpuSupportTest {
    @Test
    void theKernelsRangeIsThreeSevenToEightX() {
        assertTrue(GpuSupport.supported(3, 7), "K80");
        assertTrue(GpuSupport.supported(7, 0), "V100");
        assertTrue(GpuSupport.supported(7, 5), "T4");
        assertTrue(GpuSupport.supported(8, 0), "A100");
        assertTrue(GpuSupport.supported(8, 6), "A10, RTX 30xx");
        assertTrue(GpuSupport.supported(8, 9), "L4, RTX 40xx: an 8.6 kernel runs on 8.9");
        assertFalse(GpuSupport.supported(3, 5), "K40");
        assertFalse(GpuSupport.supported(2, 1));
        assertFalse(GpuSupport.supported(9, 0), "H100, H200");
        assertFalse(GpuSupport.supported(10, 0));
    }

    @Test
    void theErrorNamesTheGpuItsCapabilityAndWhatToDo() {
        assertNull(GpuSupport.problem(0, "Tesla T4", 7, 5, "node1"));
        String hopper = GpuSupport.problem(1, "NVIDIA H200", 9, 0, "node2");
        assertTrue(hopper.contains("GPU 1 (NVIDIA H200, compute capability 9.0) on node2"), hopper);
        assertTrue(hopper.contains("3.7 to 8.6") && hopper.contains("Hopper") && hopper.contains("CPU build"), hopper);
        String load = GpuSupport.loadProblem("libcuda.so.1: cannot open shared object file", "node3");
        assertTrue(load.contains("node3") && load.contains("libcuda.so.1") && load.contains("CPU build"), load);
    }
}
