package org.sharpsweep.worker.data;

import java.util.Arrays;
import java.util.List;

/**
 * The class subset {@code data.classes} of a 10-class data set: raw label c is kept iff it is in the
 * list, and becomes its position in the list, so {@code [3, 1]} maps 3 to 0 and 1 to 1. An empty list
 * keeps all 10 classes unchanged.
 */
final class ClassSubset {
    /** Raw labels of the data sets read here: Fashion-MNIST, MNIST and CIFAR-10 all have 10 classes. */
    static final int RAW_CLASSES = 10;

    private final List<Integer> classes;
    private final int[] relabel;

    ClassSubset(List<Integer> classes) {
        this.classes = List.copyOf(classes);
        this.relabel = new int[RAW_CLASSES];
        if (classes.isEmpty()) {
            for (int c = 0; c < RAW_CLASSES; c++) relabel[c] = c;
        } else {
            Arrays.fill(relabel, -1);
            for (int i = 0; i < classes.size(); i++) relabel[classes.get(i)] = i;
        }
    }

    boolean all() {
        return classes.isEmpty();
    }

    /** The new label of raw label {@code raw} (0..9), or -1 if its class is not kept. */
    int relabel(int raw) {
        return relabel[raw];
    }

    /** The samples of the kept classes, given the number of each raw class. */
    int count(int[] rawCounts) {
        int n = 0;
        for (int c = 0; c < RAW_CLASSES; c++) if (relabel[c] >= 0) n += rawCounts[c];
        return n;
    }

    /** For messages: "" for all classes, else " of classes [3, 1]". */
    String describe() {
        return classes.isEmpty() ? "" : " of classes " + classes;
    }
}
