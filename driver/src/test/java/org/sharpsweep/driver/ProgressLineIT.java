package org.sharpsweep.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The progress line says how far a running point's training is ({@link PointProgress}): the
 * step counts travel from the task that trains to the driver in executor heartbeats, here every
 * half second, while the line is printed every 5 s (stderr is not a terminal).
 */
class ProgressLineIT {
    @TempDir
    Path tmp;

    @Test
    void theLineShowsTheStepsOfTheRunningPoints() throws Exception {
        Path spec = tmp.resolve("long.yaml");
        // two small networks: one lockstep group of two, training for several seconds
        Files.writeString(spec, """
                name: long
                seed: 7
                data: {dataset: teacher, target: linear, input_dim: 5, n_train: 40, n_test: 40}
                model: {depth: 1, width: 8, activation: tanh}
                train: {steps: 1500000, lr: 0.01, batch_size: 10}
                measure: {sharpness: false, nonuniformity: false}
                grid:
                  lr: [0.01, 0.02]
                """);
        Path log = tmp.resolve("run.log");
        Process p = Cli.start(log, List.of("-Dspark.executor.heartbeatInterval=500ms"),
                "run", spec.toString(), "--out", tmp.resolve("out").toString(), "--master", "local[1]");
        assertTrue(p.waitFor(4, TimeUnit.MINUTES), "the sweep ends");
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), out);
        Matcher m = Pattern.compile("2 points from 0 step ([\\d,]+)/1,500,000").matcher(out);
        assertTrue(m.find(), "a line with the group's steps: " + out);
        long steps = Long.parseLong(m.group(1).replace(",", ""));
        assertTrue(steps > 0 && steps < 1_500_000, "steps taken so far: " + steps);
        assertTrue(out.contains("2 run (2 OK"), out);
    }
}
