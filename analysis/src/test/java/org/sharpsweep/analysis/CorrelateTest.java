package org.sharpsweep.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The Spark-free part of {@link Correlate}: which rows and measures count, and the errors. */
class CorrelateTest {
    private static Map<String, Object> row(double lr, Double sharpness, Double gap, Double norm) {
        Map<String, Object> m = new HashMap<>();
        m.put("lr", lr);
        m.put("sharpness", sharpness);
        m.put("gen_gap_loss", gap);
        m.put("param_norm", norm);
        return m;
    }

    @Test
    void leavesOutNullAndNaNPerMeasureAndDefaultMeasuresWithoutValues() {
        List<Map<String, Object>> rows = new ArrayList<>(List.of(row(0.1, 1.0, 1.0, null), row(0.2, 2.0, 2.0, null),
                row(0.3, Double.NaN, 3.0, null), row(0.4, 4.0, null, 1.0)));
        Correlate.Result r = Correlate.of(rows, List.of("lr"), List.of(), "gen_gap_loss", List.of("sharpness", "param_norm"), false, 6);
        assertEquals(1, r.lines().size());
        Correlate.Line l = r.lines().get(0);
        assertEquals("sharpness", l.measure());
        assertEquals(2, l.result().n(), "rows 0 and 1: row 2 has a NaN measure, row 3 a null target");
        assertEquals(2, l.leftOut());
        assertEquals(1.0, l.result().tau(), 0);
        assertEquals(List.of("param_norm"), r.noValues(), "one point with both values");
        assertEquals(2, r.notOk(), "6 selected, 4 OK");
    }

    @Test
    void aNamedMeasureWithoutTwoPointsIsAnErrorNamingIt() {
        List<Map<String, Object>> rows = List.of(row(0.1, 1.0, 1.0, null), row(0.2, 2.0, 2.0, 5.0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Correlate.of(rows, List.of("lr"), List.of(), "gen_gap_loss", List.of("param_norm"), true, 2));
        assertTrue(e.getMessage().contains("'param_norm'") && e.getMessage().contains("1 point"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Correlate.of(List.of(), List.of(), List.of(), "gen_gap_loss", List.of("sharpness"), false, 3));
    }

    @Test
    void optionsRefuseUnknownColumnsAndTheTargetAsAMeasure() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Correlate.Options("nosuch", List.of(), null));
        assertTrue(e.getMessage().contains("'nosuch'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Correlate.Options("gen_gap_loss", List.of("sharpness", "lr"), null));
        assertTrue(e.getMessage().contains("'lr'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Correlate.Options("gen_gap_loss", List.of("gen_gap_loss"), null));
        assertTrue(e.getMessage().contains("target"), e.getMessage());
        assertTrue(Correlate.DEFAULT_MEASURES.stream().allMatch(Query.metricColumns()::contains), "defaults are result columns");
    }
}
