package org.sharpsweep.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What {@code serve} says before it listens: nothing on this machine's loopback, a warning on any other address. */
class ServeCommandTest {
    @Test
    void loopbackServesThisMachineOnlyAndSaysNothing() {
        for (String host : new String[] {"127.0.0.1", "localhost", "::1"}) {
            assertNull(ServeCommand.exposure(ServeCommand.address(host, 0), "results"), host);
        }
    }

    @Test
    void anyOtherAddressIsAWarningThatEveryResultIsReadable() {
        String all = ServeCommand.exposure(ServeCommand.address("0.0.0.0", 8765), "results");
        assertTrue(all.startsWith("warning: serving on every network interface of this machine: there is no authentication, "
                + "so anyone who can reach it can read every result in results"), all);
        String one = ServeCommand.exposure(ServeCommand.address("192.0.2.7", 8765), "results");
        assertTrue(one.startsWith("warning: serving on 192.0.2.7: there is no authentication"), one);
        assertTrue(one.endsWith("the default, --host 127.0.0.1, serves this machine only"), one);
    }

    @Test
    void aBadPortIsRefusedBeforeAnyWork() {
        String[] r = Cli.run("serve", "results", "--port", "70000");
        assertEquals("2", r[0], r[1]);
        assertTrue(r[1].contains("--port must be 0 to 65535, got 70000"), r[1]);
    }
}
