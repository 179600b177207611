package org.sharpsweep.sweeps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The one-time upgrade of a table written before {@link PointIds}: the resources under
 * {@code legacy/} are specs as the previous release kept them ({@code toYaml} of commit
 * 73975f4: defaults written out, {@code batch_size: 0}, ranges expanded into unrounded lists)
 * and the ids and seeds that release gave each point ({@code index id seed}), both written by
 * that commit's code. {@link SweepSpec#parseLegacy} and {@link SweepSpec#idUpgrades} must give
 * back exactly those old ids, and as new ids those of a fresh run of the original spec.
 */
class LegacyUpgradeTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "teacher-stability|",
            "tiny|",
            "gd|name: gd\\nseed: 11\\ndata: {n_train: 64}\\ntrain: {steps: 50}\\ngrid:\\n  lr: {from: 0.05, to: 0.8, num: 7}\\n"
                    + "  momentum: {from: 0.0, to: 0.9, num: 4}\\n  seed: {replicates: 2}\\n",
    })
    void aKeptSpecOfThePreviousReleaseMapsEveryOldIdToTheIdOfAFreshRun(String name, String original) throws IOException {
        SweepSpec kept = SweepSpec.parseLegacy(resource(name + ".kept.yaml"));
        SweepSpec fresh = original == null ? Catalog.resolve(name) : SweepSpec.parse(original.replace("\\n", "\n"));
        List<SweepSpec.IdUpgrade> map = kept.idUpgrades();
        String[] old = resource(name + ".ids").strip().split("\n");
        assertEquals(old.length, map.size());
        assertEquals(fresh.size(), map.size());
        for (int i = 0; i < old.length; i++) {
            String[] f = old[i].split(" ");
            SweepSpec.IdUpgrade u = map.get(i);
            assertEquals(f[1], u.legacyId(), name + " point " + i + ": the id the previous release wrote");
            assertEquals(Long.parseLong(f[2]), u.legacySeed(), name + " point " + i);
            assertEquals(fresh.point(i).pointId(), u.pointId(), name + " point " + i + ": the id a fresh run gives");
            assertEquals(fresh.point(i).seed(), u.seed());
        }
        // the kept spec, rewritten now, reads back as the same points
        SweepSpec rewritten = SweepSpec.parse(kept.toYaml());
        assertEquals(fresh.points().stream().map(GridPoint::pointId).toList(),
                rewritten.points().stream().map(GridPoint::pointId).toList());
        assertTrue(kept.grid().stream().anyMatch(a -> a.range() != null) == fresh.grid().stream().anyMatch(a -> a.range() != null
                && a.setting() != null && a.setting().type == Double.class), "a double range is recovered from its list");
    }

    private static String resource(String file) throws IOException {
        try (InputStream in = LegacyUpgradeTest.class.getResourceAsStream("/legacy/" + file)) {
            assertNotNull(in, file);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
