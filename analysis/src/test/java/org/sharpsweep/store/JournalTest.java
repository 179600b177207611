package org.sharpsweep.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.sharpsweep.sweeps.ResultSchema;

/**
 * The journal line is the only copy of a finished point until its batch reaches Parquet, so its
 * encoding must give back every value exactly: doubles to the bit (NaN and infinities included),
 * instants to the nanosecond, the rows of the other tables and their arrays.
 */
class JournalTest {
    @Test
    void aRowWithItsOtherTablesComesBackExactly() {
        Instant start = Instant.parse("2026-11-29T12:00:00.123456789Z");
        Map<String, Object> row = new LinkedHashMap<>();
        row.put(ResultSchema.SWEEP_ID, "s");
        row.put(ResultSchema.POINT_ID, "abc");
        row.put(ResultSchema.POINT_INDEX, 3);
        row.put(ResultSchema.STATUS, "OK");
        row.put(ResultSchema.SHARPNESS, 0.1 + 0.2);
        row.put(ResultSchema.HESSIAN_TRACE, Double.NaN);
        row.put(ResultSchema.SEED, Long.MIN_VALUE);
        row.put(ResultSchema.START_TIME, start);
        Map<String, Object> traj = new LinkedHashMap<>();
        traj.put(ResultSchema.SWEEP_ID, "s");
        traj.put(ResultSchema.POINT_ID, "abc");
        traj.put(ResultSchema.START_TIME, start);
        traj.put(ResultSchema.STEP, 50);
        traj.put(ResultSchema.SHARPNESS, Double.POSITIVE_INFINITY);
        double[] theta = {1e-300, -0.0, Double.MIN_VALUE, Math.PI, Double.NaN, -Double.MAX_VALUE};
        Map<String, Object> params = new LinkedHashMap<>();
        params.put(ResultSchema.POINT_ID, "abc");
        params.put(ResultSchema.START_TIME, start);
        params.put(ResultSchema.PARAMS, theta);
        row.put(ResultSchema.CHILD_ROWS, Map.of(ResultSchema.TRAJECTORIES.name(), List.of(traj),
                ResultSchema.PARAMS_TABLE.name(), List.of(params)));

        String line = Journal.encode(row);
        assertTrue(!line.contains("\n"), "one line");
        Map<String, Object> back = Journal.decode(line);
        assertEquals(0.1 + 0.2, back.get(ResultSchema.SHARPNESS));
        assertTrue(Double.isNaN((Double) back.get(ResultSchema.HESSIAN_TRACE)));
        assertEquals(Long.MIN_VALUE, back.get(ResultSchema.SEED));
        assertEquals(start, back.get(ResultSchema.START_TIME));
        assertNull(back.get(ResultSchema.TRAIN_LOSS));
        List<Map<String, Object>> t = Journal.rowsOf(ResultSchema.TRAJECTORIES, back);
        assertEquals(1, t.size());
        assertEquals(50, t.get(0).get(ResultSchema.STEP));
        assertEquals(Double.POSITIVE_INFINITY, t.get(0).get(ResultSchema.SHARPNESS));
        double[] got = (double[]) Journal.rowsOf(ResultSchema.PARAMS_TABLE, back).get(0).get(ResultSchema.PARAMS);
        assertEquals(theta.length, got.length);
        for (int i = 0; i < theta.length; i++) {
            assertEquals(Double.doubleToRawLongBits(theta[i]) == Double.doubleToRawLongBits(Double.NaN)
                    ? Double.doubleToRawLongBits(Double.NaN) : Double.doubleToRawLongBits(theta[i]), Double.doubleToRawLongBits(got[i]), "value " + i);
        }
        assertTrue(Journal.rowsOf(ResultSchema.SPECTRA, back).isEmpty());
        assertEquals(List.of(back), Journal.rowsOf(ResultSchema.RESULTS, back));
    }

    @Test
    void aCutLineIsNoRow() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put(ResultSchema.POINT_ID, "abc");
        row.put(ResultSchema.START_TIME, Instant.EPOCH);
        String line = Journal.encode(row);
        assertNull(Journal.decode(line.substring(0, line.length() - 3)));
        assertArrayEquals(new double[] {1, 2}, Journal.doubles(List.of(1, 2.0)));
    }
}
