package org.sharpsweep.sweeps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

import org.junit.jupiter.api.Test;
import org.sharpsweep.sweeps.measure.Measures;

/** The one form of a point's settings: a value per setting of the registry, checked as it is put in. */
class SettingsTest {

    @Test
    void defaultsHoldEverySettingAtItsDefault() {
        Settings d = Settings.defaults();
        assertEquals(Setting.values().length, d.values().size());
        for (Setting s : Setting.values()) assertEquals(s.defaultValue(), d.get(s), s.path());
        assertEquals(Defaults.LR, d.train().lr());
        assertEquals(Defaults.N_TRAIN, d.data().nTrain());
        assertEquals(Defaults.TOP_K, d.measure().intValue(Measures.TOP_K));
    }

    @Test
    void withChangesOneValueAndLeavesTheOriginal() {
        Settings d = Settings.defaults();
        Settings s = d.with(Setting.LR, 0.5).with(Setting.WIDTH, 7);
        assertEquals(0.5, s.doubleValue(Setting.LR));
        assertEquals(7, s.model().width());
        assertEquals(Defaults.LR, d.train().lr());
        assertEquals(2.0, d.with(Setting.LR, 2).doubleValue(Setting.LR), "an int stands for a double");
        assertEquals(s, Settings.defaults().with(Setting.WIDTH, 7).with(Setting.LR, 0.5));
        assertEquals(s.hashCode(), Settings.defaults().with(Setting.WIDTH, 7).with(Setting.LR, 0.5).hashCode());
        assertNotEquals(s, d);
    }

    @Test
    void eachValueIsCheckedAloneWithTheMessageOfItsSetting() {
        Settings d = Settings.defaults();
        assertEquals("model.width must be >= 1, got 0", message(() -> d.with(Setting.WIDTH, 0)));
        assertEquals("train.lr must be > 0 and finite, got NaN", message(() -> d.with(Setting.LR, Double.NaN)));
        assertEquals("model.kernel must be odd, got 4: 'same' padding kernel/2 keeps the size only for odd kernels",
                message(() -> d.with(Setting.KERNEL, 4)));
        assertEquals("measure.tol must be in (0, 1), got 2.0", message(() -> d.with(Setting.TOL, 2.0)));
        assertEquals("model.width must be an integer, got wide", message(() -> d.with(Setting.WIDTH, "wide")));
        assertEquals("train.lr is required", message(() -> d.with(Setting.LR, null)));
        assertEquals(null, d.with(Setting.PATH, "/x").with(Setting.PATH, null).data().path(), "null is a path: none");
    }

    @Test
    void checksThatReadTwoSettingsWaitForThePoint() {
        // a data set before its path: fine as settings, refused as a point
        Settings mnist = Settings.defaults().with(Setting.DATASET, Dataset.MNIST);
        assertEquals("data.path is required for dataset mnist", message(() -> PointSpec.of(mnist)));
        assertEquals(Dataset.MNIST, PointSpec.of(mnist.with(Setting.PATH, "/data")).data().dataset());
    }

    @Test
    void aPointHoldsItsResolvedSettings() {
        PointSpec p = SmallSpecs.point(SmallSpecs.teacher().with(Setting.EPOCHS, 3).with(Setting.BATCH_SIZE, 10));
        assertEquals(12, p.train().steps(), "3 epochs of 40 / 10 steps");
        assertEquals(12, p.settings().intValue(Setting.STEPS));
        PointSpec full = SmallSpecs.point(SmallSpecs.teacher());
        assertEquals(40, full.train().batchSize(), "full batch is n_train");
        assertEquals(full, PointSpec.of(full.settings()), "resolving a resolved point changes nothing");
        PointSpec none = SmallSpecs.point(SmallSpecs.teacher().with(Setting.PENALTY, PenaltyKind.L2));
        assertEquals(full, none, "coef 0 is no penalty whatever the kind");
    }

    @Test
    void viewsCompareTheirSectionOnly() {
        Settings a = SmallSpecs.teacher();
        assertEquals(a.data(), a.with(Setting.LR, 0.3).data());
        assertNotEquals(a.data(), a.with(Setting.N_TRAIN, 41).data());
        assertEquals(a.data().hashCode(), a.with(Setting.WIDTH, 3).data().hashCode());
    }

    @Test
    void aPointSurvivesJavaSerialization() throws Exception {
        PointSpec p = SmallSpecs.point(SmallSpecs.teacher().with(Setting.LR, 0.25).with(Measures.TOP_K, 3));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(p);
        }
        PointSpec back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = (PointSpec) in.readObject();
        }
        assertEquals(p, back);
        assertEquals(0.25, back.train().lr());
        assertEquals(3, back.measure().intValue(Measures.TOP_K));
        assertSame(Setting.LR, back.settings().values().keySet().stream().filter(s -> s.shortName.equals("lr")).findFirst().orElseThrow());
    }

    private static String message(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(SpecException.class, e).getMessage();
    }
}
