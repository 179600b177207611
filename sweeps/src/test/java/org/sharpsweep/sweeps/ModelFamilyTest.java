package org.sharpsweep.sweeps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 11's settings: {@code model.family} (mlp | cnn) and the cnn's {@code conv_blocks},
 * {@code channels}, {@code kernel} and {@code pool}. Every spec written before them means what
 * it meant (ids, seeds, YAML pinned below with the literals of {@link PointIdPinTest}); a cnn
 * point is another point; P is counted by hand.
 */
class ModelFamilyTest {

    private static final String FASHION = "data: {dataset: fashion-mnist, path: /usr/share/datasets/fashion-mnist, "
            + "n_train: 100, n_test: 100}\n";

    private static SweepSpec spec(String model, String grid) {
        return SweepSpec.parse("name: f\nseed: 3\n" + FASHION + "model: " + model + "\ntrain: {steps: 10}\n"
                + (grid.isEmpty() ? "" : "grid:\n" + grid));
    }

    private static String refused(String yaml) {
        return assertThrows(SpecException.class, () -> SweepSpec.parse(yaml), yaml).getMessage();
    }

    @Test
    void eachSettingIsParsedAndRoundTrips() {
        SweepSpec s = spec("{family: cnn, conv_blocks: 3, channels: 8, kernel: 5, pool: avg, depth: 2, width: 32}", "");
        ModelSpec m = s.point(0).spec().model();
        assertEquals(Settings.defaults().with(Map.of(Setting.FAMILY, Family.CNN, Setting.CONV_BLOCKS, 3, Setting.CHANNELS, 8,
                Setting.KERNEL, 5, Setting.POOL, Pool.AVG, Setting.DEPTH, 2, Setting.WIDTH, 32)).model(), m);
        assertEquals(s, SweepSpec.parse(s.toYaml()));
        String yaml = s.toYaml();
        for (String key : List.of("family: cnn", "conv_blocks: 3", "channels: 8", "kernel: 5", "pool: avg")) {
            assertTrue(yaml.contains(key), key + " in:\n" + yaml);
        }
        ModelSpec none = spec("{family: cnn, pool: none}", "").point(0).spec().model();
        assertEquals(Pool.NONE, none.pool());
    }

    @Test
    void aCnnWithoutConvSettingsHasTheDefaults() {
        ModelSpec m = spec("{family: cnn}", "").point(0).spec().model();
        assertEquals(Family.CNN, m.family());
        assertEquals(Defaults.CONV_BLOCKS, m.convBlocks());
        assertEquals(2, m.convBlocks());
        assertEquals(16, m.channels());
        assertEquals(3, m.kernel());
        assertEquals(Pool.MAX, m.pool());
        assertEquals(Family.MLP, Defaults.FAMILY);
        assertEquals(Family.MLP, spec("{depth: 1}", "").point(0).spec().model().family());
    }

    /** The literals of {@link PointIdPinTest}: a spec that says nothing of the family keeps them, and so does family: mlp written out. */
    @ParameterizedTest(name = "{0}[{1}]")
    @CsvSource({
            "quickstart, 0, 05a4f681959f2f97, 764399376832190960",
            "fashion-mnist, 0, 2b36682e820a5be1, -4741187356056988725",
            "fashion-mnist, 3, 9494b2cd5c6b01c2, -7854367545696469156",
            "tiny, 7, 200beb810853b076, -7646432599969671118",
    })
    void mlpIdsSeedsAndYamlAreUnchanged(String name, int index, String pointId, long seed) {
        SweepSpec s = Catalog.resolve(name);
        assertEquals(pointId, s.point(index).pointId());
        assertEquals(seed, s.point(index).seed());
        String yaml = s.toYaml();
        for (String key : List.of("family", "conv_blocks", "channels", "kernel", "pool")) {
            assertFalse(yaml.contains(key), key + " stays out of an mlp's YAML:\n" + yaml);
        }
        assertTrue(yaml.contains("model:\n"), yaml);
        SweepSpec explicit = SweepSpec.parse(yaml.replace("model:\n", "model:\n  family: mlp\n"));
        assertEquals(s, explicit, "family: mlp written out is the same spec");
        assertEquals(yaml, explicit.toYaml());
        assertEquals(pointId, explicit.point(index).pointId());
        assertEquals(seed, explicit.point(index).seed());
        SweepSpec.IdUpgrade u = s.idUpgrades().get(index);
        assertEquals(u, explicit.idUpgrades().get(index), "the legacy id of an mlp is unchanged too");
    }

    @Test
    void aCnnPointIsAnotherPoint() {
        SweepSpec mlp = Catalog.resolve("fashion-mnist");
        String yaml = mlp.toYaml().replace("model:\n", "model:\n  family: cnn\n");
        SweepSpec cnn = SweepSpec.parse(yaml);
        for (int i = 0; i < mlp.size(); i++) {
            assertNotEquals(mlp.point(i).pointId(), cnn.point(i).pointId());
            assertNotEquals(mlp.point(i).seed(), cnn.point(i).seed());
        }
        // the family is in the id text; the conv settings at their defaults are not
        assertTrue(PointIds.canonical(cnn.point(0).spec(), cnn.seed(), 0).contains("family=cnn;"));
        assertFalse(PointIds.canonical(cnn.point(0).spec(), cnn.seed(), 0).contains("conv_blocks"));
        SweepSpec wider = SweepSpec.parse(yaml.replace("family: cnn\n", "family: cnn\n  channels: 32\n"));
        assertTrue(PointIds.canonical(wider.point(0).spec(), wider.seed(), 0).contains("channels=32;"));
        assertNotEquals(cnn.point(0).pointId(), wider.point(0).pointId());
    }

    @Test
    void aGridOverTheFamily() {
        SweepSpec s = spec("{depth: 1, width: 8}", "  family: [mlp, cnn]\n  lr: [0.1, 0.2]\n");
        assertEquals(4, s.size());
        assertEquals(Family.MLP, s.point(0).spec().model().family());
        assertEquals(Family.CNN, s.point(2).spec().model().family());
        assertEquals(s, SweepSpec.parse(s.toYaml()));
        SweepSpec plain = spec("{depth: 1, width: 8}", "  lr: [0.1, 0.2]\n");
        assertEquals(plain.point(0).pointId(), s.point(0).pointId(), "the mlp half keeps its ids");
        assertEquals(plain.point(1).pointId(), s.point(1).pointId());
        assertNotEquals(s.point(0).pointId(), s.point(2).pointId());
        // conv settings in model apply to the cnn points and are dropped for the mlp points
        SweepSpec both = spec("{depth: 1, width: 8, conv_blocks: 3, kernel: 5}", "  family: [mlp, cnn]\n");
        assertEquals(plain.point(0).spec().model(), both.point(0).spec().model());
        assertEquals(Settings.defaults().with(Map.of(Setting.FAMILY, Family.CNN, Setting.CONV_BLOCKS, 3, Setting.KERNEL, 5,
                Setting.DEPTH, 1, Setting.WIDTH, 8)).model(), both.point(1).spec().model());
        assertEquals(both, SweepSpec.parse(both.toYaml()));
    }

    @Test
    void aGridOverTheConvSettings() {
        SweepSpec s = spec("{family: cnn, depth: 1, width: 8}",
                "  conv_blocks: [1, 2, 3]\n  channels: [4, 8]\n  kernel: [1, 3, 5]\n  pool: [max, avg, none]\n");
        assertEquals(3 * 2 * 3 * 3, s.size());
        Set<String> ids = new HashSet<>();
        for (GridPoint p : s.points()) {
            ModelSpec m = p.spec().model();
            assertEquals(p.axes().get("conv_blocks"), m.convBlocks());
            assertEquals(p.axes().get("channels"), m.channels());
            assertEquals(p.axes().get("kernel"), m.kernel());
            assertEquals(p.axes().get("pool"), m.pool());
            assertTrue(ids.add(p.pointId()), "distinct ids");
            assertEquals(p, s.point(p.index()));
        }
        s.validateEveryPoint();
        assertEquals(s, SweepSpec.parse(s.toYaml()));
        // conv_blocks is not checked alone (how many blocks fit depends on the data set and the pooling)
        assertFalse(Setting.CONV_BLOCKS.checkedAlone());
        assertFalse(Setting.POOL.checkedAlone());
        for (Setting c : List.of(Setting.FAMILY, Setting.CONV_BLOCKS, Setting.CHANNELS, Setting.KERNEL, Setting.POOL)) {
            assertTrue(c.isAxis(), c + " is a grid axis");
            assertTrue(c.inPointId(), c + " is in point ids");
            assertTrue(c.omittedAtDefault, c + " stays out of the YAML at its default");
            assertTrue(MemoryEstimate.INPUTS.contains(c), c + " enters the memory estimate");
            assertTrue(ResultSchema.RESULTS.column(c.shortName) != null, c + " has a results column");
        }
    }

    @Test
    void aGridOverFamilyAndAConvSettingNamesTheSameMlpPointTwice() {
        String m = refused("name: f\n" + FASHION + "grid:\n  family: [mlp, cnn]\n  conv_blocks: [1, 2]\n");
        assertTrue(m.contains("are the same computation"), m);
        assertTrue(m.contains("the conv settings mean nothing for family mlp"), m);
    }

    @Test
    void theConvSettingsApplyToCnnPointsOnly() {
        PointSpec mlp = spec("{depth: 1}", "").point(0).spec();
        PointSpec cnn = spec("{family: cnn}", "").point(0).spec();
        for (Setting c : List.of(Setting.CONV_BLOCKS, Setting.CHANNELS, Setting.KERNEL, Setting.POOL)) {
            assertFalse(c.appliesTo(mlp), c + " is a null column for an mlp");
            assertTrue(c.appliesTo(cnn), c.shortName);
        }
        assertTrue(Setting.FAMILY.appliesTo(mlp));
        assertTrue(Setting.FAMILY.appliesTo(cnn));
        assertNull(mlp.convOutput());
        assertEquals(new ImageShape(1, 28, 28), mlp.imageShape());
    }

    /**
     * P by hand for Fashion-MNIST (1x28x28, 10 classes), conv_blocks 2, channels 4, kernel 3,
     * pool max, depth 1, width 8: block 1 has 4 x 1 x 9 + 4 = 40, block 2 8 x 4 x 9 + 8 = 296;
     * 28 -> 14 -> 7, so F = 8 x 7 x 7 = 392; dense 392 x 8 + 8 = 3144; output 8 x 10 + 10 = 90.
     */
    @Test
    void numParamsOfACnnByHand() {
        PointSpec p = spec("{family: cnn, conv_blocks: 2, channels: 4, kernel: 3, pool: max, depth: 1, width: 8}", "")
                .point(0).spec();
        assertEquals(new ImageShape(8, 7, 7), p.convOutput());
        assertEquals(40 + 296 + 3144 + 90, p.numParams());
        assertEquals(3570, p.numParams());
        // no pooling keeps 28x28; 1x1 kernels; depth 0 is the output layer on F: 2x1x1+2 = 4, F = 2x28x28 = 1568, 1568x10+10
        PointSpec flat = spec("{family: cnn, conv_blocks: 1, channels: 2, kernel: 1, pool: none, depth: 0}", "").point(0).spec();
        assertEquals(new ImageShape(2, 28, 28), flat.convOutput());
        assertEquals(4 + 15690, flat.numParams());
        // CIFAR-10, 3x32x32, avg pooling over 5 blocks: 32 -> 16 -> 8 -> 4 -> 2 -> 1; channels 1: 1, 2, 4, 8, 16 out
        PointSpec cifar = SweepSpec.parse("name: c\ndata: {dataset: cifar10, path: /x, n_train: 10, n_test: 10}\n"
                + "model: {family: cnn, conv_blocks: 5, channels: 1, kernel: 3, pool: avg, depth: 1, width: 2}\n"
                + "train: {steps: 1}\n").point(0).spec();
        long conv = (1 * 3 * 9 + 1) + (2 * 1 * 9 + 2) + (4 * 2 * 9 + 4) + (8 * 4 * 9 + 8) + (16 * 8 * 9 + 16);
        assertEquals(new ImageShape(16, 1, 1), cifar.convOutput());
        assertEquals(conv + (16 * 2 + 2) + (2 * 10 + 10), cifar.numParams());
        // an mlp's P is the formula it always had: (784 x 8 + 8) + (8 x 10 + 10)
        assertEquals(784 * 8 + 8 + 90, spec("{depth: 1, width: 8}", "").point(0).spec().numParams());
    }

    /**
     * The memory estimate of an mlp is the one it always had (its formula written out here for
     * Fashion-MNIST); a cnn's adds the convolution chunk's activations and im2col patches.
     */
    @Test
    void memoryEstimateOfBothFamilies() {
        PointSpec mlp = spec("{depth: 1, width: 8}", "").point(0).spec();
        double d = 784, k = 10, w = 8, n = 100, m = 100, b = 100, s = 8, iters = 100, c = 100, params = 784 * 8 + 8 + 90;
        double expected = 8 * params * 2 + s * params * 3 + 8 * (n + m) * (d + k) + s * b * (d + 4 * w + 3 * k)
                + 8 * params * (iters + 4) + 8 * c * (8 * w + 4 * k) + MemoryEstimate.BASE_BYTES;
        assertEquals((long) expected, MemoryEstimate.of(mlp).bytes());

        PointSpec cnn = spec("{family: cnn, conv_blocks: 2, channels: 4, kernel: 3, pool: max, depth: 1, width: 8}", "")
                .point(0).spec();
        // block 1 on 28x28: 4 out, 1 in; block 2 on 14x14: 8 out, 4 in
        double a = 4 * 28 * 28 + 8 * 14 * 14, patches = 28 * 28 * 1 * 9 + 14 * 14 * 4 * 9;
        double p = 3570;
        double expectedCnn = 8 * p * 2 + s * p * 3 + 8 * (n + m) * (d + k) + s * b * (d + 4 * w + 3 * k)
                + 8 * p * (iters + 4) + 8 * c * (8 * w + 4 * k) + MemoryEstimate.BASE_BYTES
                + s * Math.min(b, 256) * (12 * a + patches) + 8 * Math.min(c, 256) * (12 * a + patches);
        assertEquals((long) expectedCnn, MemoryEstimate.of(cnn).bytes());
        // wide blocks: the activations are what to blame, named by channels
        PointSpec huge = spec("{family: cnn, conv_blocks: 1, channels: 1024, pool: none, depth: 1, width: 1}", "").point(0).spec();
        MemoryEstimate e = MemoryEstimate.of(huge);
        assertEquals(Setting.CHANNELS, e.blame());
        assertTrue(e.explain().startsWith("model.channels 1024 needs"), e.explain());
    }

    @Test
    void aCnnOnTheTeacherIsRefused() {
        String m = refused("name: t\nmodel: {family: cnn}\n");
        assertTrue(m.contains("model.family cnn needs image inputs; dataset teacher has input_dim features, not images: "
                + "use family mlp or an image data set"), m);
        String g = refused("name: t\ngrid: {family: [mlp, cnn]}\n");
        assertTrue(g.contains("grid point 1 {family=cnn}"), g);
        assertTrue(g.contains("needs image inputs"), g);
    }

    @Test
    void tooManyBlocksForTheImageAreRefused() {
        spec("{family: cnn, conv_blocks: 4}", ""); // 28 -> 14 -> 7 -> 3 -> 1
        String m = assertThrows(SpecException.class, () -> spec("{family: cnn, conv_blocks: 5}", "")).getMessage();
        assertTrue(m.contains("model.conv_blocks 5 with pool max leaves no pixels"), m);
        assertTrue(m.contains("dataset fashion-mnist has 1x28x28 images"), m);
        assertTrue(m.contains("28x28 -> 14x14 -> 7x7 -> 3x3 -> 1x1 -> 0x0"), m);
        assertTrue(m.contains("give at most 4 conv_blocks (or pool none)"), m);
        spec("{family: cnn, conv_blocks: 8, channels: 1, pool: none}", ""); // no pooling keeps the size
        String g = assertThrows(SpecException.class,
                () -> spec("{family: cnn}", "  conv_blocks: [4, 5]\n")).getMessage();
        assertTrue(g.contains("grid point 1 {conv_blocks=5}"), g);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "kernel: 4        | model.kernel must be odd, got 4: 'same' padding kernel/2 keeps the size only for odd kernels",
            "kernel: 0        | model.kernel must be an odd number in [1, 11], got 0",
            "kernel: 13       | model.kernel must be an odd number in [1, 11], got 13",
            "conv_blocks: 0   | model.conv_blocks must be in [1, 8], got 0",
            "conv_blocks: 9   | model.conv_blocks must be in [1, 8], got 9",
            "channels: 0      | model.channels must be in [1, 1024], got 0",
            "channels: 1025   | model.channels must be in [1, 1024], got 1025",
            "pool: min        | model.pool must be one of max | avg | none, got 'min'",
            "family: resnet   | model.family must be one of mlp | cnn, got 'resnet'",
    })
    void outOfRangeValuesAreRefusedNamingFieldAndValue(String setting, String message) {
        String model = setting.startsWith("family") ? "{" + setting + "}" : "{family: cnn, " + setting + "}";
        String m = refused("name: f\n" + FASHION + "model: " + model + "\n");
        assertTrue(m.contains(message), m);
    }

    @Test
    void aConvSettingWrittenForAnMlpIsRefused() {
        String m = refused("name: f\n" + FASHION + "model: {depth: 1,\n  conv_blocks: 3}\n");
        assertTrue(m.contains("model.conv_blocks applies to family cnn only; add model.family: cnn (line 4)"), m);
        // at its default too: the user wrote it, so meant a cnn
        String d = refused("name: f\n" + FASHION + "model: {family: mlp, kernel: 3}\n");
        assertTrue(d.contains("model.kernel applies to family cnn only; add model.family: cnn"), d);
        String g = refused("name: f\n" + FASHION + "grid: {pool: [max, avg]}\n");
        assertTrue(g.contains("grid.pool varies model.pool, which applies to family cnn only; add model.family: cnn"), g);
        String only = refused("name: f\n" + FASHION + "model: {channels: 8}\ngrid: {family: [mlp]}\n");
        assertTrue(only.contains("model.channels applies to family cnn only"), only);
        // the Java API: a spec built with conv settings for an mlp
        SweepSpec ok = Catalog.resolve("tiny");
        Settings conv = ok.settings().with(Map.of(Setting.FAMILY, Family.MLP, Setting.CONV_BLOCKS, 3));
        String api = assertThrows(SpecException.class, () -> new SweepSpec("a", 1, conv, ok.grid())).getMessage();
        assertTrue(api.contains("model.conv_blocks applies to family cnn only"), api);
        // the same settings with a cnn among the points are fine
        spec("{channels: 8}", "  family: [cnn, mlp]\n");
    }
}
