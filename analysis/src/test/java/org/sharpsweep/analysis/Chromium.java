package org.sharpsweep.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headless Chromium for tests of the HTML report (Debian package {@code chromium}; another
 * binary via the {@code CHROMIUM} environment variable). Without Chromium a test that needs it
 * fails: CI installs it. Shared with the driver's tests through this module's test jar.
 */
public final class Chromium {
    private Chromium() {
    }

    private static final long BROWSER_TIMEOUT_S = 120;
    private static final Pattern LOADED = Pattern.compile("data-images-loaded=\"(\\d+)/(\\d+)\"");

    /** The browser binary: $CHROMIUM, else chromium or chromium-browser on the PATH. */
    static String binary() {
        String env = System.getenv("CHROMIUM");
        if (env != null && !env.isBlank()) {
            if (Files.isExecutable(Path.of(env))) return env;
            return fail("CHROMIUM=" + env + " is not an executable file");
        }
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.add("/usr/bin");
        for (String name : List.of("chromium", "chromium-browser")) {
            for (String d : dirs) {
                if (!d.isEmpty() && Files.isExecutable(Path.of(d, name))) return Path.of(d, name).toString();
            }
        }
        return fail("headless Chromium is needed to check the HTML report: install the Debian package 'chromium' "
                + "(apt-get install chromium) or set CHROMIUM to a Chrome/Chromium binary");
    }

    /**
     * Runs Chromium headless with a fresh profile under {@code scratch} and the flags that keep
     * it off the network, and returns its stdout.
     */
    public static String browse(Path scratch, String... args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(scratch, "chromium-profile");
        List<String> cmd = new ArrayList<>(List.of(binary(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--virtual-time-budget=5000"));
        cmd.addAll(List.of(args));
        Path out = scratch.resolve("chromium-" + System.nanoTime() + ".out");
        Path err = scratch.resolve("chromium-" + System.nanoTime() + ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(BROWSER_TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("Chromium did not finish in " + BROWSER_TIMEOUT_S + " s: " + cmd);
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "Chromium failed: " + cmd + "\n" + Files.readString(err, StandardCharsets.UTF_8));
        return stdout;
    }

    /**
     * The report page's own count of its images, {loaded, seen}, read from the DOM that
     * {@code --dump-dom} printed (the page's inline script sets {@code data-images-loaded} on load).
     */
    public static int[] imagesLoaded(String dom) {
        Matcher m = LOADED.matcher(dom);
        assertTrue(m.find(), "the page's load script ran and set data-images-loaded:\n"
                + dom.substring(0, Math.min(2000, dom.length())));
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }
}
