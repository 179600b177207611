package org.sharpsweep.worker.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DataTest {
    private static INDArray zeros(long rows, long cols) {
        return Nd4j.zeros(DataType.DOUBLE, rows, cols);
    }

    @Test
    void inconsistentShapesAreRejectedWithTheirNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Data(zeros(4, 3), zeros(5, 2), new int[4], zeros(2, 3), zeros(2, 2), new int[2], 2));
        assertTrue(e.getMessage().contains("trainX has 4 rows but trainY has 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Data(zeros(4, 3), zeros(4, 2), new int[4], zeros(2, 5), zeros(2, 2), new int[2], 2));
        assertTrue(e.getMessage().contains("trainX has 3 columns but testX has 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Data(zeros(4, 3), zeros(4, 2), new int[4], zeros(2, 3), zeros(2, 2), null, 2));
        assertTrue(e.getMessage().contains("both be null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Data(zeros(4, 3), zeros(4, 2), new int[4], zeros(2, 3), zeros(2, 3), new int[2], 2));
        assertTrue(e.getMessage().contains("testY has 3 columns, expected outputs = 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Data(Nd4j.zeros(DataType.FLOAT, 4, 3), zeros(4, 1), null, zeros(2, 3), zeros(2, 1), null, 1));
        assertTrue(e.getMessage().contains("must be DOUBLE"), e.getMessage());
    }

    @Test
    void accessorsAndShortToString() {
        Data d = new Data(zeros(4, 3), zeros(4, 1), null, zeros(2, 3), zeros(2, 1), null, 1);
        assertEquals(4, d.nTrain());
        assertEquals(2, d.nTest());
        assertEquals(3, d.inputs());
        assertEquals("Data[train 4x3, test 2x3, outputs 1, regression]", d.toString());
    }
}
