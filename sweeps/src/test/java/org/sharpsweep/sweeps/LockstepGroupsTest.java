package org.sharpsweep.sweeps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class LockstepGroupsTest {
    private static List<GridPoint> points(int lrs, String extra) {
        return SweepSpec.parse("""
                name: g
                data: {dataset: teacher, input_dim: 4, n_train: 20, n_test: 20}
                model: {depth: 1, width: 6}
                train: {steps: 10, batch_size: 5%s}
                grid:
                  lr: {from: 0.001, to: 1.0, num: %d, scale: log}
                """.formatted(extra, lrs)).points();
    }

    private static List<Integer> sizes(List<List<GridPoint>> groups) {
        return groups.stream().map(List::size).toList();
    }

    @Test
    void aKeysPointsSplitIntoBalancedGroupsOfAtMost64AtLeastOnePerSlot() {
        assertEquals(List.of(50, 50, 50, 50), sizes(LockstepGroups.of(points(200, ""), 2)));
        assertEquals(List.of(44, 43, 43), sizes(LockstepGroups.of(points(130, ""), 2)));
        assertEquals(List.of(1, 1, 1, 1, 1), sizes(LockstepGroups.of(points(5, ""), 8)));
        assertEquals(List.of(10), sizes(LockstepGroups.of(points(10, ""), 1)));
        assertEquals(List.of(1, 1, 1), sizes(LockstepGroups.of(points(3, ", lockstep: off"), 1)), "off: one task per point");
    }

    @Test
    void groupsOfSeveralCountsWhatOfMakes() {
        for (int lrs : new int[] {2, 3, 5, 10, 64, 65, 130, 200}) {
            for (int slots : new int[] {1, 2, 3, 8, 100}) {
                List<GridPoint> all = points(lrs, "");
                assertEquals(LockstepGroups.of(all, slots).stream().filter(g -> g.size() > 1).count(),
                        LockstepGroups.groupsOfSeveral(all, slots), lrs + " points on " + slots + " slots");
            }
        }
        assertEquals(0, LockstepGroups.groupsOfSeveral(points(10, ", lockstep: off"), 1));
    }

    @Test
    void aGridsPointsAreComputedAsTheyAreReadAndAlwaysTheSame() {
        List<GridPoint> all = points(GridPoints.CHUNK * 2 + 7, "");
        GridPoint late = all.get(GridPoints.CHUNK * 2 + 3);
        GridPoint early = all.get(5); // its chunk computed again
        assertEquals(5, early.index());
        assertEquals(GridPoints.CHUNK * 2 + 3, late.index());
        SweepSpec same = SweepSpec.parse("""
                name: g
                data: {dataset: teacher, input_dim: 4, n_train: 20, n_test: 20}
                model: {depth: 1, width: 6}
                train: {steps: 10, batch_size: 5}
                grid:
                  lr: {from: 0.001, to: 1.0, num: %d, scale: log}
                """.formatted(GridPoints.CHUNK * 2 + 7));
        for (int i : new int[] {0, 5, GridPoints.CHUNK - 1, GridPoints.CHUNK, GridPoints.CHUNK * 2 + 6}) {
            assertEquals(same.point(i), all.get(i), "point " + i + " as computed alone");
        }
        assertEquals(early, all.get(5), "and again");
        Set<String> ids = new HashSet<>();
        for (GridPoint p : all) ids.add(p.pointId());
        assertEquals(all.size(), ids.size());
    }

    @Test
    void everyPointOnceInItsOrder() {
        List<GridPoint> all = points(130, "");
        Set<String> seen = new HashSet<>();
        int last = -1;
        for (List<GridPoint> g : LockstepGroups.of(all, 3)) {
            for (GridPoint p : g) {
                assertTrue(seen.add(p.pointId()));
                assertTrue(p.index() > last, "in order");
                last = p.index();
            }
        }
        assertEquals(130, seen.size());
    }

    @Test
    void onlyMlpsInOneTaskWithSmallWorkAreSmallNetworks() {
        PointSpec small = points(2, "").get(0).spec();
        assertTrue(LockstepGroups.smallNetwork(small));
        PointSpec wide = SweepSpec.parse("name: w\ndata: {dataset: teacher, input_dim: 4, n_train: 200}\nmodel: {width: 7000}\n"
                + "train: {batch_size: 100}\n").point(0).spec();
        assertFalse(LockstepGroups.smallNetwork(wide), "100 x 42001 parameters is past " + LockstepGroups.MAX_WORK);
        // float64: any batch of a network of at most MAX_PARAMS parameters; float32 (scalar products) by B x P only
        String mid = "name: m\ndata: {dataset: teacher, input_dim: 4, n_train: 1000}\nmodel: {width: 1000}\ntrain: {batch_size: 1000%s}\n";
        PointSpec mid64 = SweepSpec.parse(String.format(mid, "")).point(0).spec();
        PointSpec mid32 = SweepSpec.parse(String.format(mid, ", dtype: float32")).point(0).spec();
        assertTrue(mid64.numParams() <= LockstepGroups.MAX_PARAMS && 1000L * mid64.numParams() > LockstepGroups.MAX_WORK);
        assertTrue(LockstepGroups.smallNetwork(mid64), "float64, " + mid64.numParams() + " parameters at B = 1000");
        assertFalse(LockstepGroups.smallNetwork(mid32), "float32, " + mid32.numParams() + " parameters at B = 1000");
    }
}
