package org.sharpsweep.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** {@link GranulatedKendall} against a worked example and a pairwise brute force. */
class KendallGranulatedTest {
    static final double SUM_ORDER_TOLERANCE = 1e-12;

    private static Map<String, Object> point(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    @Test
    void handWorkedPsiOnAThreeByTwoGridWithOneLonePoint() {
        // axes a in {1, 2, 3}, b in {1, 2, 3}; seven points (a, b): measure m, target t
        List<Map<String, Object>> s = List.of(point("a", 1, "b", 1), point("a", 2, "b", 1), point("a", 3, "b", 1),
                point("a", 1, "b", 2), point("a", 2, "b", 2), point("a", 3, "b", 2), point("a", 1, "b", 3));
        double[] m = {1, 2, 3, 4, 5, 6, 7};
        double[] t = {1, 3, 2, 5, 6, 4.5, 8};
        GranulatedKendall.Result r = GranulatedKendall.of(s, List.of("a", "b"), List.of(), m, t);
        // psi_a, over the values of b:
        //   b = 1: m 1 2 3, t 1 3 2: pairs C C D, tau = 1/3
        //   b = 2: m 4 5 6, t 5 6 4.5: pairs C D D, tau = -1/3
        //   b = 3: one point, skipped
        //   psi_a = (1/3 - 1/3) / 2 = 0 over 2 combinations
        assertEquals(0.0, r.psi().get("a"), SUM_ORDER_TOLERANCE);
        assertEquals(2, r.combinations().get("a"));
        // psi_b, over the values of a:
        //   a = 1: m 1 4 7, t 1 5 8: tau = 1; a = 2: m 2 5, t 3 6: 1; a = 3: m 3 6, t 2 4.5: 1
        //   psi_b = 1 over 3 combinations
        assertEquals(1.0, r.psi().get("b"), SUM_ORDER_TOLERANCE);
        assertEquals(3, r.combinations().get("b"));
        // Psi = (0 + 1) / 2
        assertEquals(0.5, r.psiMean(), SUM_ORDER_TOLERANCE);
        assertEquals(7, r.n());
        // tau over all 7 points: m is 1..7 in order, t = 1 3 2 5 6 4.5 8; discordant pairs (3,2), (5,4.5),
        // (6,4.5): nc = 21 - 3 = 18, no ties: tau = (18 - 3) / 21 = 5/7
        assertEquals(5.0 / 7, r.tau(), SUM_ORDER_TOLERANCE);
    }

    @Test
    void aHeldFixedColumnSplitsCombinationsButHasNoPsi() {
        // two replicates of a 2-point lr axis; per replicate the measure agrees, pooled it would not
        List<Map<String, Object>> s = List.of(point("lr", 0.1, "replicate", 0), point("lr", 0.2, "replicate", 0),
                point("lr", 0.1, "replicate", 1), point("lr", 0.2, "replicate", 1));
        double[] m = {1, 2, 10, 20};
        double[] t = {5, 6, 1, 2};
        GranulatedKendall.Result r = GranulatedKendall.of(s, List.of("lr"), List.of("replicate"), m, t);
        assertEquals(Set.of("lr"), r.psi().keySet());
        assertEquals(1.0, r.psi().get("lr"), 0, "each replicate: m and t both rise with lr");
        assertEquals(2, r.combinations().get("lr"));
        assertEquals(1.0, r.psiMean(), 0);
        // pooled: pairs (0,1) C, (0,2) D, (0,3) D, (1,2) D, (1,3) D, (2,3) C: (2 - 4) / 6
        assertEquals(-1.0 / 3, r.tau(), SUM_ORDER_TOLERANCE);
    }

    @Test
    void combinationsWhereTauIsUndefinedAreSkippedAndAnAxisWithNoneIsNaN() {
        // b never varies with a held: every b-combination is one point, so psi_b is undefined
        List<Map<String, Object>> s = List.of(point("a", 1, "b", 1), point("a", 2, "b", 1), point("a", 3, "b", 2),
                point("a", 4, "b", 2));
        double[] m = {1, 2, 3, 3}; // constant within b = 2: tau undefined there
        double[] t = {1, 2, 5, 6};
        GranulatedKendall.Result r = GranulatedKendall.of(s, List.of("a", "b"), List.of(), m, t);
        assertEquals(1.0, r.psi().get("a"), 0);
        assertEquals(1, r.combinations().get("a"));
        assertTrue(Double.isNaN(r.psi().get("b")));
        assertEquals(0, r.combinations().get("b"));
        assertEquals(1.0, r.psiMean(), 0, "Psi is the mean over the axes where psi is defined");
    }

    @Test
    void refusesMismatchedInput() {
        List<Map<String, Object>> s = List.of(point("a", 1), point("a", 2));
        assertThrows(IllegalArgumentException.class, () -> GranulatedKendall.of(s, List.of("a"), List.of(), new double[] {1}, new double[] {1, 2}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GranulatedKendall.of(s, List.of("a", "a"), List.of(), new double[] {1, 2}, new double[] {1, 2}));
        assertTrue(e.getMessage().contains("a"), e.getMessage());
    }

    @Test
    void agreesWithAPairwiseBruteForceOnRandomGrids() {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        for (int trial = 0; trial < 300; trial++) {
            String where = "seed " + seed + ", trial " + trial;
            int axes = 1 + rnd.nextInt(3);
            List<String> names = new ArrayList<>();
            for (int i = 0; i < axes; i++) names.add("x" + i);
            int[] sizes = new int[axes];
            for (int i = 0; i < axes; i++) sizes[i] = 1 + rnd.nextInt(4);
            int replicates = 1 + rnd.nextInt(2);
            List<Map<String, Object>> settings = new ArrayList<>();
            List<Double> ms = new ArrayList<>(), ts = new ArrayList<>();
            int total = replicates;
            for (int size : sizes) total *= size;
            for (int k = 0; k < total; k++) {
                if (rnd.nextInt(4) == 0) continue; // a missing point of the grid
                Map<String, Object> p = new HashMap<>();
                int rest = k;
                for (int i = 0; i < axes; i++) {
                    int v = rest % sizes[i];
                    rest /= sizes[i];
                    p.put(names.get(i), i == 1 ? (Object) ("v" + v) : (Object) (0.1 * v)); // strings and numbers
                }
                p.put("replicate", rest);
                settings.add(p);
                ms.add((double) rnd.nextInt(5)); // ties within and across combinations
                ts.add(rnd.nextInt(3) == 0 ? ms.get(ms.size() - 1) : rnd.nextInt(6));
            }
            double[] m = ms.stream().mapToDouble(Double::doubleValue).toArray();
            double[] t = ts.stream().mapToDouble(Double::doubleValue).toArray();
            GranulatedKendall.Result r = GranulatedKendall.of(settings, names, List.of("replicate"), m, t);
            assertSame(KendallTest.bruteForce(m, t), r.tau(), where + ": tau");
            assertEquals(m.length, r.n(), where);
            double sum = 0;
            int defined = 0;
            for (String axis : names) {
                double[] expected = bruteForcePsi(settings, names, axis, m, t);
                assertSame(expected[0], r.psi().get(axis), where + ": psi_" + axis);
                assertEquals((int) expected[1], r.combinations().get(axis), where + ": combinations of " + axis);
                if (!Double.isNaN(expected[0])) {
                    sum += expected[0];
                    defined++;
                }
            }
            assertSame(defined == 0 ? Double.NaN : sum / defined, r.psiMean(), where + ": Psi");
        }
    }

    private static void assertSame(double expected, double actual, String where) {
        if (Double.isNaN(expected)) assertTrue(Double.isNaN(actual), where + ": expected NaN, got " + actual);
        else assertEquals(expected, actual, SUM_ORDER_TOLERANCE, where);
    }

    /**
     * psi of one axis by the definition, pairwise: the group of point p is every point equal to
     * p in all other axes and the replicate (found by comparing every pair, no hashing); each
     * distinct group of at least 2 points with a defined tau-b counts once. Returns {psi, groups}.
     */
    private static double[] bruteForcePsi(List<Map<String, Object>> settings, List<String> axes, String axis, double[] m, double[] t) {
        List<String> others = new ArrayList<>(axes);
        others.remove(axis);
        others.add("replicate");
        Set<List<Integer>> groups = new LinkedHashSet<>();
        for (int p = 0; p < settings.size(); p++) {
            List<Integer> g = new ArrayList<>();
            for (int q = 0; q < settings.size(); q++) {
                boolean same = true;
                for (String o : others) same &= settings.get(p).get(o).equals(settings.get(q).get(o));
                if (same) g.add(q);
            }
            groups.add(g);
        }
        double sum = 0;
        int used = 0;
        for (List<Integer> g : groups) {
            if (g.size() < 2) continue;
            double[] gm = g.stream().mapToDouble(i -> m[i]).toArray(), gt = g.stream().mapToDouble(i -> t[i]).toArray();
            double tau = KendallTest.bruteForce(gm, gt);
            if (Double.isNaN(tau)) continue;
            sum += tau;
            used++;
        }
        return new double[] {used == 0 ? Double.NaN : sum / used, used};
    }
}
