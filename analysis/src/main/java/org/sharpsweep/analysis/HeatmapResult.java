package org.sharpsweep.analysis;

import java.awt.Color;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Heatmap} drew, so a caller or a test can check the picture against the data.
 *
 * @param out            the file written
 * @param title          first title line: metric, aggregation and the predicate
 * @param subtitle       second title part: sweep, fixed settings and point counts
 * @param aggregatedOver the columns that vary inside a cell (averaged by {@code agg})
 * @param xValues        actual values of the x axis, left to right
 * @param yValues        actual values of the y axis, bottom to top ({@code [null]} for a single row)
 * @param xLabels        the tick labels drawn for {@code xValues}
 * @param colourMin      the value at the bottom of the colour bar
 * @param colourMax      the value at the top of the colour bar
 * @param logColourScale true if colours are spread by log(value) (positive values spanning at
 *                       least a factor {@value HeatmapPainter#LOG_COLOUR_RATIO}), else linearly
 * @param cells          one per (x value, y value), x fastest
 */
public record HeatmapResult(Path out, int width, int height, String title, String subtitle, String metric,
                            String x, String y, Aggregation agg, List<String> aggregatedOver,
                            List<Object> xValues, List<Object> yValues, List<String> xLabels, List<String> yLabels,
                            boolean xLogSpaced, boolean yLogSpaced, double colourMin, double colourMax,
                            boolean logColourScale, List<Cell> cells) {

    /** What a cell shows. */
    public enum State {
        /** At least one OK point with a value: the aggregate over the OK points, coloured. */
        VALUE,
        /** No OK value and at least one DIVERGED point: hatched red, "diverged". */
        DIVERGED,
        /** No OK value, no DIVERGED and at least one FAILED point: hatched grey, "failed". */
        FAILED,
        /** OK points whose metric is null (not computed): blank with "n/a". */
        NO_VALUE,
        /** No grid point here among the selected rows: blank. */
        MISSING
    }

    /**
     * One cell.
     *
     * @param value   the aggregate over OK points, null unless {@link State#VALUE}
     * @param ok      OK points in the cell (metric null or not)
     * @param fill    the cell's background colour (the colour-scale colour for a value)
     * @param box     where it is drawn
     * @param text    the text written in it, lines separated by '\n'
     */
    public record Cell(int ix, int iy, Object xValue, Object yValue, State state, Double value, int ok, int diverged,
                       int failed, Color fill, Box box, String text) {
    }

    public HeatmapResult {
        aggregatedOver = List.copyOf(aggregatedOver);
        xValues = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(xValues));
        yValues = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(yValues));
        xLabels = List.copyOf(xLabels);
        yLabels = List.copyOf(yLabels);
        cells = List.copyOf(cells);
    }

    /** The cell at column index ix (0 = left) and row index iy (0 = bottom). */
    public Cell cellAt(int ix, int iy) {
        return cells.get(iy * xValues.size() + ix);
    }

    /** The cell at the given axis values (numbers compare by value: {@code cell(0.1, 50)}). */
    public Cell cell(Object xValue, Object yValue) {
        for (Cell c : cells) {
            if (same(c.xValue(), xValue) && same(c.yValue(), yValue)) return c;
        }
        throw new IllegalArgumentException("no cell at " + x + "=" + xValue + ", " + y + "=" + yValue);
    }

    private static boolean same(Object a, Object b) {
        if (a instanceof Number p && b instanceof Number q) return p.doubleValue() == q.doubleValue();
        return Objects.equals(a, b);
    }
}
