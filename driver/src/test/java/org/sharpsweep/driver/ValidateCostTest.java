package org.sharpsweep.driver;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 19, finding 9: {@code validate} says what a point will cost, and warns about a point of hours (docs/spec.md). */
class ValidateCostTest {
    @TempDir
    Path tmp;

    private String validate(String yaml) throws Exception {
        Path spec = tmp.resolve("spec.yaml");
        Files.writeString(spec, yaml);
        return Cli.expect(0, "validate", spec.toString());
    }

    @Test
    void aDeepCnnWithoutPoolingOnFullImagesIsWarnedAbout() throws Exception {
        // 6 blocks of 4 x 2^i channels at 28 x 28: about 154 MFLOP a sample's forward pass, 59 GFLOP a step of 128 (3 s at 20 GFLOP/s)
        String out = validate("""
                name: deep
                seed: 1
                data: {dataset: fashion-mnist, path: /usr/share/datasets/fashion-mnist, n_train: 1000, n_test: 100}
                model: {family: cnn, conv_blocks: 6, channels: 4, kernel: 3, pool: none, depth: 1, width: 32}
                train: {steps: 4000, lr: 0.01, batch_size: 128}
                measure: {sharpness: false, nonuniformity: false}
                """);
        assertTrue(out.contains("estimated ") && out.contains(" per point (") && out.contains(" for the sweep on "), out);
        assertTrue(out.contains("warning: the point is estimated at ") && out.contains(" h, mostly training: ")
                && out.contains(" s a step"), out);
    }

    @Test
    void aSmallSweepIsNot() throws Exception {
        String out = validate("""
                name: small
                seed: 1
                data: {dataset: teacher, input_dim: 4, n_train: 32, n_test: 32}
                model: {depth: 1, width: 8}
                train: {steps: 100, lr: 0.1, batch_size: 8}
                grid:
                  lr: [0.1, 0.2]
                """);
        assertTrue(out.contains("estimated ") && out.contains(" for the sweep on "), out);
        assertFalse(out.contains("warning"), out);
    }
}
