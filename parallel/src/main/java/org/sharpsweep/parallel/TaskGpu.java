package org.sharpsweep.parallel;

import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.sharpsweep.worker.Backend;

/**
 * The GPU Spark's resource scheduling gave the running task, for every task that computes on
 * ND4J: a sweep's points, {@code measure}'s, and a data-parallel point's curvature partitions.
 */
public final class TaskGpu {
    private TaskGpu() {
    }

    /**
     * The first GPU address of {@code context} ({@code spark.task.resource.gpu.amount}; several
     * tasks share one address when the amount is a fraction), or null: local mode and clusters
     * without GPU scheduling give none, and ND4J then keeps its default device 0.
     */
    public static String address(TaskContext context) {
        if (context == null) return null;
        ResourceInformation gpu = context.resourcesJMap().get("gpu");
        return gpu == null || gpu.addresses().length == 0 ? null : gpu.addresses()[0];
    }

    /** Binds ND4J in this thread to the running task's GPU ({@link Backend#bindGpu}; on the CPU backend it records and logs it). */
    public static void bind() {
        Backend.bindGpu(address(TaskContext.get()));
    }
}
