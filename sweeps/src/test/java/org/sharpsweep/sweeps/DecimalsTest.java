package org.sharpsweep.sweeps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The canonical decimals that point ids are written with, and range rounding. */
class DecimalsTest {

    @Test
    void shortestDecimals() {
        assertEquals("0.1", Decimals.shortest(0.1));
        assertEquals("1", Decimals.shortest(1.0));
        assertEquals("1000", Decimals.shortest(1000.0));
        assertEquals("0.0001", Decimals.shortest(1e-4));
        assertEquals("-2.5", Decimals.shortest(-2.5));
        assertEquals("0.30000000000000004", Decimals.shortest(0.1 + 0.2));
        assertEquals("1E+31", Decimals.shortest(1e31));
        assertEquals("0", Decimals.shortest(0.0));
        assertEquals("0.0316227766016838", Decimals.shortest(Math.sqrt(10) / 100));
    }

    /**
     * Against the definition (the fewest significant digits that read back, nearest first),
     * searched from 1 digit up; prints its seed on failure.
     */
    @Test
    void shortestIsTheShortestThatReadsBack() {
        long seed = 77L;
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < 4_000; i++) {
            double x = i % 2 == 0 ? Double.longBitsToDouble(rng.nextLong() & 0x7fefffffffffffffL) : rng.nextDouble() * Math.pow(10, rng.nextInt(-8, 8));
            BigDecimal exact = new BigDecimal(x);
            BigDecimal expected = null;
            for (int p = 1; p <= 17 && expected == null; p++) {
                BigDecimal c = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
                if (c.doubleValue() == x) expected = c.stripTrailingZeros();
            }
            BigDecimal got = new BigDecimal(Decimals.shortest(x));
            assertEquals(0, expected.compareTo(got), "seed " + seed + ": " + x);
            assertEquals(x, Double.parseDouble(Decimals.shortest(x)), "seed " + seed);
        }
    }

    /** The fast path of roundRange against BigDecimal's rounding to 12 digits; prints its seed on failure. */
    @Test
    void rangeRoundingIsDecimalRounding() {
        long seed = 78L;
        SplittableRandom rng = new SplittableRandom(seed);
        MathContext twelve = new MathContext(12, RoundingMode.HALF_EVEN);
        for (int i = 0; i < 50_000; i++) {
            double x = (rng.nextBoolean() ? 1 : -1) * rng.nextDouble() * Math.pow(10, rng.nextInt(-10, 10));
            if (i % 4 == 0) x = Math.pow(10, rng.nextInt(-9, 9)) * (1 + (rng.nextInt(3) - 1) * Math.ulp(1.0)); // near powers of ten
            if (i % 4 == 1) x = (Math.floor(x * 1e6) + 0.5) / 1e6; // near ties
            assertEquals(new BigDecimal(x).round(twelve).doubleValue(), Decimals.roundRange(x), "seed " + seed + ": " + x);
        }
    }

    @Test
    void rangeValuesRoundToTwelveDigits() {
        assertEquals(0.1, Decimals.roundRange(0.10000000000000002));
        assertEquals(0.0316227766017, Decimals.roundRange(0.0316227766016838));
        assertTrue(Decimals.roundRange(123456.78901234567) == 123456.789012);
    }
}
