package org.sharpsweep.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Jiang et al.'s granulated Kendall coefficient (2019, "Fantastic generalization measures and
 * where to find them", section 6): does a measure rank points by their target when
 * one hyperparameter changes and the others stay put?
 *
 * <p>For a grid axis i, a <em>combination</em> is one set of values of every other axis (and of
 * every held-fixed column, see below); its points differ only in axis i. With tau the
 * {@linkplain Kendall#tauB Kendall tau-b} of the measure against the target over those points,
 * <pre>
 *   psi_i = mean over the combinations of the other axes of tau(combination)
 *   Psi   = mean over the axes i of psi_i
 * </pre>
 * Conventions where the paper's full grid does not hold: a combination with fewer than 2 points
 * (a missing grid point) and one whose tau-b is undefined (the measure or the target constant
 * on it) is skipped; psi_i is NaN if no combination is left, and Psi is the mean over the axes
 * whose psi_i is defined (NaN if none). Values are matched with {@link Object#equals}, null
 * included, so 0.1 as a Double and as a Float are different values.
 *
 * <p>Held-fixed columns (the seed {@code replicate} in {@link Correlate}) are part of every
 * combination but have no psi of their own: points that differ in axis i <em>and</em> in the
 * seed are never compared, and psi_i also averages over seeds. Stateless and thread-safe.
 */
public final class GranulatedKendall {
    private GranulatedKendall() {
    }

    /**
     * @param tau          tau-b over all n points
     * @param n            number of points
     * @param psi          psi_i per axis, in the order the axes were given (NaN where no combination counted)
     * @param combinations number of combinations psi_i is the mean of, per axis
     * @param psiMean      Psi, the mean of the defined psi_i
     */
    public record Result(double tau, int n, Map<String, Double> psi, Map<String, Integer> combinations, double psiMean) {
    }

    /**
     * The coefficients of {@code measure} against {@code target} over points whose settings are
     * {@code settings} (one map per point, same order as the arrays).
     *
     * @param axes      the grid axes; each gets a psi
     * @param heldFixed columns that are part of every combination but get no psi
     * @throws IllegalArgumentException if lengths differ, a column is named twice, or a value is NaN
     */
    public static Result of(List<Map<String, Object>> settings, List<String> axes, List<String> heldFixed, double[] measure, double[] target) {
        int n = settings.size();
        if (measure.length != n || target.length != n) {
            throw new IllegalArgumentException("settings, measure and target must have the same length, got " + n + ", " + measure.length
                    + " and " + target.length);
        }
        List<String> all = new ArrayList<>(axes);
        all.addAll(heldFixed);
        HashSet<String> seen = new HashSet<>();
        for (String c : all) if (!seen.add(c)) throw new IllegalArgumentException("column " + c + " is named twice among the axes and held-fixed columns");

        Map<String, Double> psi = new LinkedHashMap<>();
        Map<String, Integer> used = new LinkedHashMap<>();
        double sum = 0;
        int defined = 0;
        for (String axis : axes) {
            List<String> others = new ArrayList<>(all);
            others.remove(axis);
            Map<List<Object>, List<Integer>> groups = new LinkedHashMap<>();
            for (int p = 0; p < n; p++) {
                Object[] key = new Object[others.size()];
                for (int k = 0; k < key.length; k++) key[k] = settings.get(p).get(others.get(k));
                groups.computeIfAbsent(Arrays.asList(key), k -> new ArrayList<>()).add(p);
            }
            double s = 0;
            int count = 0;
            for (List<Integer> g : groups.values()) {
                if (g.size() < 2) continue;
                double tau = Kendall.tauB(g.stream().mapToDouble(i -> measure[i]).toArray(), g.stream().mapToDouble(i -> target[i]).toArray());
                if (Double.isNaN(tau)) continue;
                s += tau;
                count++;
            }
            double psiI = count == 0 ? Double.NaN : s / count;
            psi.put(axis, psiI);
            used.put(axis, count);
            if (count > 0) {
                sum += psiI;
                defined++;
            }
        }
        return new Result(Kendall.tauB(measure, target), n, Collections.unmodifiableMap(psi), Collections.unmodifiableMap(used),
                defined == 0 ? Double.NaN : sum / defined);
    }
}
