package org.sharpsweep.sweeps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9's regression corpus ({@code src/test/resources/corpus/bad-specs.txt}, format at its
 * top): every malformed spec is refused by {@link SweepSpec#parse} with a {@link SpecException}
 * whose message holds each expected fragment (the key and the value as written).
 */
class BadSpecCorpusTest {

    /** One corpus case: its id, the fragments its message must hold, the spec text. */
    record Case(String id, List<String> expect, String spec) {
        @Override
        public String toString() {
            return id;
        }
    }

    /** Reads the corpus; the format is documented at the top of the file. */
    static List<Case> cases() throws IOException {
        String text;
        try (InputStream in = BadSpecCorpusTest.class.getResourceAsStream("/corpus/bad-specs.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<Case> out = new ArrayList<>();
        String id = null;
        List<String> expect = new ArrayList<>();
        StringBuilder spec = new StringBuilder();
        boolean inExpect = false;
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("=== ")) {
                if (id != null) out.add(new Case(id, List.copyOf(expect), spec.toString()));
                id = line.substring(4).strip();
                expect.clear();
                spec.setLength(0);
                inExpect = true;
            } else if (id == null) {
                continue; // the header
            } else if (inExpect && line.startsWith("expect: ")) {
                expect.add(line.substring("expect: ".length()));
            } else {
                inExpect = false;
                spec.append(line).append('\n');
            }
        }
        if (id != null) out.add(new Case(id, List.copyOf(expect), spec.toString()));
        // the file's last newline is not a line of the last spec
        Case last = out.get(out.size() - 1);
        out.set(out.size() - 1, new Case(last.id(), last.expect(), last.spec().replaceFirst("\n$", "")));
        return out;
    }

    static Stream<Case> corpus() throws IOException {
        return cases().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void eachMalformedSpecIsRefusedNamingKeyAndValue(Case c) {
        String spec = c.spec().isBlank() && c.id().equals("empty-file") ? "" : c.spec();
        SpecException e = assertThrows(SpecException.class, () -> SweepSpec.parse(spec), () -> c.id() + " was accepted:\n" + spec);
        for (String fragment : c.expect()) {
            assertTrue(e.getMessage().contains(fragment), () -> c.id() + ": '" + fragment + "' not in: " + e.getMessage());
        }
        assertFalse(e.getMessage().contains("Exception"), () -> c.id() + ": a stack-trace word in: " + e.getMessage());
    }

    @Test
    void theCorpusIsLargeAndWellFormed() throws IOException {
        List<Case> all = cases();
        assertTrue(all.size() >= 100, "at least 100 cases, got " + all.size());
        Set<String> ids = new HashSet<>();
        for (Case c : all) {
            assertTrue(ids.add(c.id()), "id twice: " + c.id());
            assertTrue(c.id().matches("[a-z0-9-]+"), c.id());
            assertFalse(c.expect().isEmpty(), c.id() + " expects nothing");
        }
        assertEquals("", all.stream().filter(c -> c.id().equals("empty-file")).findFirst().orElseThrow().spec().strip());
    }
}
