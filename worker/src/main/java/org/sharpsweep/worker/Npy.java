package org.sharpsweep.worker;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes NumPy {@code .npy} files (format version 1.0): little-endian float64 ({@code '<f8'}),
 * C order, so {@code numpy.load} and any framework that reads NumPy get the exact values.
 */
public final class Npy {
    private Npy() {
    }

    public static void write(INDArray a, Path file) throws IOException {
        long[] shape = a.shape();
        StringBuilder dims = new StringBuilder();
        for (long d : shape) dims.append(d).append(", ");
        String shapeText = shape.length == 1 ? "(" + shape[0] + ",)" : "(" + dims.substring(0, dims.length() - 2) + ")";
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': " + shapeText + ", }";
        int preamble = 10; // magic (6) + version (2) + header length (2)
        int total = preamble + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        double[] values = a.dup('c').data().asDouble();
        ByteBuffer body = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) body.putDouble(v);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            out.write(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
            int len = header.length();
            out.write(new byte[]{(byte) (len & 0xff), (byte) (len >> 8)});
            out.write(header.getBytes(StandardCharsets.US_ASCII));
            out.write(body.array());
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
