package org.sharpsweep.worker.model;

import org.sharpsweep.sweeps.Activation;
import org.sharpsweep.sweeps.ImageShape;
import org.sharpsweep.sweeps.Pool;

/**
 * The convolutional network of issue 11 in plain Java loops over NCHW images, written from its
 * definition (PyTorch's Conv2d with stride 1 and padding k/2, the activation, MaxPool2d(2) or
 * AvgPool2d(2), flatten, the dense layers), independent of {@link Cnn}'s stages and im2col. It
 * reads the parameters from the documented layout (K_i [out, in, k, k], bias, ..., W [in, out],
 * b, ...), and reports how close its inputs come to a kink (a relu at 0 or a tie in a max pool),
 * so that finite differences can stay off them.
 */
record ReferenceCnn(ImageShape input, int convBlocks, int channels, int kernel, Pool pool, int depth, int width,
                    int outputs, Activation activation, double outputScale) {

    /** The outputs [m, outputs]; {@code margin[0]} (if given) gets the smallest distance to a kink. */
    double[][] predict(double[] theta, double[][] x, double[] margin) {
        double kink = Double.POSITIVE_INFINITY;
        double[][] f = new double[x.length][];
        for (int s = 0; s < x.length; s++) {
            int c = input.channels();
            int h = input.height();
            int w = input.width();
            double[][][] a = new double[c][h][w];
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < h; y++) {
                    for (int xx = 0; xx < w; xx++) {
                        a[ch][y][xx] = x[s][(ch * h + y) * w + xx];
                    }
                }
            }
            int offset = 0;
            int pad = kernel / 2;
            for (int b = 0; b < convBlocks; b++) {
                int out = channels << b;
                double[][][] z = new double[out][h][w];
                int bias = offset + out * c * kernel * kernel;
                for (int o = 0; o < out; o++) {
                    for (int y = 0; y < h; y++) {
                        for (int xx = 0; xx < w; xx++) {
                            double sum = theta[bias + o];
                            for (int i = 0; i < c; i++) {
                                for (int dy = 0; dy < kernel; dy++) {
                                    for (int dx = 0; dx < kernel; dx++) {
                                        int yy = y + dy - pad;
                                        int xs = xx + dx - pad;
                                        if (yy >= 0 && yy < h && xs >= 0 && xs < w) {
                                            sum += theta[offset + ((o * c + i) * kernel + dy) * kernel + dx] * a[i][yy][xs];
                                        }
                                    }
                                }
                            }
                            if (activation == Activation.RELU) {
                                kink = Math.min(kink, Math.abs(sum));
                            }
                            z[o][y][xx] = act(sum);
                        }
                    }
                }
                offset = bias + out;
                c = out;
                a = z;
                if (pool != Pool.NONE) {
                    int h2 = h / 2;
                    int w2 = w / 2;
                    double[][][] p = new double[c][h2][w2];
                    for (int o = 0; o < c; o++) {
                        for (int y = 0; y < h2; y++) {
                            for (int xx = 0; xx < w2; xx++) {
                                double[] window = {a[o][2 * y][2 * xx], a[o][2 * y][2 * xx + 1], a[o][2 * y + 1][2 * xx],
                                        a[o][2 * y + 1][2 * xx + 1]};
                                if (pool == Pool.MAX) {
                                    double top = Math.max(Math.max(window[0], window[1]), Math.max(window[2], window[3]));
                                    double second = Double.NEGATIVE_INFINITY;
                                    int tops = 0;
                                    for (double v : window) {
                                        if (v == top) tops++;
                                        else second = Math.max(second, v);
                                    }
                                    // a tie of two positive values (or a gap too small) is a kink; ties at a relu's 0 are not
                                    if (top > 0 || activation == Activation.TANH) {
                                        kink = Math.min(kink, tops > 1 ? 0.0 : top - second);
                                    }
                                    p[o][y][xx] = top;
                                } else {
                                    p[o][y][xx] = 0.25 * (window[0] + window[1] + window[2] + window[3]);
                                }
                            }
                        }
                    }
                    a = p;
                    h = h2;
                    w = w2;
                }
            }
            double[] v = new double[c * h * w];
            for (int o = 0; o < c; o++) {
                for (int y = 0; y < h; y++) {
                    for (int xx = 0; xx < w; xx++) {
                        v[(o * h + y) * w + xx] = a[o][y][xx];
                    }
                }
            }
            for (int l = 0; l <= depth; l++) {
                int in = v.length;
                int out = l == depth ? outputs : width;
                double scale = l == depth ? outputScale : 1.0;
                double[] z = new double[out];
                for (int j = 0; j < out; j++) {
                    double sum = 0;
                    for (int r = 0; r < in; r++) {
                        sum += v[r] * theta[offset + r * out + j];
                    }
                    z[j] = scale * sum + theta[offset + in * out + j];
                    if (l < depth && activation == Activation.RELU) {
                        kink = Math.min(kink, Math.abs(z[j]));
                    }
                    if (l < depth) {
                        z[j] = act(z[j]);
                    }
                }
                offset += in * out + out;
                v = z;
            }
            f[s] = v;
        }
        if (margin != null) {
            margin[0] = kink;
        }
        return f;
    }

    private double act(double z) {
        return activation == Activation.RELU ? Math.max(z, 0.0) : Math.tanh(z);
    }
}
