package org.sharpsweep.worker.curvature;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A symmetric linear operator A on R^dim, known only through products: {@code out := A v}.
 *
 * <p>{@code v} and {@code out} are distinct 1-D {@code DOUBLE} arrays of length dim; {@code apply}
 * must overwrite every entry of {@code out} and must not modify {@code v}. Symmetry is the
 * caller's promise: the eigen-solvers here rely on it and do not check it. An implementation
 * may be called many times with the same buffers and need not be thread-safe.
 */
@FunctionalInterface
public interface SymmetricOperator {
    void apply(INDArray v, INDArray out);
}
