package org.sharpsweep.analysis;

/**
 * What one heatmap shows.
 *
 * @param metric a numeric METRIC column of the results table, e.g. {@code sharpness}, or a numeric
 *               Spark SQL expression over its columns, e.g. {@code sharpness * lr / 2}
 * @param x      parameter column on the horizontal axis; must vary in the table
 * @param y      parameter column on the vertical axis; must vary in the table and differ from x;
 *               null draws a single row (a sweep with one axis)
 * @param where  Spark SQL predicate on the results columns selecting the rows, or null for all,
 *               e.g. {@code "width = 100 AND penalty_coef = 0"}
 * @param agg    how the points of one cell combine; null means {@link Aggregation#MEAN}
 * @param width  image width in pixels; 0 means {@link #DEFAULT_WIDTH}
 * @param height image height in pixels; 0 means {@link #DEFAULT_HEIGHT}
 */
public record HeatmapOptions(String metric, String x, String y, String where, Aggregation agg, int width, int height) {
    public static final int DEFAULT_WIDTH = 960;
    public static final int DEFAULT_HEIGHT = 720;
    /** Smallest image that still holds the titles, the axes and the colour bar. */
    public static final int MIN_WIDTH = 480;
    public static final int MIN_HEIGHT = 360;

    public HeatmapOptions {
        if (metric == null || metric.isBlank()) throw new IllegalArgumentException("metric must be given, got " + metric);
        if (x == null || x.isBlank()) throw new IllegalArgumentException("x axis must be given, got " + x);
        if (y != null && y.isBlank()) y = null;
        if (x.equals(y)) throw new IllegalArgumentException("x and y must be different axes, both are " + x);
        if (where != null && where.isBlank()) where = null;
        if (agg == null) agg = Aggregation.MEAN;
        if (width == 0) width = DEFAULT_WIDTH;
        if (height == 0) height = DEFAULT_HEIGHT;
        if (width < MIN_WIDTH) throw new IllegalArgumentException("width must be >= " + MIN_WIDTH + " pixels, got " + width);
        if (height < MIN_HEIGHT) throw new IllegalArgumentException("height must be >= " + MIN_HEIGHT + " pixels, got " + height);
    }

    /** Default size. */
    public HeatmapOptions(String metric, String x, String y, String where, Aggregation agg) {
        this(metric, x, y, where, agg, 0, 0);
    }
}
