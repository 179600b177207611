package org.sharpsweep.analysis;

import java.nio.file.Path;
import java.util.List;

/**
 * A point's loss landscape as {@code sharpsweep landscape} draws it (docs/science.md, "Loss
 * landscapes"): the training and test loss along lines through the point's final parameters theta
 * (the top Hessian eigenvector, a filter-normalized random direction) and along the straight
 * path from its initial parameters, and optionally on a random plane. The numbers are the
 * worker's ({@code org.sharpsweep.worker.Landscape}, computed on an executor); this class holds
 * them as plain arrays and draws them with {@link LandscapePainter}.
 */
public final class LossLandscape {
    private LossLandscape() {
    }

    /**
     * One line: loss at theta + alpha d (the path: theta_0 + alpha (theta - theta_0)).
     *
     * @param direction {@code eigenvector}, {@code random} or {@code path}
     */
    public record Line(String direction, double[] alpha, double[] train, double[] test) {
        public Line {
            if (alpha.length != train.length || alpha.length != test.length) {
                throw new IllegalArgumentException("line " + direction + ": " + alpha.length + " alphas, " + train.length
                        + " train and " + test.length + " test losses");
            }
        }
    }

    /** The plane: {@code train[i][j]} at theta + y[i] d_y + x[j] d_x. */
    public record Plane(double[] x, double[] y, double[][] train, double[][] test) {
    }

    /**
     * What is drawn.
     *
     * @param sweepId        the point's sweep
     * @param pointId        its id
     * @param settings       the settings that tell it apart (for the subtitle), or empty
     * @param trainLoss      L_train(theta) (alpha = 0 on the lines through theta, 1 on the path)
     * @param testLoss       L_test(theta)
     * @param startTrainLoss L_train(theta_0) (the path at alpha = 0)
     * @param startTestLoss  L_test(theta_0)
     * @param start          where theta_0 came from, in words
     * @param sharpness      lambda_max of the Hessian at theta (the eigenvector's eigenvalue)
     * @param directionNorm  the length of both directions (||theta_W||)
     * @param lines          the lines, drawn left to right
     * @param plane          null for the lines' picture; else the plane is drawn instead
     */
    public record Result(String sweepId, String pointId, String settings, double trainLoss, double testLoss, double startTrainLoss,
                         double startTestLoss, String start, double sharpness, double directionNorm, List<Line> lines, Plane plane) {
        public Result {
            lines = List.copyOf(lines);
        }
    }

    /** Refuses an output path that is neither .png nor .svg, naming it, before any work. */
    public static void checkPicture(Path out) {
        Figure.formatOf(out);
    }

    /** Writes the picture ({@link LandscapePainter#WIDTH} x {@link LandscapePainter#HEIGHT}) to {@code out} (.png or .svg). */
    public static void draw(Result r, Path out) {
        Figure.write(new LandscapePainter(r, LandscapePainter.WIDTH, LandscapePainter.HEIGHT).figure(), out);
    }
}
