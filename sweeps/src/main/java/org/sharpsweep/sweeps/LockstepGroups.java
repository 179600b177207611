package org.sharpsweep.sweeps;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which points the engine's small-network trainer trains, and how a sweep's points are grouped
 * for lockstep training (docs/lockstep.md). One rule, read by the worker (which trainer) and the
 * driver (which tasks).
 *
 * <p><b>Small networks.</b> An mlp trained in one task that the plain-Java kernel computes faster
 * than ND4J ({@link #kernelTakes}): one whose minibatch times parameter count, B x P (about the
 * multiply-adds of one forward pass), is at most {@link #MAX_WORK}, where the fixed cost of each
 * ND4J operation, not the arithmetic, is the step (bench/lockstep: 10-40x at B x P of a few
 * thousand); and in float64, whose products run on the vector API, any batch of a network of at
 * most {@link #MAX_PARAMS} parameters, whose weights stay in the core's cache (1.1-2x ND4J's BLAS
 * on Fashion-MNIST 784-32-10 at B = 50 and n = 1000, level at 784-100-10 and B = 50, behind it at
 * 784-100-10 and n = 1000). The rule reads the point's own settings only, so a point trains with
 * the same code, to the bit, whether it is in a group or not.
 *
 * <p><b>Groups.</b> Under {@code train.lockstep: auto}, small-network points that share the data
 * set, the network, the loss, the batch size, the step count and the precision form groups of at
 * most {@link #MAX_GROUP}, at least as many groups per key as there are task slots; every other
 * point is a group of its own.
 */
public final class LockstepGroups {
    /** The largest B x P the small-network trainer takes at any size. */
    public static final long MAX_WORK = 131_072;
    /** The largest network the small-network trainer takes in float64 at any batch size. */
    public static final long MAX_PARAMS = 32_768;
    /** The largest group. */
    public static final int MAX_GROUP = 64;

    private LockstepGroups() {
    }

    /** Whether the small-network trainer trains this point (in a group or alone). */
    public static boolean smallNetwork(PointSpec p) {
        return p.model().family() == Family.MLP && !p.train().dataParallel()
                && kernelTakes(p.train().batchSize(), p.numParams(), p.train().dtype() == DType.FLOAT32);
    }

    /**
     * Whether training on batches of {@code rows} rows of an mlp of {@code params} parameters
     * runs in the plain-Java kernel: rows x params at most {@link #MAX_WORK}, or, in float64
     * (whose products run on the vector API; float32's in scalar loops), params at most
     * {@link #MAX_PARAMS}. (The measurements' single calls keep the first bound: worker's
     * SmallMlp.)
     */
    public static boolean kernelTakes(long rows, long params, boolean float32) {
        return rows * params <= MAX_WORK || (!float32 && params <= MAX_PARAMS);
    }

    /** What the points of one group share; null for a point that trains alone. */
    static Object key(PointSpec p) {
        if (p.train().lockstep() != Lockstep.AUTO || !smallNetwork(p)) return null;
        return List.of(p.data(), p.model(), p.loss(), p.train().batchSize(), p.train().steps(), p.train().dtype());
    }

    /**
     * The points in groups, in the order of their first point: those of one key split into
     * max(slots, ceil(count / {@link #MAX_GROUP})) groups (at most count) whose sizes differ by at
     * most one, so that {@code slots} task slots each get a share; every other point alone.
     *
     * @param slots task slots of the cluster (Spark's default parallelism), >= 1
     */
    public static List<List<GridPoint>> of(List<GridPoint> points, int slots) {
        if (slots < 1) throw new IllegalArgumentException("slots must be >= 1, got " + slots);
        Map<Object, List<GridPoint>> byKey = new LinkedHashMap<>();
        List<Object> order = new ArrayList<>(); // a group key, or a point alone, in the order of first appearance
        for (GridPoint p : points) {
            Object key = key(p.spec());
            if (key == null) {
                order.add(p);
            } else {
                byKey.computeIfAbsent(key, k -> {
                    order.add(k);
                    return new ArrayList<>();
                }).add(p);
            }
        }
        List<List<GridPoint>> out = new ArrayList<>();
        for (Object o : order) {
            if (o instanceof GridPoint alone) {
                out.add(List.of(alone));
                continue;
            }
            List<GridPoint> members = byKey.get(o);
            int count = members.size();
            int groups = groups(count, slots);
            for (int g = 0, from = 0; g < groups; g++) { // sizes differ by at most one
                int to = from + count / groups + (g < count % groups ? 1 : 0);
                out.add(List.copyOf(members.subList(from, to)));
                from = to;
            }
        }
        return out;
    }

    /** How many groups {@code count} points of one key form on {@code slots} task slots. */
    private static int groups(int count, int slots) {
        return Math.min(count, Math.max(slots, (count + MAX_GROUP - 1) / MAX_GROUP));
    }

    /**
     * How many groups of more than one point {@link #of} makes of these points, without making
     * them (a grid is read once, point by point).
     */
    public static long groupsOfSeveral(Iterable<GridPoint> points, int slots) {
        Map<Object, Integer> counts = new java.util.HashMap<>();
        for (GridPoint p : points) {
            Object key = key(p.spec());
            if (key != null) counts.merge(key, 1, Integer::sum);
        }
        long several = 0;
        for (int count : counts.values()) {
            int groups = groups(count, slots);
            several += groups - Math.max(0, 2 * groups - count); // sizes differ by at most one: those of one point are 2g - count
        }
        return several;
    }
}
