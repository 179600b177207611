package org.sharpsweep.store;

/**
 * Named points where tests make the process die as {@code kill -9} would: when the system
 * property {@code sharpsweep.fault} names the point, the JVM halts there at once (no shutdown
 * hooks, no finally blocks, open files as they are). Never set outside tests.
 */
public final class Faults {
    private Faults() {
    }

    public static final String PROPERTY = "sharpsweep.fault";

    public static void at(String point) {
        if (point.equals(System.getProperty(PROPERTY))) {
            System.err.println("fault injected: halting at " + point);
            System.err.flush();
            Runtime.getRuntime().halt(137);
        }
    }
}
