package org.sharpsweep.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class FormatTest {
    @Test
    void detectsLogSpacingFromTheValues() {
        assertTrue(Format.isLogSpaced(List.of(0.01, 0.1, 1.0)), "decades");
        assertTrue(Format.isLogSpaced(List.of(10, 50, 200)), "batch sizes growing by about 4-5x");
        assertTrue(Format.isLogSpaced(List.of(0.01, 0.03, 0.1, 0.3, 1.0)), "a 1-3 series");
        assertFalse(Format.isLogSpaced(List.of(10, 20, 30)), "equal steps");
        assertFalse(Format.isLogSpaced(List.of(0.0, 0.01, 0.1)), "zero cannot be on a log axis");
        assertFalse(Format.isLogSpaced(List.of(0.1, 1.0)), "two values cannot tell");
        assertFalse(Format.isLogSpaced(List.of("relu", "tanh", "x")), "not numbers");
    }

    @Test
    void labelsLogAxesWithTheRealValues() {
        // a spec range {from: 0.01, to: 1, num: 5, scale: log}: 10^(-2 + k/2)
        List<Object> range = List.of(0.01, Math.pow(10, -1.5), 0.1, Math.pow(10, -0.5), 1.0);
        assertEquals(List.of("0.01", "0.0316", "0.1", "0.316", "1"), Format.axisLabels(range, true));
        List<Object> tiny = List.of(1e-5, 1e-4, 1e-3);
        assertEquals(List.of("1e-5", "1e-4", "1e-3"), Format.axisLabels(tiny, true), "decades below 1e-3 in 1e-k style throughout");
        assertEquals(List.of("3.16e-5", "1e-4"), Format.axisLabels(List.of(Math.pow(10, -4.5), 1e-4), false));
        assertEquals(List.of("10", "50", "200"), Format.axisLabels(List.of(10, 50, 200), true));
    }

    @Test
    void addsDigitsUntilLabelsDiffer() {
        assertEquals(List.of("0.1", "0.1001"), Format.axisLabels(List.of(0.1, 0.1001), false));
    }

    @Test
    void formatsNumbers() {
        assertEquals("61", Format.cell(61.0));
        assertEquals("6.1", Format.cell(6.1000000000000005));
        assertEquals("0.0415", Format.cell(0.0415));
        assertEquals("1.23e5", Format.cell(123456));
        assertEquals("-2.5e-4", Format.cell(-2.5e-4));
        assertEquals("0", Format.cell(0));
        assertEquals("0.25", Format.tick(0.25, 0.05));
        assertEquals("20", Format.tick(20, 5));
        assertEquals("0.75", Format.tick(0.75, 0.25), "a step of 0.25 needs two decimals");
        assertEquals("1.00", Format.tick(1.0000000000000002, 0.25), "accumulated ticks print clean");
        assertEquals("1", Format.scientific(1.0, 3));
        assertEquals("1.39e-1", Format.scientific(0.1389, 3));
    }

    @Test
    void logTicksAreOneTwoFiveTimesPowersOfTen() {
        assertEquals(List.of(1.0, 2.0, 5.0, 10.0, 20.0, 50.0), Format.logTicks(0.79, 61));
        assertEquals(List.of(1e-3, 1e-2, 1e-1, 1.0), Format.logTicks(1e-3, 1.0));
        assertTrue(Format.logTicks(0, 10).isEmpty(), "no log ticks over a range that reaches 0");
    }
}
