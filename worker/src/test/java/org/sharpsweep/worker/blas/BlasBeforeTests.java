package org.sharpsweep.worker.blas;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Chooses the OpenBLAS kernel of the test JVM before any test class touches ND4J (registered in
 * META-INF/services): the tests' matrix products then run at the speed the engine's do.
 */
public final class BlasBeforeTests implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        Blas.prepare();
    }
}
