package org.sharpsweep.sweeps;

/** The data set a point trains on (DESIGN.md section 5). */
public enum Dataset implements Named {
    TEACHER, FASHION_MNIST, MNIST, CIFAR10;

    @Override
    public String specName() {
        return Named.dashed(this);
    }
}
