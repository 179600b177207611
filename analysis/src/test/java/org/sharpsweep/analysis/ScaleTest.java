package org.sharpsweep.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The figure toolkit's axes: where values fall along a {@link Scale}, its ticks and their labels. */
class ScaleTest {
    /** Rounding of a few logarithms and divisions. */
    private static final double ROUNDING = 1e-12;

    @Test
    void linearIsTheGivenRangeWithNiceTicksInside() {
        Scale s = Scale.linear(0, 41.3, 6);
        assertEquals(10, s.step(), 0, "41.3 / 6 = 6.9, rounded up to 1, 2, 2.5, 5 or 10 times a power of ten");
        assertEquals(List.of(0.0, 10.0, 20.0, 30.0, 40.0), s.ticks());
        assertEquals(0, s.fraction(0), 0);
        assertEquals(1, s.fraction(41.3), ROUNDING);
        assertEquals(20 / 41.3, s.fraction(20), ROUNDING);
        assertEquals(List.of("-1.0", "-0.5", "0", "0.5", "1.0"),
                Scale.linear(-1, 1, 4).ticks().stream().map(Scale.linear(-1, 1, 4)::label).toList(), "as many decimals as the step");
        Scale flat = Scale.linear(3, 3, 5);
        assertEquals(List.of(3.0), flat.ticks(), "no range: one tick at the value");
        assertEquals(0.5, flat.fraction(3), 0, "and it sits in the middle");
        assertEquals("3", flat.label(3));
    }

    @Test
    void roundedEndsOnTicksWithRoomAboveTheLargestValue() {
        assertEquals(List.of(0.0, 5.0, 10.0, 15.0, 20.0, 25.0), Scale.rounded(1, 20, 6, 0.04).ticks(),
                "20 + 4% of 20 is past the tick 20: the axis ends on 25");
        double[][] cases = {{0, 100, 8, 0}, {1, 20, 6, 0.04}, {-3.2, 7.9, 6, 0.04}, {0.001, 0.0042, 5, 0.1}, {5, 5, 6, 0}};
        for (double[] c : cases) {
            Scale s = Scale.rounded(c[0], c[1], (int) c[2], c[3]);
            String at = "rounded" + java.util.Arrays.toString(c) + " = " + s;
            assertTrue(s.lo() <= Math.min(c[0], 0), at);
            assertTrue(s.hi() >= c[1] + c[3] * (c[1] - s.lo()) - ROUNDING, at);
            assertEquals(s.lo(), s.ticks().get(0), s.step() * ROUNDING, "the bottom is a tick: " + at);
            assertEquals(s.hi(), s.ticks().get(s.ticks().size() - 1), s.step() * ROUNDING, "the top is a tick: " + at);
        }
    }

    @Test
    void aLogAxisPutsTheGeometricMeanInTheMiddle() {
        Scale s = Scale.log(0.003, 270);
        assertTrue(s.log());
        assertEquals(0, s.fraction(0.003), ROUNDING);
        assertEquals(1, s.fraction(270), ROUNDING);
        assertEquals(0.5, s.fraction(Math.sqrt(0.003 * 270)), ROUNDING);
        for (double v : new double[] {0.01, 1, 42}) {
            assertEquals(Math.log(v / 0.003) / Math.log(270 / 0.003), s.fraction(v), ROUNDING, "ln(v / lo) / ln(hi / lo) at " + v);
            assertEquals(DiagramResult.fraction(v, 0.003, 270, true), s.fraction(v), 0, "what the diagram's result says it drew, at " + v);
        }
        assertEquals(List.of("0.001", "0.01", "0.1", "1"), Scale.log(0.001, 1).ticks().stream().map(Scale.log(0.001, 1)::label).toList(),
                "only the decades where 1, 2 and 5 times them are too many");
    }

    @Test
    void decadesRoundOutToPowersOfTen() {
        Scale s = Scale.decades(0.013, 42);
        assertEquals(0.01, s.lo(), 0);
        assertEquals(100, s.hi(), 0);
        Scale one = Scale.decades(10, 10);
        assertEquals(10, one.lo(), 0);
        assertEquals(100, one.hi(), 0, "a single value gets the decade above it");
        assertTrue(Scale.blank().ticks().isEmpty());
    }

    @Test
    void symlogIsOddMonotoneLinearInsideAndContinuousAtTheThreshold() {
        double c = 0.02;
        Scale.SymLog s = new Scale.SymLog(c);
        double prev = Double.NEGATIVE_INFINITY;
        for (int i = -4000; i <= 4000; i++) {
            double t = Math.signum(i) * c * Math.pow(10, Math.abs(i) / 1000.0 - 2); // |t| from c/100 to 100 c, both signs
            if (i == 0) t = 0;
            double u = s.apply(t);
            assertEquals(-u, s.apply(-t), 0, "odd at " + t);
            assertTrue(u > prev, "strictly increasing at " + t);
            prev = u;
            assertEquals(t, s.inverse(u), 1e-12 * Math.max(c, Math.abs(t)), "inverse at " + t);
            if (Math.abs(t) <= c) assertEquals(t / c, u, 1e-15, "linear inside at " + t);
            else assertEquals(Math.signum(t) * (1 + Math.log10(Math.abs(t) / c)), u, 1e-12, "a decade per unit beyond at " + t);
        }
        assertEquals(1.0, s.apply(c), 0);
        double eps = 1e-12;
        assertEquals(s.apply(c), s.apply(c * (1 + eps)), 1e-11, "continuous at the threshold from above");
        assertEquals(s.apply(c), s.apply(c * (1 - eps)), 1e-11, "and from below");
        assertEquals(2.0, s.apply(10 * c), 1e-15);
        assertEquals(0.0, s.apply(0), 0);
        assertEquals(0.002, Scale.SymLog.of(2.0).linthresh(), 1e-18, "1e-3 of the largest |t|");
        assertEquals(List.of(-1.0, -0.1, 0.0, 0.1, 1.0, 10.0), s.ticks(-1.5, 20), "0 and +-10^k from the threshold on");
        assertEquals(List.of("−1", "0", "0.01", "100", "1e5"),
                List.of(-1.0, 0.0, 0.01, 100.0, 1e5).stream().map(Scale.SymLog::tickLabel).toList());
        assertThrows(IllegalArgumentException.class, () -> new Scale.SymLog(0));
    }

}
