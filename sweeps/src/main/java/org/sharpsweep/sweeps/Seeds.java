package org.sharpsweep.sweeps;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Stable point ids and derived seeds: hashes, never the clock. */
public final class Seeds {
    private Seeds() {
    }

    /** First 16 hex digits of SHA-256 of {@code canonical}. */
    public static String pointId(String canonical) {
        return HexFormat.of().formatHex(sha256(canonical), 0, 8);
    }

    /** {@code seed = derive(sweepSeed, pointId)}: the first 8 bytes of SHA-256 of both, as a long. */
    public static long derive(long sweepSeed, String pointId) {
        byte[] h = sha256("seed/" + sweepSeed + "/" + pointId);
        long s = 0;
        for (int i = 0; i < 8; i++) s = (s << 8) | (h[i] & 0xff);
        return s;
    }

    /** A seed for one named purpose (init, shuffle, teacher data, ...) derived from a seed. */
    public static long stream(long seed, String purpose) {
        return derive(seed, purpose);
    }

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private static byte[] sha256(String s) {
        MessageDigest md = SHA256.get();
        md.reset();
        return md.digest(s.getBytes(StandardCharsets.UTF_8));
    }
}
