package org.sharpsweep.sweeps;

/** The data set a point trains on (docs/spec.md). */
public enum Dataset implements Named {
    TEACHER, FASHION_MNIST, MNIST, CIFAR10;

    @Override
    public String specName() {
        return Named.dashed(this);
    }

    /** The shape of one image (Fashion-MNIST and MNIST 1x28x28, CIFAR-10 3x32x32); null for the teacher, whose inputs are no images. */
    public ImageShape imageShape() {
        return switch (this) {
            case TEACHER -> null;
            case FASHION_MNIST, MNIST -> new ImageShape(1, 28, 28);
            case CIFAR10 -> new ImageShape(3, 32, 32);
        };
    }
}
