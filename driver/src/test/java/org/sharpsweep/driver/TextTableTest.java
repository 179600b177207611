package org.sharpsweep.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** How {@code sharpsweep sql} prints numbers: six significant digits, no trailing zeros. */
class TextTableTest {
    @Test
    void numbersAreShortAndExact() {
        assertEquals("20", TextTable.format(20.0));
        assertEquals("0.00534381", TextTable.format(0.005343812));
        assertEquals("9e-05", TextTable.format(9.0e-5));
        assertEquals("1.5e-07", TextTable.format(1.5e-7));
        assertEquals("1.23457e+15", TextTable.format(1.2345678e15));
        assertEquals("-0.25", TextTable.format(-0.25));
        assertEquals("NaN", TextTable.format(Double.NaN));
        assertEquals("null", TextTable.format(null));
        assertEquals("7", TextTable.format(7));
    }
}
