package org.sharpsweep.sweeps;

/**
 * The shape of one input image, channels x height x width. A sample's row holds its pixels in
 * this (C, H, W) order, channel-major, as NCHW arrays and PyTorch lay them out.
 */
public record ImageShape(int channels, int height, int width) implements java.io.Serializable {
    public ImageShape {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("an image shape needs channels, height and width >= 1, got "
                    + channels + "x" + height + "x" + width);
        }
    }

    /** C H W, the length of a sample's row. */
    public int size() {
        return channels * height * width;
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }
}
