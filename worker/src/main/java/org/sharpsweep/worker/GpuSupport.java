package org.sharpsweep.worker;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Which GPUs the CUDA build runs on, checked when a task starts rather than found out in the
 * middle of a point. ND4J's {@code nd4j-cuda-11.6} 1.0.0-M2.1 carries kernels built for compute
 * capability 3.7 to 8.6 (K80, V100, T4, A100, A10, RTX 30xx); CUDA runs a kernel built for x.y on
 * any x.z with z >= y, so later 8.x GPUs (RTX 40xx, L4, 8.9) run them too, while Hopper (9.0) and
 * anything older than 3.7 cannot.
 */
public final class GpuSupport {
    private GpuSupport() {
    }

    /** Whether kernels built for compute capability 3.7 to 8.6 run on a GPU of {@code major.minor}. */
    public static boolean supported(int major, int minor) {
        return (major > 3 || major == 3 && minor >= 7) && major <= 8;
    }

    /** The error for a GPU that cannot run the kernels, naming it; null when it can. */
    public static String problem(int index, String name, int major, int minor, String host) {
        if (supported(major, minor)) return null;
        return "GPU " + index + " (" + name + ", compute capability " + major + "." + minor + ") on " + host
                + " cannot run ND4J's CUDA 11.6 backend, whose kernels are built for compute capability 3.7 to 8.6 (K80, V100, T4,"
                + " A100, A10, RTX 30xx; later 8.x GPUs run them too)" + (major >= 9 ? "; Hopper and newer are not supported" : "")
                + ": run this sweep with the CPU build, or on GPUs of that range";
    }

    /** The CUDA build cannot run here: its message is the whole story for the user. */
    public static final class Unavailable extends IllegalStateException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The error when the CUDA build's backend does not start on {@code host} at all ({@code why}: the loader's words). */
    public static String loadProblem(String why, String host) {
        return "ND4J's CUDA 11.6 backend (the CUDA build of sharpsweep) did not start on " + host + ": " + why
                + "; it needs an NVIDIA driver, the CUDA 11.6 runtime libraries and a GPU of compute capability 3.7 to 8.x;"
                + " use the CPU build (driver/target/sharpsweep-app.jar) on machines without them";
    }

    /**
     * On the CUDA backend, checks the calling thread's device against {@link #supported} with
     * ND4J's own device information, and throws {@link IllegalStateException} with
     * {@link #problem} when it cannot run the kernels. Nothing on the CPU backend.
     */
    public static void checkCurrentDevice() {
        if (!Backend.name().equals("cuda")) return;
        int index = Nd4j.getAffinityManager().getDeviceForCurrentThread();
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        Object devices = env.get("cuda.devicesInformation");
        if (!(devices instanceof List<?> list) || index < 0 || index >= list.size() || !(list.get(index) instanceof Map<?, ?> device)) {
            return; // ND4J did not describe its devices: nothing to check against
        }
        String problem = problem(index, String.valueOf(device.get("cuda.deviceName")), number(device.get("cuda.deviceMajor")),
                number(device.get("cuda.deviceMinor")), Backend.host());
        if (problem != null) throw new Unavailable(problem, null);
    }

    private static int number(Object value) {
        return value instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(value).trim());
    }
}
