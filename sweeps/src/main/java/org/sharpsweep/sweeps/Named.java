package org.sharpsweep.sweeps;

import java.util.Arrays;
import java.util.stream.Collectors;

/** An enum whose constants are written in specs and result tables under a lower-case name. */
public interface Named {

    /** The name used in YAML specs and in result tables, e.g. {@code fashion-mnist}. */
    String specName();

    /**
     * Looks up the constant of {@code type} whose {@link #specName()} is {@code value}.
     *
     * @param field the spec key being parsed, named in the error
     * @throws SpecException naming the field, the value and the valid names
     */
    static <E extends Enum<E> & Named> E parse(Class<E> type, String field, String value) {
        for (E e : type.getEnumConstants()) {
            if (e.specName().equals(value)) {
                return e;
            }
        }
        throw new SpecException(field + " must be one of " + names(type) + ", got '" + value + "'");
    }

    /** The spec names of {@code type}'s constants, as {@code a | b | c}. */
    static <E extends Enum<E> & Named> String names(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(Named::specName).collect(Collectors.joining(" | "));
    }

    /** Lower-case, dash-separated form of an enum constant's Java name. */
    static String dashed(Enum<?> e) {
        return e.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
