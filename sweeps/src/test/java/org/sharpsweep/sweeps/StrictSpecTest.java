package org.sharpsweep.sweeps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9 in the sweeps module: a spec means what it says or is refused up front, naming the
 * key, the value as written and the line; huge grids are refused without being expanded.
 */
class StrictSpecTest {

    private static String refused(String yaml) {
        return assertThrows(SpecException.class, () -> SweepSpec.parse(yaml)).getMessage();
    }

    private static void assertMentions(String message, String... fragments) {
        for (String f : fragments) assertTrue(message.contains(f), () -> "'" + f + "' missing from: " + message);
    }

    // ------------------------------------------------------------ 1. duplicate keys, documents

    @Test
    void aDuplicateKeyIsAnErrorAtAnyDepthNamingKeyAndLine() {
        assertMentions(refused("name: a\ngrid: {lr: [0.05, 0.1], lr: [0.2]}\n"), "duplicate key 'grid.lr'", "line 2");
        assertMentions(refused("name: a\ntrain: {lr: 0.1}\nmodel: {width: 3}\ntrain: {steps: 5}\n"),
                "duplicate key 'train'", "line 4", "first at line 2");
        assertMentions(refused("name: a\ngrid:\n  lr: {from: 0.1, to: 1, num: 3, num: 4}\n"), "duplicate key 'grid.lr.num'", "line 3");
        assertMentions(refused("name: a\nname: b\n"), "duplicate key 'name'", "line 2");
    }

    @Test
    void aSecondDocumentIsAnErrorNamingItsLine() {
        assertMentions(refused("name: a\n---\nname: b\n"), "second YAML document", "line 3");
        assertMentions(refused("name: a\n---\n"), "second YAML document");
        assertEquals("a", SweepSpec.parse("---\nname: a\n").name(), "one document with a start marker is fine");
    }

    @Test
    void anAliasIsRefused() {
        assertMentions(refused("name: a\ntrain: {lr: &x 0.1, momentum: *x}\n"), "alias", "line 2");
    }

    // ------------------------------------------------------------ 2. huge grids

    @Test
    void hugeGridsAreRefusedAtOnceNamingAxisAndSize() {
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            assertMentions(refused("name: a\ngrid:\n  lr: {from: 0.001, to: 1, num: 10000000}\n"),
                    "grid.lr.num is 10000000", "limit of 1000000");
            assertMentions(refused("name: a\ngrid:\n  seed: {replicates: 1000000000}\n"),
                    "grid.seed.replicates is 1000000000", "limit of 1000000");
            assertMentions(refused("name: a\ngrid:\n  seed: {replicates: 100000000000000000000}\n"),
                    "grid.seed.replicates is 100000000000000000000");
            assertMentions(refused("name: a\ngrid:\n  lr: {from: 0.001, to: 1, num: 3000}\n  width: {from: 1, to: 1000, num: 1000}\n"),
                    "grid has 3000000 points (lr 3000 x width 1000)", "limit of 1000000");
            assertMentions(refused("name: a\ngrid:\n  lr: {from: 0.001, to: 1, num: 100000}\n  width: {from: 1, to: 100000, num: 100000}\n"
                            + "  momentum: {from: 0, to: 0.5, num: 100000}\n"),
                    "grid has 1000000000000000 points");
        });
    }

    /** The largest grid allowed parses, validates and hands out any point fast; the timing is printed. */
    @Test
    void theLargestGridIsFast() {
        String yaml = "name: big\ndata: {n_train: 1000}\ngrid:\n  lr: {from: 0.001, to: 1, num: 100, scale: log}\n"
                + "  batch_size: {from: 10, to: 1000, num: 100}\n  width: {from: 10, to: 1000, num: 100}\n";
        SweepSpec.parse(yaml); // class loading and JIT out of the measurement
        long t0 = System.nanoTime();
        SweepSpec s = SweepSpec.parse(yaml.replace("name: big", "name: big2"));
        long t1 = System.nanoTime();
        GridPoint p = s.point(999_999);
        long t2 = System.nanoTime();
        System.out.printf("1000000-point spec: parse + validate %.0f ms, point(999999) %.2f ms%n", (t1 - t0) / 1e6, (t2 - t1) / 1e6);
        assertEquals(SweepSpec.MAX_POINTS, s.size());
        assertTrue(t1 - t0 < 500_000_000L, "parse + validate took " + (t1 - t0) / 1e6 + " ms");
        assertTrue(t2 - t1 < 50_000_000L, "point(i) took " + (t2 - t1) / 1e6 + " ms");
        assertEquals(1.0, p.spec().train().lr());
        assertEquals(1000, p.spec().train().batchSize());
        assertEquals(1000, p.spec().model().width());
        assertEquals(s.points().get(999_999), p);
        assertTrue(s.points() == s.points(), "equal specs share one list of points");

        // one axis of 100,000 values: a point costs no more than any other, the list is read in chunks
        long t2b = System.nanoTime();
        SweepSpec oneAxis = SweepSpec.parse("name: one\ngrid:\n  lr: {from: 0.001, to: 1, num: 100000}\n");
        long t3 = System.nanoTime();
        System.out.printf("one 100000-value range axis: parse + validate %.0f ms%n", (t3 - t2b) / 1e6);
        for (int i = 0; i < 1000; i++) oneAxis.point(i * 97);
        long t4 = System.nanoTime();
        List<GridPoint> all = oneAxis.points();
        long t5 = System.nanoTime();
        System.out.printf("one 100000-value axis: 1000 x point(i) %.0f ms, points() %.0f ms%n", (t4 - t3) / 1e6, (t5 - t4) / 1e6);
        assertTrue(t4 - t3 < 1_000_000_000L, "1000 x point(i) took " + (t4 - t3) / 1e6 + " ms");
        assertEquals(all.get(97 * 999), oneAxis.point(97 * 999));
        assertEquals(100_000, all.stream().map(GridPoint::pointId).distinct().count());
    }

    /**
     * Validation builds only the product of the axes that interact ({@link Setting#checkedAlone});
     * on random grids it agrees with building every point. Prints the seed on failure.
     */
    @Test
    void fastValidationAgreesWithValidatingEveryPoint() {
        long seed = 20261129L;
        SplittableRandom rng = new SplittableRandom(seed);
        String[][] axes = {
                {"batch_size", "[5, 10, 40]"}, {"n_train", "[8, 40]"}, {"width", "[2, 50]"},
                {"penalty", "[none, gradnorm, l2]"}, {"penalty_coef", "[0.0, 0.1]"}, {"dataset", "[teacher, mnist]"},
                {"target", "[linear, circle-neuron]"}, {"input_dim", "[1, 4]"}, {"label_noise", "[0.0, 0.2]"},
                {"nonuniformity_samples", "[0, 20]"}, {"epochs", "[1, 2]"}, {"momentum", "[0.0, 0.5]"},
                {"loss", "[mse, xent]"}, {"tol", "[0.001, 0.01]"}, {"input_scale", "[unit, standardize]"},
                {"lr", "[0.1, 0.3]"}, {"depth", "[0, 1]"}, {"dtype", "[float64, float32]"}, {"steps", "[1000, 5]"},
                {"seed", "{replicates: 2}"}, {"max_iters", "[100, 7]"},
        };
        int refusedCount = 0;
        for (int trial = 0; trial < 300; trial++) {
            StringBuilder yaml = new StringBuilder("name: r\ndata: {path: /x}\ngrid:\n");
            for (String[] a : axes) if (rng.nextInt(4) == 0) yaml.append("  ").append(a[0]).append(": ").append(a[1]).append('\n');
            String text = yaml.toString();
            String fast = null;
            SweepSpec s = null;
            try {
                s = SweepSpec.parse(text);
            } catch (SpecException e) {
                fast = e.getMessage();
            }
            if (s != null) {
                SweepSpec ok = s;
                try {
                    ok.validateEveryPoint();
                } catch (SpecException e) {
                    throw new AssertionError("seed " + seed + " trial " + trial + ": accepted, but a point fails:\n" + text + e.getMessage());
                }
                for (GridPoint p : ok.points()) {
                    assertEquals(PointIds.of(p.spec(), ok.seed(), p.replicate()), p.pointId(),
                            "seed " + seed + " trial " + trial + ": the id assembled from parts\n" + text);
                }
            } else {
                refusedCount++;
            }
        }
        assertTrue(refusedCount > 10 && refusedCount < 290, "both kinds of grid are drawn: " + refusedCount + " refused");
    }

    // ------------------------------------------------------------ 3. integers parsed wide

    @Test
    void integersOutOfRangeAreRefusedAsWritten() {
        assertMentions(refused("name: a\ndata: {dataset: mnist, path: /x, classes: [0, 4294967297]}\n"),
                "data.classes[1]", "4294967297", "line 2");
        assertMentions(refused("name: a\ngrid:\n  width: {from: 1, to: 3000000000, num: 2}\n"), "grid.width.to", "3000000000");
        assertMentions(refused("name: a\nmodel: {width: 1e10}\n"), "model.width", "got 1e10");
        assertMentions(refused("name: a\ntrain: {steps: 2147483648}\n"), "train.steps", "got 2147483648");
        assertMentions(refused("name: a\ndata: {n_train: -4294967296}\n"), "data.n_train", "-4294967296");
        assertMentions(refused("name: a\nseed: 99999999999999999999\n"), "seed", "99999999999999999999");
        assertMentions(refused("name: a\ngrid: {seed: [0, 4294967296]}\n"), "grid.seed[1]", "4294967296");
        assertMentions(refused("name: a\nmodel: {width: 2.5}\n"), "model.width must be an integer", "got 2.5");
        assertEquals(1000, SweepSpec.parse("name: a\nmodel: {width: 1e3}\n").model().width(), "1e3 is a whole number");
        assertEquals(-8, SweepSpec.parse("name: a\nseed: -8\n").seed());
    }

    // ------------------------------------------------------------ 4. silent aliases

    @Test
    void zerosThatWouldBeAliasesAreErrors() {
        assertMentions(refused("name: a\ntrain: {epochs: 0}\n"), "train.epochs must be an integer >= 1, got 0");
        assertMentions(refused("name: a\ntrain: {batch_size: 0}\n"), "train.batch_size must be an integer >= 1, got 0", "n_train");
        assertMentions(refused("name: a\ngrid: {batch_size: [0, 40]}\n"), "grid.batch_size[0]", "got 0");
        assertMentions(refused("name: a\ngrid: {epochs: [0, 1]}\n"), "grid.epochs[0]", "got 0");
        assertEquals(0, SweepSpec.parse("name: a\ntrain: {steps: 0}\n").point(0).spec().train().steps(), "steps: 0 trains none");
    }

    @Test
    void twoPointsWithOneIdAreAnError() {
        // penalty coef 0 is no penalty whatever the kind
        assertMentions(refused("name: a\npenalty: {kind: gradnorm}\ngrid: {penalty: [gradnorm, l2], penalty_coef: [0.0, 0.1]}\n"),
                "grid points 0 {penalty=gradnorm, penalty_coef=0.0} and 2 {penalty=l2, penalty_coef=0.0}", "same computation");
        // input_dim does not apply to a file data set
        assertMentions(refused("name: a\ndata: {dataset: mnist, path: /x}\ngrid: {input_dim: [5, 10]}\n"),
                "grid points 0 {input_dim=5} and 1 {input_dim=10}");
        // full batch written both ways across an n_train axis
        assertMentions(refused("name: a\ngrid: {n_train: [40, 80], batch_size: [40, 80]}\n"), "grid point 1");
    }

    @Test
    void aNameMustBeAString() {
        assertMentions(refused("name: 123\n"), "name must be a string, got 123", "line 1");
        assertMentions(refused("name: true\n"), "name must be a string, got true");
        assertMentions(refused("name:\n"), "name is required");
        assertEquals("123", SweepSpec.parse("name: '123'\n").name());
    }

    @Test
    void integerRangesMustHitIntegers() {
        assertMentions(refused("name: a\ngrid:\n  width: {from: 1, to: 3, num: 10}\n"),
                "grid.width {from: 1, to: 3, num: 10} does not give integers", "num 2, 3");
        assertEquals(List.of(1, 2, 3), SweepSpec.parse("name: a\ngrid:\n  width: {from: 1, to: 3, num: 3}\n").grid().get(0).values());
        assertEquals(List.of(8, 16, 32, 64), SweepSpec.parse("name: a\ndata: {n_train: 64}\ngrid:\n  batch_size: {from: 8, to: 64, num: 4, scale: log}\n")
                .grid().get(0).values());
        assertMentions(refused("name: a\ngrid:\n  width: {from: 2, to: 10, num: 3, scale: log}\n"), "does not give integers");
    }

    @Test
    void rangesRoundTripAsRanges() {
        SweepSpec s = SweepSpec.parse("name: r\ngrid:\n  lr: {from: 0.01, to: 1, num: 5, scale: log}\n  width: {from: 10, to: 30, num: 3}\n");
        assertTrue(s.toYaml().contains("from"), s.toYaml());
        assertEquals(s, SweepSpec.parse(s.toYaml()));
    }

    @Test
    void dataSpecsListsTheDistinctDataSetsFromTheDataAxesAlone() {
        SweepSpec s = SweepSpec.parse("name: a\ndata: {dataset: mnist, path: /x}\n"
                + "grid: {lr: {from: 0.01, to: 1, num: 1000}, n_train: [50, 100], width: [5, 10]}\n");
        assertEquals(List.of(50, 100), s.dataSpecs().stream().map(DataSpec::nTrain).toList());
        assertEquals(new java.util.LinkedHashSet<>(s.points().stream().map(p -> p.spec().data()).toList()), s.dataSpecs());
    }

    // ------------------------------------------------------------ 6. catalog

    @Test
    void aDirectoryNamedLikeACatalogSpecDoesNotShadowIt(@TempDir Path dir) throws Exception {
        Path tiny = Files.createDirectory(dir.resolve("tiny"));
        // Catalog.resolve takes the argument as given; a path to a directory named tiny is the catalog's tiny
        assertEquals("tiny", Catalog.resolve("tiny").name());
        String m = assertThrows(SpecException.class, () -> Catalog.resolve(tiny.toString())).getMessage();
        assertMentions(m, tiny.toString(), "is a directory");
        Path other = Files.createDirectory(dir.resolve("mysweep"));
        assertMentions(assertThrows(SpecException.class, () -> Catalog.resolve(other.toString())).getMessage(), "is a directory");
        Path file = Files.writeString(dir.resolve("tiny.yaml"), "name: mine\n");
        assertEquals("mine", Catalog.resolve(file.toString()).name(), "a regular file is read as a spec");
        assertMentions(assertThrows(SpecException.class, () -> Catalog.resolve("../etc/passwd")).getMessage(), "no spec file");
    }

    // ------------------------------------------------------------ 8. memory

    @Test
    void pointsThatCannotFitAreRefusedNamingTheSetting() {
        long fourGb = 4L << 30;
        SweepSpec wide = SweepSpec.parse("name: a\ndata: {input_dim: 5}\nmodel: {width: 1000000000}\n");
        MemoryEstimate m = MemoryEstimate.of(wide.point(0).spec());
        assertEquals(7_000_000_001L, m.parameters(), "5 x 10^9 + 10^9 + 10^9 x 1 + 1");
        assertMentions(assertThrows(SpecException.class, () -> wide.checkFits(fourGb)).getMessage(),
                "model.width 1000000000 needs ~", "TB for 7000000001 parameters", "this run's executors have 4.0 GB");

        SweepSpec rows = SweepSpec.parse("name: a\ndata: {n_train: 100000000}\n");
        assertMentions(assertThrows(SpecException.class, () -> rows.checkFits(fourGb)).getMessage(),
                "data.n_train 100000000 needs ~", "GB");

        // input_dim 10^9 with 200 samples cannot be one array at all: refused when parsed
        assertMentions(refused("name: a\ndata: {input_dim: 1000000000}\n"),
                "data.n_train 200 with data.input_dim 1000000000 is 200000000000 values in one array");
        SweepSpec dims = SweepSpec.parse("name: a\ndata: {input_dim: 1000000}\n");
        assertMentions(assertThrows(SpecException.class, () -> dims.checkFits(fourGb)).getMessage(), "data.input_dim 1000000 needs ~");

        SweepSpec grid = SweepSpec.parse("name: a\ngrid: {width: [10, 100000000], lr: [0.1, 0.2]}\n");
        assertMentions(assertThrows(SpecException.class, () -> grid.checkFits(fourGb)).getMessage(),
                "grid point 2 {width=100000000, lr=0.1}", "model.width 100000000");

        Catalog.NAMES.forEach(n -> Catalog.resolve(n).checkFits(2L << 30)); // the catalog fits in 2 GB (the catapult's width 4096 needs ~1.3)
        long quick = MemoryEstimate.of(Catalog.resolve("fashion-mnist").point(0).spec()).bytes();
        assertTrue(quick < 1L << 30 && quick > MemoryEstimate.BASE_BYTES, MemoryEstimate.human(quick));
    }
}
