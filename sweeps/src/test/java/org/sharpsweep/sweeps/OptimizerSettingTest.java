package org.sharpsweep.sweeps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 20's settings: {@code train.optimizer} (sgd | sam), {@code train.sam_rho} and
 * {@code train.sam_adaptive}. A spec that does not name them means what it meant (ids pinned by
 * {@link PointIdPinTest}, and below against the text of the id); a SAM point is another point;
 * the SAM settings apply to sam points only, as the conv settings to cnns.
 */
class OptimizerSettingTest {
    private static final String BASE = "name: s\nseed: 3\ndata: {n_train: 40}\n";

    private static SweepSpec spec(String train, String grid) {
        return SweepSpec.parse(BASE + "train: " + train + "\n" + (grid.isEmpty() ? "" : "grid:\n" + grid));
    }

    private static String refused(String yaml) {
        return assertThrows(SpecException.class, () -> SweepSpec.parse(yaml), yaml).getMessage();
    }

    @Test
    void defaultsAreSgdAndStayOutOfYamlAndIds() {
        SweepSpec plain = spec("{steps: 10}", "");
        TrainSpec t = plain.point(0).spec().train();
        assertEquals(Optimizer.SGD, t.optimizer());
        assertFalse(t.sam());
        assertEquals(0.05, Defaults.SAM_RHO);
        assertFalse(Defaults.SAM_ADAPTIVE);
        assertFalse(plain.toYaml().contains("optimizer"), plain.toYaml());
        assertFalse(plain.toYaml().contains("sam_"), plain.toYaml());
        // the id text holds no trace of the new settings: every id of a spec without them is unchanged
        String text = PointIds.canonical(plain.point(0).spec(), 3, 0);
        assertEquals("n_train=40;steps=10;sweep_seed=3;replicate=0;", text);
        assertEquals(spec("{steps: 10, optimizer: sgd}", "").point(0).pointId(), plain.point(0).pointId());
    }

    @Test
    void aSamPointIsAnotherPointAndRoundTrips() {
        SweepSpec sam = spec("{steps: 10, optimizer: sam, sam_rho: 0.1, sam_adaptive: true}", "");
        TrainSpec t = sam.point(0).spec().train();
        assertTrue(t.sam());
        assertEquals(0.1, t.samRho());
        assertTrue(t.samAdaptive());
        assertEquals(sam, SweepSpec.parse(sam.toYaml()));
        assertEquals("n_train=40;optimizer=sam;sam_adaptive=true;sam_rho=0.1;steps=10;sweep_seed=3;replicate=0;",
                PointIds.canonical(sam.point(0).spec(), 3, 0));
        // sam at the default rho, Euclidean: only the optimizer enters the id
        SweepSpec plainSam = spec("{steps: 10, optimizer: sam}", "");
        assertEquals("n_train=40;optimizer=sam;steps=10;sweep_seed=3;replicate=0;", PointIds.canonical(plainSam.point(0).spec(), 3, 0));
        assertEquals(plainSam, SweepSpec.parse(plainSam.toYaml()));
        assertNotEquals(plainSam.point(0).pointId(), spec("{steps: 10}", "").point(0).pointId());
    }

    @Test
    void theOptimizerIsAGridAxisOfDistinctPoints() {
        SweepSpec g = spec("{steps: 10, sam_rho: 0.2}", "  optimizer: [sgd, sam]\n  lr: [0.1, 0.2]\n");
        assertEquals(4, g.points().size());
        Set<String> ids = new HashSet<>();
        for (GridPoint p : g.points()) ids.add(p.pointId());
        assertEquals(4, ids.size());
        PointSpec sgd = g.point(0).spec(), sam = g.point(2).spec();
        assertEquals(Optimizer.SGD, sgd.train().optimizer());
        assertEquals(Optimizer.SAM, sam.train().optimizer());
        // the sgd points drop the SAM settings (their default, a null column); the sam points keep them
        assertEquals(Defaults.SAM_RHO, sgd.train().samRho());
        assertFalse(Setting.SAM_RHO.appliesTo(sgd));
        assertFalse(Setting.SAM_ADAPTIVE.appliesTo(sgd));
        assertEquals(0.2, sam.train().samRho());
        assertTrue(Setting.SAM_RHO.appliesTo(sam));
        assertTrue(Setting.OPTIMIZER.appliesTo(sgd));
        assertEquals(spec("{steps: 10}", "  lr: [0.1, 0.2]\n").point(0).pointId(), g.point(0).pointId(),
                "an sgd point of the grid is the point of a spec that never named SAM");
        assertEquals(g, SweepSpec.parse(g.toYaml()));
    }

    @Test
    void samRhoIsAGridAxis() {
        SweepSpec g = spec("{steps: 10, optimizer: sam}", "  sam_rho: {from: 0.01, to: 1, num: 3, scale: log}\n  sam_adaptive: [false, true]\n");
        assertEquals(6, g.points().size());
        assertEquals(0.1, g.point(2).spec().train().samRho());
        assertTrue(g.point(3).spec().train().samAdaptive());
    }

    @Test
    void samSettingsWhereNoPointIsSamAreRefused() {
        String m = refused(BASE + "train: {steps: 10,\n  sam_rho: 0.1}\n");
        assertTrue(m.contains("train.sam_rho applies to optimizer sam only; add train.optimizer: sam (line 5"), m);
        assertTrue(m.contains("every point of this spec trains with optimizer sgd"), m);
        // at its default too: the user wrote it, so meant sam
        String d = refused(BASE + "train: {optimizer: sgd, sam_adaptive: false}\n");
        assertTrue(d.contains("train.sam_adaptive applies to optimizer sam only; add train.optimizer: sam"), d);
        String g = refused(BASE + "grid: {sam_rho: [0.05, 0.1]}\n");
        assertTrue(g.contains("grid.sam_rho varies train.sam_rho, which applies to optimizer sam only; add train.optimizer: sam"), g);
        // the Java API
        SweepSpec ok = spec("{steps: 10}", "");
        Settings wrong = ok.settings().with(Setting.SAM_RHO, 0.2);
        String api = assertThrows(SpecException.class, () -> new SweepSpec("a", 1, wrong, ok.grid())).getMessage();
        assertTrue(api.contains("train.sam_rho applies to optimizer sam only"), api);
    }

    @Test
    void aGridOverTheOptimizerAndRhoNamesTheSameSgdPointTwice() {
        String m = refused(BASE + "grid:\n  optimizer: [sgd, sam]\n  sam_rho: [0.05, 0.1]\n");
        assertTrue(m.contains("are the same computation"), m);
        assertTrue(m.contains("sam_rho and sam_adaptive nothing for optimizer sgd"), m);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "optimizer: adam      | train.optimizer must be one of sgd | sam, got 'adam'",
            "sam_rho: 0           | train.sam_rho must be > 0 and finite, got 0.0",
            "sam_rho: -0.1        | train.sam_rho must be > 0 and finite, got -0.1",
            "sam_rho: .nan        | train.sam_rho must be a finite number",
            "sam_rho: .inf        | train.sam_rho must be a finite number",
            "sam_rho: big         | train.sam_rho must be a number, got 'big'",
            "sam_adaptive: maybe  | train.sam_adaptive must be true or false",
    })
    void outOfRangeValuesAreRefusedNamingFieldAndValue(String setting, String message) {
        String m = refused(BASE + "train: {" + (setting.startsWith("optimizer") ? "" : "optimizer: sam, ") + setting + "}\n");
        assertTrue(m.contains(message), m);
    }

    @Test
    void dataParallelSamIsRefused() {
        String m = refused(BASE + "train: {optimizer: sam, parallel: data, workers: 2, batch_size: 20}\n");
        assertTrue(m.contains("train.parallel: data cannot train this point: train.optimizer sam"), m);
        // sgd points of the same grid are fine data-parallel; the sam one names itself
        String g = refused(BASE + "train: {parallel: data, workers: 2, batch_size: 20}\ngrid: {optimizer: [sgd, sam]}\n");
        assertTrue(g.contains("grid point 1 {optimizer=sam}"), g);
        assertTrue(g.contains("train.optimizer sam"), g);
    }

    @Test
    void registryAndColumns() {
        for (Setting s : List.of(Setting.OPTIMIZER, Setting.SAM_RHO, Setting.SAM_ADAPTIVE)) {
            assertTrue(s.isAxis(), s + " is a grid axis");
            assertTrue(s.inPointId(), s + " is in point ids");
            assertTrue(s.omittedAtDefault, s + " stays out of the YAML at its default");
            assertTrue(ResultSchema.RESULTS.column(s.shortName) != null, s + " has a results column");
            assertEquals("train." + s.key, s.path());
        }
        assertEquals(ResultSchema.Type.STRING, Setting.OPTIMIZER.columnType());
        assertEquals(ResultSchema.Type.DOUBLE, Setting.SAM_RHO.columnType());
        assertEquals(ResultSchema.Type.BOOLEAN, Setting.SAM_ADAPTIVE.columnType());
        // rows written before the settings existed were sgd; their rho column is null (it does not apply to sgd)
        assertEquals("sgd", Setting.OPTIMIZER.defaultForOlderRows());
        assertNull(Setting.SAM_RHO.defaultForOlderRows());
        assertNull(Setting.SAM_ADAPTIVE.defaultForOlderRows());
        assertTrue(MemoryEstimate.INPUTS.contains(Setting.OPTIMIZER));
    }

    /** SAM holds one more vector of P values in the training type (the perturbed parameters). */
    @Test
    void memoryEstimateCountsThePerturbedParameters() {
        PointSpec sgd = spec("{steps: 10}", "").point(0).spec();
        PointSpec sam = spec("{steps: 10, optimizer: sam}", "").point(0).spec();
        assertEquals(8 * sgd.numParams(), MemoryEstimate.of(sam).bytes() - MemoryEstimate.of(sgd).bytes());
    }
}
