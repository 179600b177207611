package org.sharpsweep.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, finding 10: {@code scripts/sharpsweep} run by a user who cannot read the build (its
 * classpath lists the builder's ~/.m2) says so and exits 2, instead of the JVM's
 * NoClassDefFoundError. The build here is a copy of the scripts beside a stand-in jar and a
 * classpath naming a jar that is not there, which {@code [[ -r ]]} treats as an unreadable one
 * (the tests may run as root, who can read any file that exists).
 */
class SharpsweepScriptTest {
    @TempDir
    Path tmp;

    @Test
    void anUnreadableBuildIsNamedNotAStackTrace() throws Exception {
        Path repo = Path.of(System.getProperty("user.dir")).getParent(); // Surefire runs in the module's folder
        Path scripts = Files.createDirectories(tmp.resolve("scripts"));
        for (String f : new String[] {"sharpsweep", "java-opts.sh"}) {
            Files.copy(repo.resolve("scripts").resolve(f), scripts.resolve(f), StandardCopyOption.COPY_ATTRIBUTES);
        }
        Path target = Files.createDirectories(tmp.resolve("driver").resolve("target"));
        Files.writeString(target.resolve("sharpsweep-app.jar"), "");
        Path missing = tmp.resolve("m2").resolve("spark-core_2.12-3.5.5.jar");
        Files.writeString(target.resolve("spark-classpath.txt"), target.resolve("sharpsweep-app.jar") + ":" + missing + ":" + missing);
        Process p = new ProcessBuilder("bash", scripts.resolve("sharpsweep").toString(), "--help").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(2, p.waitFor(), out);
        assertTrue(out.contains("cannot read the build in " + tmp + ": " + missing + " (and 1 more of its files) is missing or unreadable"), out);
        assertTrue(out.contains("Run as the user who built it"), out);
        assertTrue(!out.contains("Exception") && !out.contains("Error"), out);
    }
}
