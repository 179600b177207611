package org.sharpsweep.driver;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sharpsweep.store.TableFiles;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.SweepSpec;

/**
 * A restart from saved parameters is checked against its source with the table's kept specs
 * alone (its file listing, no Spark session): the same network on the same data,
 * the first difference named with both values (docs/spec.md, "Starting from saved parameters").
 */
class RestartSourcesTest {
    static final String SOURCE = """
            name: source
            seed: 3
            data: {dataset: teacher, target: single-neuron, input_dim: 4, n_train: 32, n_test: 64}
            model: {depth: 1, width: 6, activation: relu}
            loss: mse
            train: {steps: 40, lr: 0.1}
            measure: {save_params: true, nonuniformity: false}
            """;

    @TempDir
    Path tmp;

    private String table() throws Exception {
        Files.createDirectories(tmp.resolve(ResultSchema.SPECS_DIR));
        Files.writeString(tmp.resolve(ResultSchema.specFile("source")), SweepSpec.parse(SOURCE).toYaml());
        Files.createDirectories(tmp.resolve(ResultSchema.SWEEP_ID + "=source"));
        return tmp.toString();
    }

    static String restart(String point, String model, String extra) {
        return "name: restart\nseed: 3\ndata: {dataset: teacher, target: single-neuron, input_dim: 4, n_train: 32, n_test: 64}\n"
                + "model: " + model + "\nloss: mse\ntrain: {steps: 20, lr: 0.05, batch_size: 8, dtype: float32, from_sweep: source, "
                + "from_point: \"" + point + "\"" + extra + "}\n";
    }

    private static String id() {
        return SweepSpec.parse(SOURCE).point(0).pointId();
    }

    private IllegalArgumentException refused(String dir, String spec) {
        return assertThrows(IllegalArgumentException.class,
                () -> RestartSources.check(TableFiles.local(Path.of(dir)), dir, SweepSpec.parse(spec).points()));
    }

    @Test
    void anotherActivationOfTheSameSizeIsRefusedNamingIt() throws Exception {
        String dir = table();
        String spec = restart(id(), "{depth: 1, width: 6, activation: tanh}", "");
        assertEquals(SweepSpec.parse(SOURCE).point(0).spec().numParams(), SweepSpec.parse(spec).point(0).spec().numParams(),
                "the same number of parameters: the count alone cannot tell");
        IllegalArgumentException e = refused(dir, spec);
        assertTrue(e.getMessage().contains("model.activation relu, but point 0 has model.activation tanh"), e.getMessage());
    }

    @Test
    void meanFieldScalingAndOtherDataAreRefused() throws Exception {
        String dir = table();
        assertTrue(refused(dir, restart(id(), "{depth: 1, width: 6, activation: relu, init: mean-field}", "")).getMessage()
                .contains("model.init default, but point 0 has model.init mean-field"));
        assertTrue(refused(dir, restart(id(), "{depth: 1, width: 6, activation: relu}", "").replace("single-neuron", "linear"))
                .getMessage().contains("data.target single-neuron, but point 0 has data.target linear"));
        assertTrue(refused(dir, restart(id(), "{depth: 1, width: 6, activation: relu}", "").replace("n_train: 32", "n_train: 64"))
                .getMessage().contains("data.n_train 32, but point 0 has data.n_train 64"));
    }

    @Test
    void howTheRestartOptimizesMayDiffer() throws Exception {
        String dir = table();
        // another lr, batch size, steps, precision, momentum, loss scaling, penalty and n_test: the escape experiment's kind of restart
        String spec = restart(id(), "{depth: 1, width: 6, activation: relu}", ", momentum: 0.9")
                .replace("loss: mse", "loss: half-sse\npenalty: {kind: gradnorm, coef: 0.01}").replace("n_test: 64", "n_test: 16");
        assertDoesNotThrow(() -> RestartSources.check(TableFiles.local(Path.of(dir)), dir, SweepSpec.parse(spec).points()));
    }

    @Test
    void aCnnDoesNotReadAnMlpOfTheSameSize() {
        // Fashion-MNIST shapes (no file is read): an mlp of one hidden layer of 394 units and a cnn of one
        // block of 159 channels, 3x3, max pooling, no hidden layer: 795 w + 10 = 159 (9 + 1 + 196 * 10) + 10 = 313,240
        String data = "data: {dataset: fashion-mnist, path: /nonexistent, n_train: 32, n_test: 32}\nloss: mse\n";
        SweepSpec mlp = SweepSpec.parse("name: m\nseed: 1\n" + data + "model: {depth: 1, width: 394}\ntrain: {steps: 1, lr: 0.1}\n");
        SweepSpec cnn = SweepSpec.parse("name: c\nseed: 1\n" + data
                + "model: {family: cnn, depth: 0, conv_blocks: 1, channels: 159, kernel: 3, pool: max}\ntrain: {steps: 1, lr: 0.1}\n");
        assertEquals(313_240, mlp.point(0).spec().numParams());
        assertEquals(313_240, cnn.point(0).spec().numParams());
        assertEquals("model.family mlp, but %s has model.family cnn",
                RestartSources.firstDifference(mlp.point(0).spec(), cnn.point(0).spec()));
    }

    @Test
    void aMissingSourceIsNamed() throws Exception {
        assertTrue(refused(tmp.resolve("empty").toString(), restart(id(), "{depth: 1, width: 6}", "")).getMessage()
                .contains("holds no results table"));
        String dir = table();
        assertTrue(refused(dir, restart(id(), "{depth: 1, width: 6}", "").replace("from_sweep: source", "from_sweep: nosuch"))
                .getMessage().contains("no sweep 'nosuch'"));
        assertTrue(refused(dir, restart("0000000000000000", "{depth: 1, width: 6}", "")).getMessage()
                .contains("has no point '0000000000000000'"));
    }
}
