package org.sharpsweep.sweeps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SweepSpecTest {

    private static final String QUICK = """
            name: demo
            seed: 42
            data: {dataset: teacher, target: single-neuron, input_dim: 20, n_train: 200, n_test: 1000}
            model: {depth: 1, width: 50, activation: relu, init: default}
            loss: mse
            train: {steps: 500, lr: 0.1, batch_size: 50}
            penalty: {kind: gradnorm, coef: 0.0}
            measure: {sharpness: true, nonuniformity: true, tol: 1.0e-4, max_iters: 100}
            grid:
              lr: [0.05, 0.1, 0.2]
              batch_size: [10, 50, 200]
              width: [20, 100]
              penalty_coef: [0.0, 0.01]
              seed: {replicates: 2}
            """;

    @Test
    void parsesTheDesignExample() {
        SweepSpec s = SweepSpec.parse(QUICK);
        assertEquals("demo", s.name());
        assertEquals(42, s.seed());
        assertEquals(3 * 3 * 2 * 2 * 2, s.size());
        assertEquals(s.size(), s.points().size());
        assertEquals(Activation.RELU, s.model().activation());
        assertEquals(PenaltyKind.GRADNORM, s.penalty().kind());
    }

    @Test
    void roundTripsThroughYaml() {
        SweepSpec s = SweepSpec.parse(QUICK);
        assertEquals(s, SweepSpec.parse(s.toYaml()));
        SweepSpec ranged = SweepSpec.parse("""
                name: r
                grid:
                  lr: {from: 0.001, to: 1.0, num: 7, scale: log}
                  steps: {from: 10, to: 100, num: 4}
                """);
        assertEquals(ranged, SweepSpec.parse(ranged.toYaml()));
    }

    @Test
    void lastAxisVariesFastestAndPointsAreResolved() {
        List<GridPoint> pts = SweepSpec.parse(QUICK).points();
        GridPoint p0 = pts.get(0);
        GridPoint p1 = pts.get(1);
        assertEquals(Map.of("lr", 0.05, "batch_size", 10, "width", 20, "penalty_coef", 0.0, "seed", 0), p0.axes());
        assertEquals(1, p1.replicate());
        assertEquals(0.05, p1.spec().train().lr());
        // coefficient 0 is "no penalty" whatever the kind
        assertEquals(PenaltyKind.NONE, p0.spec().penalty().kind());
        GridPoint withPenalty = pts.stream().filter(p -> p.spec().penalty().coef() == 0.01).findFirst().orElseThrow();
        assertEquals(PenaltyKind.GRADNORM, withPenalty.spec().penalty().kind());
        for (int i = 0; i < pts.size(); i++) assertEquals(i, pts.get(i).index());
    }

    @Test
    void pointIdsAreStableUniqueAndSeedsDerived() {
        List<GridPoint> a = SweepSpec.parse(QUICK).points();
        List<GridPoint> b = SweepSpec.parse(QUICK).points();
        assertEquals(a.stream().map(GridPoint::pointId).toList(), b.stream().map(GridPoint::pointId).toList());
        assertEquals(a.size(), a.stream().map(GridPoint::pointId).distinct().count());
        assertEquals(a.size(), a.stream().map(GridPoint::seed).distinct().count());
        for (GridPoint p : a) assertEquals(Seeds.derive(42, p.pointId()), p.seed());
        // replicates differ in id and seed, not in settings
        assertEquals(a.get(0).spec(), a.get(1).spec());
        assertNotEquals(a.get(0).seed(), a.get(1).seed());
        // the sweep seed enters the id
        SweepSpec other = SweepSpec.parse(QUICK.replace("seed: 42", "seed: 43"));
        assertNotEquals(a.get(0).pointId(), other.points().get(0).pointId());
    }

    @Test
    void aGrownGridKeepsTheIdsOfTheOldPoints() {
        Set<String> before = ids(SweepSpec.parse(QUICK));
        Set<String> after = ids(SweepSpec.parse(QUICK.replace("lr: [0.05, 0.1, 0.2]", "lr: [0.05, 0.1, 0.2, 0.4]")));
        assertTrue(after.containsAll(before));
        assertEquals(before.size() / 3 * 4, after.size());
        // key order in the YAML and the sweep name do not matter
        Set<String> reordered = ids(SweepSpec.parse(QUICK.replace("name: demo", "name: other")
                .replace("model: {depth: 1, width: 50, activation: relu, init: default}",
                        "model: {init: default, activation: relu, width: 50, depth: 1}")));
        assertEquals(before, reordered);
    }

    @Test
    void fixedSettingAndSameValueAsAxisGiveTheSameId() {
        String fixed = "name: a\nmodel: {width: 30}\n";
        String axis = "name: a\ngrid: {width: [30, 40]}\n";
        assertTrue(ids(SweepSpec.parse(axis)).containsAll(ids(SweepSpec.parse(fixed))));
    }

    @Test
    void logRangeHasExactEndsAndRatio() {
        SweepSpec s = SweepSpec.parse("name: r\ngrid:\n  lr: {from: 0.01, to: 1.0, num: 5, scale: log}\n");
        List<Object> lr = s.grid().get(0).values();
        assertEquals(5, lr.size());
        assertEquals(0.01, (Double) lr.get(0));
        assertEquals(1.0, (Double) lr.get(4));
        // closed form: 0.01 * 10^(i/2)
        for (int i = 0; i < 5; i++) assertEquals(0.01 * Math.pow(10, i / 2.0), (Double) lr.get(i), 1e-12);
    }

    @Test
    void fullBatchDefaultResolvesToNTrain() {
        SweepSpec s = SweepSpec.parse("name: gd\ndata: {n_train: 64}\ngrid: {n_train: [64, 128]}\n");
        assertEquals(List.of(64, 128), s.points().stream().map(p -> p.spec().train().batchSize()).toList());
    }

    /** Epochs count passes: floor(n/B) steps each, so equal epochs give B-dependent step counts. */
    @Test
    void epochsSetTheStepsOfEveryBatchSize() {
        SweepSpec s = SweepSpec.parse("name: e\ndata: {n_train: 100}\ntrain: {epochs: 3}\ngrid: {batch_size: [10, 30, 100]}\n");
        assertEquals(List.of(30, 9, 3), s.points().stream().map(p -> p.spec().train().steps()).toList());
        assertEquals(List.of(3, 3, 3), s.points().stream().map(p -> p.spec().train().epochs()).toList());
        assertEquals(s, SweepSpec.parse(s.toYaml()));
        SweepSpec axis = SweepSpec.parse("name: e\ndata: {n_train: 100}\ntrain: {batch_size: 25}\ngrid: {epochs: [1, 2]}\n");
        assertEquals(List.of(4, 8), axis.points().stream().map(p -> p.spec().train().steps()).toList());
        assertEquals(axis, SweepSpec.parse(axis.toYaml()));
        assertEquals(1000, SweepSpec.parse("name: d\n").points().get(0).spec().train().steps(), "steps by default");
    }

    /** The spec reference in docs/spec.md is a valid spec, so the documentation cannot drift from the parser. */
    @Test
    void theSpecReferenceParses() throws java.io.IOException {
        String doc = java.nio.file.Files.readString(java.nio.file.Path.of(System.getProperty("user.dir")).resolveSibling("docs").resolve("spec.md"));
        int section = doc.indexOf("## The sweep spec");
        int start = doc.indexOf("```yaml\n", section) + "```yaml\n".length();
        String yaml = doc.substring(start, doc.indexOf("```", start));
        SweepSpec s = SweepSpec.parse(yaml);
        assertEquals(3 * 3 * 3 * 2 * 2, s.size());
        assertEquals(Dataset.TEACHER, s.data().dataset());
    }

    @Test
    void inputScaleIsASettingAndAnAxis() {
        SweepSpec s = SweepSpec.parse("name: s\ndata: {dataset: mnist, path: /x}\ngrid: {input_scale: [unit, standardize]}\n");
        assertEquals(List.of(InputScale.UNIT, InputScale.STANDARDIZE), s.points().stream().map(p -> p.spec().data().scale()).toList());
        assertEquals(s, SweepSpec.parse(s.toYaml()));
    }

    @Test
    void replicateListIsAccepted() {
        SweepSpec s = SweepSpec.parse("name: s\ngrid:\n  seed: [3, 5]\n");
        assertEquals(List.of(3, 5), s.points().stream().map(GridPoint::replicate).toList());
    }

    static Stream<Arguments> badSpecs() {
        return Stream.of(
                Arguments.of("unknown top key", "name: a\nfoo: 1\n", "unknown key 'foo'"),
                Arguments.of("unknown section key", "name: a\ntrain: {lr: 0.1, lrr: 2}\n", "unknown key 'train.lrr'"),
                Arguments.of("negative lr", "name: a\ntrain: {lr: -0.1}\n", "train.lr must be > 0"),
                Arguments.of("NaN lr", "name: a\ntrain: {lr: .nan}\n", "train.lr must be a finite number, got .nan (line 2): NaN and infinite values are not allowed"),
                Arguments.of("string lr", "name: a\ntrain: {lr: fast}\n", "train.lr must be a number, got 'fast'"),
                Arguments.of("batch > n", "name: a\ndata: {n_train: 10}\ntrain: {batch_size: 20}\n", "batch_size 20 is larger than data.n_train 10"),
                Arguments.of("batch > n on axis", "name: a\ndata: {n_train: 10}\ngrid: {batch_size: [5, 20]}\n", "grid point 1"),
                Arguments.of("missing data path", "name: a\ndata: {dataset: fashion-mnist}\n", "data.path is required for dataset fashion-mnist"),
                Arguments.of("empty axis", "name: a\ngrid: {lr: []}\n", "grid.lr is empty"),
                Arguments.of("unknown axis", "name: a\ngrid: {learning_rate: [0.1]}\n", "grid.learning_rate is not a grid axis"),
                Arguments.of("bad enum", "name: a\nmodel: {activation: sigmoid}\n", "model.activation must be one of relu | tanh, got 'sigmoid'"),
                Arguments.of("missing name", "seed: 1\n", "name is required"),
                Arguments.of("bad name", "name: a/b\n", "name must be"),
                Arguments.of("xent on regression", "name: a\nloss: xent\n", "loss xent needs a classification data set"),
                Arguments.of("coef without kind", "name: a\npenalty: {coef: 0.1}\n", "penalty.kind is none"),
                Arguments.of("repeated value", "name: a\ngrid: {lr: [0.1, 0.1]}\n", "grid.lr repeats a value"),
                Arguments.of("bad range scale", "name: a\ngrid: {lr: {from: 0.1, to: 1, num: 3, scale: cubic}}\n", "grid.lr.scale must be linear | log"),
                Arguments.of("log range from 0", "name: a\ngrid: {lr: {from: 0, to: 1, num: 3, scale: log}}\n", "needs from > 0"),
                Arguments.of("label noise > 1", "name: a\ndata: {dataset: mnist, path: /x, label_noise: 1.5}\n", "data.label_noise must be in [0, 1], got 1.5"),
                Arguments.of("zero replicates", "name: a\ngrid: {seed: {replicates: 0}}\n", "grid.seed.replicates must be an integer >= 1"),
                Arguments.of("steps and epochs", "name: a\ntrain: {steps: 10, epochs: 2}\n", "train.steps and train.epochs are both given"),
                Arguments.of("steps axis and epochs", "name: a\ntrain: {epochs: 2}\ngrid: {steps: [10, 20]}\n", "train.steps and train.epochs are both given"),
                Arguments.of("negative epochs", "name: a\ntrain: {epochs: -1}\n", "train.epochs must be an integer >= 1, got -1"),
                Arguments.of("scale on teacher", "name: a\ndata: {scale: standardize}\n", "data.scale applies to image data sets, not teacher"),
                Arguments.of("bad scale", "name: a\ndata: {dataset: mnist, path: /x, scale: minmax}\n", "data.scale must be one of unit | standardize, got 'minmax'"),
                Arguments.of("not yaml", "name: [a\n", "not valid YAML")
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSpecs")
    void rejectsBadInputNamingFieldAndValue(String what, String yaml, String expected) {
        SpecException e = assertThrows(SpecException.class, () -> SweepSpec.parse(yaml.replace("\\n", "\n")));
        assertTrue(e.getMessage().contains(expected.strip()), () -> what + ": message was: " + e.getMessage());
    }

    @Test
    void catalogSpecsAllParse() {
        for (String name : Catalog.NAMES) {
            SweepSpec s = Catalog.resolve(name);
            assertEquals(s, SweepSpec.parse(s.toYaml()), name);
        }
        SweepSpec q = Catalog.resolve("quickstart");
        assertTrue(q.size() >= 24, "quickstart has at least 24 points");
        Set<String> axes = q.grid().stream().map(Axis::name).collect(Collectors.toSet());
        assertTrue(axes.containsAll(List.of("lr", "batch_size", "width", "penalty_coef")));
        assertThrows(SpecException.class, () -> Catalog.resolve("no-such-sweep"));
    }

    @Test
    void schemaHasAColumnPerSettingAndNoDuplicates() {
        Set<String> names = new HashSet<>();
        for (ResultSchema.Column c : ResultSchema.columns()) assertTrue(names.add(c.name()), c.name());
        for (Setting s : Setting.values()) assertTrue(names.contains(s.shortName), s.shortName);
        assertNull(Setting.CLASSES.toColumn(List.of()));
        assertEquals("0,3", Setting.CLASSES.toColumn(List.of(0, 3)));
    }

    private static Set<String> ids(SweepSpec s) {
        return s.points().stream().map(GridPoint::pointId).collect(Collectors.toSet());
    }
}
