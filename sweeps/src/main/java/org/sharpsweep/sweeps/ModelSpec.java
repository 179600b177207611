package org.sharpsweep.sweeps;

/**
 * The network of a point (docs/science.md). Family {@code mlp}: a fully connected network
 * with {@code depth} hidden layers of {@code width} units; {@code depth = 0} is a linear model.
 * Family {@code cnn}: {@code convBlocks} convolution blocks before that dense part; block i
 * (from 0) is a {@code kernel x kernel} convolution with {@code channels * 2^i} output channels,
 * stride 1 and zero padding {@code kernel / 2}, then the activation, then 2x2 pooling with
 * stride 2 ({@code pool} max or avg, sizes rounded down) or none; its output is flattened in
 * (C, H, W) order into the dense part. The conv settings mean nothing for an mlp, where
 * {@link PointSpec} resets them to their defaults.
 */
public record ModelSpec(int depth, int width, Activation activation, Init init, Family family, int convBlocks,
                        int channels, int kernel, Pool pool) implements java.io.Serializable {
    /** Largest {@code model.conv_blocks}: block 8 already has channels x 128 output channels. */
    public static final int MAX_CONV_BLOCKS = 8;
    public static final int MAX_CHANNELS = 1024;
    public static final int MAX_KERNEL = 11;

    public ModelSpec {
        if (depth < 0 || depth > 16) throw new SpecException("model.depth must be in [0, 16], got " + depth);
        if (width < 1) throw new SpecException("model.width must be >= 1, got " + width);
        if (activation == null) throw new SpecException("model.activation is required");
        if (init == null) throw new SpecException("model.init is required");
        if (family == null) throw new SpecException("model.family is required");
        if (convBlocks < 1 || convBlocks > MAX_CONV_BLOCKS) {
            throw new SpecException("model.conv_blocks must be in [1, " + MAX_CONV_BLOCKS + "], got " + convBlocks);
        }
        if (channels < 1 || channels > MAX_CHANNELS) {
            throw new SpecException("model.channels must be in [1, " + MAX_CHANNELS + "], got " + channels);
        }
        if (kernel < 1 || kernel > MAX_KERNEL) {
            throw new SpecException("model.kernel must be an odd number in [1, " + MAX_KERNEL + "], got " + kernel);
        }
        if (kernel % 2 == 0) {
            throw new SpecException("model.kernel must be odd, got " + kernel
                    + ": 'same' padding kernel/2 keeps the size only for odd kernels");
        }
        if (pool == null) throw new SpecException("model.pool is required");
    }

    /** A fully connected network (family mlp), the conv settings at their defaults. */
    public ModelSpec(int depth, int width, Activation activation, Init init) {
        this(depth, width, activation, init, Family.MLP, Defaults.CONV_BLOCKS, Defaults.CHANNELS, Defaults.KERNEL,
                Defaults.POOL);
    }

    /** This network with the conv settings at their defaults: what they resolve to for an mlp. */
    public ModelSpec withoutConv() {
        return new ModelSpec(depth, width, activation, init, family, Defaults.CONV_BLOCKS, Defaults.CHANNELS,
                Defaults.KERNEL, Defaults.POOL);
    }

    /** Output channels of block {@code i} (from 0): {@code channels * 2^i}. */
    public int blockChannels(int i) {
        return channels << i;
    }

    /** The side an image side of {@code size} pixels has after one block: halved (rounded down) by pooling, kept without. */
    public int pooled(int size) {
        return pool == Pool.NONE ? size : size / 2;
    }
}
