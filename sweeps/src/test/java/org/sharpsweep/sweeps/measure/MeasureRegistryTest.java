package org.sharpsweep.sweeps.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.sharpsweep.sweeps.GridPoint;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.Setting;
import org.sharpsweep.sweeps.SpecException;
import org.sharpsweep.sweeps.SweepSpec;

/**
 * What a measure's one declaration gives it everywhere: its settings parse under {@code measure:},
 * are checked, round-trip through the YAML, are columns and never enter a point id; its columns
 * are in the results table (and the trajectories table when it runs along training) with their
 * labels; settings stay unique after serialization.
 */
class MeasureRegistryTest {
    private static final String BASE = """
            name: r
            data: {dataset: teacher, input_dim: 3, n_train: 20, n_test: 10}
            model: {width: 4}
            train: {steps: 5}
            """;

    @Test
    void everyDeclaredColumnIsATableColumnWithItsLabel() {
        Set<String> seen = new HashSet<>();
        for (Measure m : Measures.all()) {
            for (ResultSchema.Column c : m.columns()) {
                assertTrue(seen.add(c.name()), c.name() + " declared once");
                assertEquals(c, ResultSchema.RESULTS.column(c.name()), m.name() + ": " + c.name() + " in results");
                if (c.label() != null) assertEquals(c.label(), ResultSchema.label(c.name()));
            }
            for (ResultSchema.Column c : m.along()) {
                assertEquals(c, ResultSchema.TRAJECTORIES.column(c.name()), m.name() + ": " + c.name() + " in trajectories");
            }
            for (Setting s : m.settings()) {
                assertTrue(s.isMeasurement() && !s.inPointId() && !s.isAxis(), s.path());
                assertNotNull(ResultSchema.RESULTS.column(s.shortName), s.shortName + " is a column");
            }
        }
    }

    @Test
    void aMeasuresSettingsParseRoundTripAndLeaveThePointIdAlone() {
        SweepSpec plain = SweepSpec.parse(BASE);
        SweepSpec adaptive = SweepSpec.parse(BASE + "measure: {adaptive: true, trace_tol: 0.05}\n");
        GridPoint p = adaptive.point(0);
        assertTrue(p.spec().measure().on(Measures.ADAPTIVE));
        assertFalse(plain.point(0).spec().measure().on(Measures.ADAPTIVE), "off by default");
        assertEquals(0.05, p.spec().measure().doubleValue(Measures.TRACE_TOL));
        assertEquals(adaptive, SweepSpec.parse(adaptive.toYaml()), "round trip");
        assertFalse(plain.toYaml().contains("adaptive"), "left out of the YAML at its default, so older specs read the same");
        assertEquals(plain.point(0).pointId(), p.pointId(), "measuring is not training");
    }

    @Test
    void aMeasuresOptionsMayBeAMapUnderItsSwitch() {
        SweepSpec nested = SweepSpec.parse(BASE + "measure: {m_sharpness: {rho: 0.05, m: 8, adaptive: true, norm: l2, iters: 5, samples: 16}}\n");
        SweepSpec flat = SweepSpec.parse(BASE + "measure: {m_sharpness: true, m_sharpness_rho: 0.05, m_sharpness_m: 8, "
                + "m_sharpness_adaptive: true, m_sharpness_norm: l2, m_sharpness_iters: 5, m_sharpness_samples: 16}\n");
        assertEquals(flat, nested, "the map is the flat settings");
        assertEquals(nested, SweepSpec.parse(nested.toYaml()), "round trip (the YAML writes the flat keys)");
        var m = nested.point(0).spec().measure();
        assertTrue(m.on(Measures.M_SHARPNESS_MEASURE));
        assertEquals(0.05, m.doubleValue(Measures.M_SHARPNESS_RHO));
        assertEquals("l2", m.get(Measures.M_SHARPNESS_NORM));
        SweepSpec defaults = SweepSpec.parse(BASE + "measure: {m_sharpness: {}}\n");
        assertEquals(SweepSpec.parse(BASE + "measure: {m_sharpness: true}\n"), defaults, "an empty map: on, with the defaults");
        var d = defaults.point(0).spec().measure();
        assertEquals(0.1, d.doubleValue(Measures.M_SHARPNESS_RHO), "Andriushchenko et al.'s default rho");
        assertEquals(128, d.intValue(Measures.M_SHARPNESS_M), "their default m");
        assertEquals("linf", d.get(Measures.M_SHARPNESS_NORM), "their default algorithm m_apgd_linf");
        assertEquals(20, d.intValue(Measures.M_SHARPNESS_ITERS));
        assertEquals(1024, d.intValue(Measures.M_SHARPNESS_SAMPLES));
        assertEquals(SweepSpec.parse(BASE + "measure: {trace: true, trace_tol: 0.01}\n"),
                SweepSpec.parse(BASE + "measure: {trace: {tol: 0.01}}\n"), "any measure with options named after its switch");
        assertFalse(SweepSpec.parse(BASE).toYaml().contains("m_sharpness"), "left out at the defaults");
        assertEquals(SweepSpec.parse(BASE).point(0).pointId(), nested.point(0).pointId(), "measuring is not training");
    }

    @Test
    void aDataParallelPointRefusesTheMeasuresThatNeedTheTrainingRows() {
        String parallel = BASE.replace("train: {steps: 5}", "train: {steps: 5, parallel: data, workers: 2, batch_size: 10}");
        SweepSpec.parse(parallel + "measure: {adaptive: true}\n"); // made of the curvature's sums: fine
        for (String m : java.util.List.of("m_sharpness", "pacbayes", "batch_sharpness")) {
            SpecException e = assertThrows(SpecException.class, () -> SweepSpec.parse(parallel + "measure: {" + m + ": true}\n"));
            assertTrue(e.getMessage().contains("measure." + m) && e.getMessage().contains("train.parallel: data"), e.getMessage());
        }
    }

    @Test
    void batchSharpnessRunsAlongTrainingAndCountsItsMinibatches() {
        assertTrue(Measures.BATCH_SHARPNESS_MEASURE.alongTraining() && Measures.BATCH_SHARPNESS_MEASURE.rows());
        var m = SweepSpec.parse(BASE + "measure: {batch_sharpness: {batches: 8}, every: 2}\n").point(0).spec().measure();
        assertTrue(m.on(Measures.BATCH_SHARPNESS_MEASURE) && m.anyAlongTraining());
        assertEquals(8, m.intValue(Measures.BATCH_SHARPNESS_BATCHES));
        assertEquals(32, SweepSpec.parse(BASE + "measure: {batch_sharpness: true}\n").point(0).spec().measure()
                .intValue(Measures.BATCH_SHARPNESS_BATCHES), "the default (docs/science.md, batch sharpness)");
        SpecException e = assertThrows(SpecException.class, () -> SweepSpec.parse(BASE + "measure: {batch_sharpness: {batches: 0}}\n"));
        assertTrue(e.getMessage().contains("measure.batch_sharpness.batches") && e.getMessage().contains(">= 1, got 0"), e.getMessage());
    }

    @Test
    void aBadValueIsRefusedNamingTheSettingAndTheValue() {
        SpecException e = assertThrows(SpecException.class, () -> SweepSpec.parse(BASE + "measure: {trace_tol: 2.0}\n"));
        assertTrue(e.getMessage().contains("measure.trace_tol") && e.getMessage().contains("2.0"), e.getMessage());
        e = assertThrows(SpecException.class, () -> SweepSpec.parse(BASE + "measure: {adaptive: 3}\n"));
        assertTrue(e.getMessage().contains("measure.adaptive"), e.getMessage());
        e = assertThrows(SpecException.class, () -> SweepSpec.parse(BASE + "measure: {top_k: 200}\n"));
        assertTrue(e.getMessage().contains("measure.top_k 200") && e.getMessage().contains("max_iters"), e.getMessage());
    }

    @Test
    void aSettingIsUniqueAfterSerialization() throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(Measures.ADAPTIVE_ON);
            out.writeObject(Setting.LR);
        }
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            assertSame(Measures.ADAPTIVE_ON, in.readObject());
            assertSame(Setting.LR, in.readObject());
        }
    }

    @Test
    void rowsFromBeforeTheTraceDeflationReadAsPlainHutchinson() {
        assertEquals(0, Measures.TRACE_DEFLATE.defaultForOlderRows(), "older traces took no Krylov vectors out");
        assertEquals(100, Measures.TRACE_MAX_PROBES.defaultForOlderRows(), "the cap was 100 before it was a setting");
    }
}
