/**
 * Spark SQL over sharpsweep results tables (docs/results.md) and the pictures people read
 * them through.
 *
 * <ul>
 *   <li>{@link org.sharpsweep.store.ResultsTable}: the Parquet table as one row per grid
 *       point, registered as the view {@code results}.</li>
 *   <li>{@link org.sharpsweep.analysis.Heatmap}: one metric over two grid axes, one cell per
 *       grid value, with diverged/failed/missing cells marked
 *       ({@link org.sharpsweep.analysis.HeatmapOptions}, {@link org.sharpsweep.analysis.HeatmapResult}).</li>
 *   <li>{@link org.sharpsweep.analysis.Diagram}: the sharpness / non-uniformity plane with each
 *       (lr, B) group's linear-stability region ({@link org.sharpsweep.analysis.DiagramResult}).</li>
 *   <li>{@link org.sharpsweep.analysis.Report}: a self-contained HTML page of a whole table.</li>
 * </ul>
 *
 * <p>Every entry point takes an existing {@code SparkSession} and a results directory (any
 * Hadoop URI), or rows already loaded. Figures are painted with Java2D and written as PNG, or
 * as SVG through VectorGraphics2D, by the output file's extension; what was drawn comes back
 * as an immutable record. The painters draw their frames with one figure toolkit ({@code Figure},
 * {@code Titles}, {@code Scale}, {@code Plot}, {@code Legend}, {@code ColourBar}, {@code Text},
 * {@code Colours}), so each painter holds only what its picture means. Bad input is an {@link java.lang.IllegalArgumentException} naming the
 * valid choices. Not thread-safe across concurrent calls on one session: each call replaces
 * the view {@code results}.
 */
package org.sharpsweep.analysis;
