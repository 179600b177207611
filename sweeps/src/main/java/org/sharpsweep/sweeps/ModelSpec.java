package org.sharpsweep.sweeps;

/**
 * The network of a point (docs/science.md): the {@code model} settings of a {@link Settings}.
 * Family {@code mlp}: a fully connected network with {@code depth} hidden layers of
 * {@code width} units; {@code depth = 0} is a linear model. Family {@code cnn}:
 * {@code convBlocks} convolution blocks before that dense part; block i (from 0) is a
 * {@code kernel x kernel} convolution with {@code channels * 2^i} output channels, stride 1 and
 * zero padding {@code kernel / 2}, then the activation, then 2x2 pooling with stride 2
 * ({@code pool} max or avg, sizes rounded down) or none; its output is flattened in (C, H, W)
 * order into the dense part. The conv settings mean nothing for an mlp, where
 * {@link PointChecks} resets them to their defaults.
 */
public final class ModelSpec extends SettingsView {
    private static final long serialVersionUID = 1L;
    /** Largest {@code model.conv_blocks}: block 8 already has channels x 128 output channels. */
    public static final int MAX_CONV_BLOCKS = 8;
    public static final int MAX_CHANNELS = 1024;
    public static final int MAX_KERNEL = 11;

    ModelSpec(Settings settings) {
        super(settings, "model");
    }

    public int depth() {
        return settings.intValue(Setting.DEPTH);
    }

    public int width() {
        return settings.intValue(Setting.WIDTH);
    }

    public Activation activation() {
        return (Activation) settings.get(Setting.ACTIVATION);
    }

    public Init init() {
        return (Init) settings.get(Setting.INIT);
    }

    public Family family() {
        return (Family) settings.get(Setting.FAMILY);
    }

    public int convBlocks() {
        return settings.intValue(Setting.CONV_BLOCKS);
    }

    public int channels() {
        return settings.intValue(Setting.CHANNELS);
    }

    public int kernel() {
        return settings.intValue(Setting.KERNEL);
    }

    public Pool pool() {
        return (Pool) settings.get(Setting.POOL);
    }

    /** Output channels of block {@code i} (from 0): {@code channels * 2^i}. */
    public int blockChannels(int i) {
        return channels() << i;
    }

    /** The side an image side of {@code size} pixels has after one block: halved (rounded down) by pooling, kept without. */
    public int pooled(int size) {
        return pool() == Pool.NONE ? size : size / 2;
    }
}
