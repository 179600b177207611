package org.sharpsweep.driver;

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
 * half second, and a logged line (stderr is not a terminal) is printed when a point starts
 * training. The sweep would train for hours: the test stops it once the line is there.
 */
class ProgressLineIT {
    @TempDir
    Path tmp;

    @Test
    void theLineShowsTheStepsOfTheRunningPoints() throws Exception {
        Path spec = tmp.resolve("long.yaml");
        // two small networks: one lockstep group of two, training far longer than the test waits
        Files.writeString(spec, """
                name: long
                seed: 7
                data: {dataset: teacher, target: linear, input_dim: 5, n_train: 40, n_test: 40}
                model: {depth: 1, width: 8, activation: tanh}
                train: {steps: 100000000, lr: 0.01, batch_size: 10}
                measure: {sharpness: false, nonuniformity: false}
                grid:
                  lr: [0.01, 0.02]
                """);
        Path log = tmp.resolve("run.log");
        Process p = Cli.start(log, List.of("-Dspark.executor.heartbeatInterval=500ms"),
                "run", spec.toString(), "--out", tmp.resolve("out").toString(), "--master", "local[1]");
        Pattern line = Pattern.compile("2 points from 0 step ([\\d,]+)/100,000,000");
        Matcher m = null;
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (System.nanoTime() < deadline && p.isAlive()) {
                Thread.sleep(500);
                Matcher now = line.matcher(Files.readString(log));
                if (now.find()) {
                    m = now;
                    break;
                }
            }
        } finally {
            p.destroy();
            p.waitFor(1, TimeUnit.MINUTES);
        }
        assertTrue(m != null, "a line with the group's steps: " + Files.readString(log));
        long steps = Long.parseLong(m.group(1).replace(",", ""));
        assertTrue(steps > 0 && steps < 100_000_000, "steps taken so far: " + steps);
    }
}
