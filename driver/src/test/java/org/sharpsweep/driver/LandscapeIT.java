package org.sharpsweep.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sharpsweep.store.ResultsTable;
import org.sharpsweep.sweeps.ResultSchema;
import org.sharpsweep.sweeps.SweepSpec;

/**
 * {@code sharpsweep landscape} on a sweep that saved its parameters: the landscape's value at
 * alpha = 0 is the results row's train_loss (docs/science.md, "Loss landscapes"), its path starts
 * at the loss the trajectory recorded at step 0 (the initial parameters rebuilt from the kept
 * spec's seeds), the PNG and the SVG are written, the report draws one; bad input is one line, exit 2, naming the value,
 * and writes nothing.
 */
class LandscapeIT {
    static final String SPEC = """
            name: land
            seed: 9
            data: {dataset: teacher, input_dim: 4, n_train: 24, n_test: 24}
            model: {depth: 1, width: 6, activation: tanh}
            train: {steps: 40, lr: 0.1, batch_size: 8}
            measure: {nonuniformity: false, max_iters: 60, every: 40, save_params: true}
            grid:
              lr: [0.05, 0.1]
            """;
    /** The same parameters and rows: the landscape's loss and the run's differ only in rounding. */
    static final double SAME_LOSS = 1e-12;

    @TempDir
    Path tmp;

    static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), regex + " in " + text);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void drawsThePointsLandscapeWhoseValueAtZeroIsItsTrainLoss() throws Exception {
        SparkSession spark = SharedSpark.get();
        String dir = tmp.resolve("results").toString();
        assertEquals(2, SweepRunner.run(spark, SweepSpec.parse(SPEC), dir).ok());
        Row row = ResultsTable.read(spark, dir).filter("lr = 0.1").select(ResultSchema.POINT_ID, ResultSchema.TRAIN_LOSS).first();
        String id = row.getString(0);
        double trainLoss = row.getDouble(1);
        double startLoss = ResultsTable.read(spark, dir, ResultSchema.TRAJECTORIES)
                .filter("point_id = '" + id + "' AND step = 0").select(ResultSchema.TRAIN_LOSS).first().getDouble(0);

        Path png = tmp.resolve("pictures/landscape.png");
        String out = Cli.expect(0, "landscape", dir, "--sweep", "land", "--point", id, "--out", png.toString());
        assertEquals(trainLoss, number(out, "train_loss at theta (\\S+) "), SAME_LOSS * trainLoss, "the landscape at 0 is train_loss");
        assertEquals(startLoss, number(out, "train_loss there (\\S+),"), SAME_LOSS * startLoss, "the path at 0 is the initial parameters");
        assertTrue(out.contains("landscape: " + png.toAbsolutePath()), out);
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, "the PNG decodes");
        assertEquals(1200, img.getWidth());

        Path svg = tmp.resolve("plane.svg");
        Cli.expect(0, "landscape", dir, "--sweep", "land", "--point", id, "--plane", "--steps", "11", "--range", "-0.5,0.5", "--out", svg.toString());
        assertTrue(Files.readString(svg).contains("<svg"));

        // the report draws the landscape of the sweep's first point with saved parameters
        Path report = tmp.resolve("report");
        Cli.expect(0, "report", dir, "--out", report.toString());
        assertTrue(Files.exists(report.resolve("img/s1-land-landscape.png")), "the report's landscape picture");
        assertTrue(Files.exists(report.resolve("img/s1-land-landscape.svg")));
        assertTrue(Files.readString(report.resolve("index.html")).contains("<h3>Loss landscape</h3>"));
    }

    @Test
    void badInputIsOneLineNamingTheValueAndWritesNothing() throws Exception {
        SparkSession spark = SharedSpark.get();
        String dir = tmp.resolve("bad").toString();
        assertEquals(2, SweepRunner.run(spark, SweepSpec.parse(SPEC), dir).ok());
        assertEquals(1, SweepRunner.run(spark, SweepSpec.parse(SPEC.replace("name: land", "name: unsaved")
                .replace(", save_params: true", "").replace("[0.05, 0.1]", "[0.2]")), dir).ok());
        String id = ResultsTable.read(spark, dir).filter("sweep_id = 'land'").select(ResultSchema.POINT_ID).first().getString(0);
        String unsavedId = ResultsTable.read(spark, dir).filter("sweep_id = 'unsaved'").select(ResultSchema.POINT_ID).first().getString(0);
        Path png = tmp.resolve("never.png");
        for (List<String> c : List.of(
                List.of("nosuch", "--sweep", "nosuch", "--point", id),
                List.of("nopoint", "--sweep", "land", "--point", "nopoint"),
                List.of(unsavedId + " of sweep unsaved has no saved parameters", "--sweep", "unsaved", "--point", unsavedId),
                List.of("--steps 2", "--sweep", "land", "--point", id, "--steps", "2"),
                List.of("--range 1.0,-1.0", "--sweep", "land", "--point", id, "--range", "1,-1"))) {
            List<String> args = new java.util.ArrayList<>(List.of("landscape", dir));
            args.addAll(c.subList(1, c.size()));
            args.addAll(List.of("--out", png.toString()));
            String said = Cli.expect(2, args.toArray(String[]::new));
            assertTrue(said.contains(c.get(0)), c + ": " + said);
            assertEquals(1, said.strip().lines().count(), said);
            assertFalse(Files.exists(png), "nothing written for " + c);
        }
        String said = Cli.expect(2, "landscape", dir, "--sweep", "land", "--point", id, "--out", tmp.resolve("x.jpg").toString());
        assertTrue(said.contains("x.jpg"), said);
    }
}
