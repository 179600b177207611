package org.sharpsweep.worker.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The training and test sets of one grid point, all arrays {@link DataType#DOUBLE}, C order, one
 * sample per row.
 *
 * <p>Classification ({@code fashion-mnist}, {@code mnist}, {@code cifar10}): {@code y} is one-hot
 * {@code [n, k]} with k = {@code outputs} classes, and the labels are the class indices 0..k-1 the
 * one-hot rows encode (training labels after label noise, so {@code trainY} follows the noisy labels;
 * test labels are never corrupted). Regression ({@code teacher}): {@code y} is {@code [n, 1]} and
 * both label arrays are null.
 *
 * <p>The arrays are shared, not copied: callers must treat them as read-only.
 *
 * @param outputs number of model outputs: k classes, or 1 for regression
 */
public record Data(INDArray trainX, INDArray trainY, int[] trainLabels, INDArray testX, INDArray testY,
                   int[] testLabels, int outputs) {

    public Data {
        if (outputs < 1) throw new IllegalArgumentException("outputs must be >= 1, got " + outputs);
        checkSplit("train", trainX, trainY, trainLabels, outputs);
        checkSplit("test", testX, testY, testLabels, outputs);
        if (trainX.size(1) != testX.size(1)) {
            throw new IllegalArgumentException("trainX has " + trainX.size(1) + " columns but testX has " + testX.size(1));
        }
        if ((trainLabels == null) != (testLabels == null)) {
            throw new IllegalArgumentException("trainLabels and testLabels must both be null (regression) or both be set");
        }
    }

    public int nTrain() {
        return (int) trainX.size(0);
    }

    public int nTest() {
        return (int) testX.size(0);
    }

    /** Input dimension: d of the teacher, 784 for (Fashion-)MNIST, 3072 for CIFAR-10. */
    public int inputs() {
        return (int) trainX.size(1);
    }

    public boolean isClassification() {
        return trainLabels != null;
    }

    /** Shapes only: the default record form would print whole arrays. */
    @Override
    public String toString() {
        return "Data[train " + nTrain() + "x" + inputs() + ", test " + nTest() + "x" + inputs() + ", outputs " + outputs
                + (isClassification() ? ", classification" : ", regression") + "]";
    }

    private static void checkSplit(String split, INDArray x, INDArray y, int[] labels, int outputs) {
        if (x == null || y == null) throw new IllegalArgumentException(split + "X and " + split + "Y are required");
        if (x.rank() != 2 || y.rank() != 2) {
            throw new IllegalArgumentException(split + "X and " + split + "Y must be matrices, got ranks " + x.rank() + " and " + y.rank());
        }
        if (x.dataType() != DataType.DOUBLE || y.dataType() != DataType.DOUBLE) {
            throw new IllegalArgumentException(split + " arrays must be DOUBLE, got " + x.dataType() + " and " + y.dataType());
        }
        if (x.size(0) != y.size(0)) {
            throw new IllegalArgumentException(split + "X has " + x.size(0) + " rows but " + split + "Y has " + y.size(0));
        }
        if (y.size(1) != outputs) {
            throw new IllegalArgumentException(split + "Y has " + y.size(1) + " columns, expected outputs = " + outputs);
        }
        if (labels != null && labels.length != x.size(0)) {
            throw new IllegalArgumentException(split + "Labels has " + labels.length + " entries for " + x.size(0) + " samples");
        }
    }
}
