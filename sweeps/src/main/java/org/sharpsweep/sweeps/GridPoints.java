package org.sharpsweep.sweeps;

import java.util.AbstractList;
import java.util.RandomAccess;
import java.util.stream.IntStream;

/**
 * The points of a grid as a list that computes them when they are read ({@link SweepSpec#points}):
 * {@link #CHUNK} consecutive points at a time, on every core when the chunk is large, keeping
 * the {@link #KEPT} chunks read last. Reading in order computes each point once; the memory is a
 * few chunks, not the grid (a point's settings, axes and id take a few kilobytes, so a grid of a
 * million points, listed whole, would need gigabytes).
 */
final class GridPoints extends AbstractList<GridPoint> implements RandomAccess {
    /** Points computed together. */
    static final int CHUNK = 4096;
    /** Chunks kept: the one being read and the one before it (a reader that steps back a little). */
    static final int KEPT = 2;

    private final GridExpander expander;
    private final int size;
    private final int[] keptStart = new int[KEPT];
    private final GridPoint[][] kept = new GridPoint[KEPT][];
    private int oldest;

    GridPoints(GridExpander expander, int size) {
        this.expander = expander;
        this.size = size;
        java.util.Arrays.fill(keptStart, -1);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public GridPoint get(int index) {
        if (index < 0 || index >= size) throw new IndexOutOfBoundsException("point index " + index + " of a grid of " + size);
        int start = index - index % CHUNK;
        return chunk(start)[index - start];
    }

    private synchronized GridPoint[] chunk(int start) {
        for (int k = 0; k < KEPT; k++) if (keptStart[k] == start) return kept[k];
        int end = Math.min(size, start + CHUNK);
        IntStream indices = IntStream.range(start, end);
        // points are independent (a GridExpander only reads), so a large chunk uses every core
        GridPoint[] points = (end - start >= 2048 ? indices.parallel() : indices).mapToObj(i -> expander.point(i, true))
                .toArray(GridPoint[]::new);
        keptStart[oldest] = start;
        kept[oldest] = points;
        oldest = (oldest + 1) % KEPT;
        return points;
    }
}
