package org.sharpsweep.sweeps;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What identifies a grid point: its id and its seed. The one definition (docs/results.md); {@code PointIdPinTest} pins literal values.
 *
 * <p><b>The rule.</b> {@code point_id} is the first 16 hex digits of SHA-256 of the UTF-8 text
 * {@link #canonical}: for every {@link Setting}, in the order of their short names, the pair
 * {@code short_name=value;} where
 * <ul>
 *   <li>the setting applies to the point ({@link Setting#appliesTo}: {@code target} and
 *       {@code input_dim} for the teacher data set only, {@code label_noise} and
 *       {@code input_scale} for file data sets only, {@code conv_blocks}, {@code channels},
 *       {@code kernel} and {@code pool} for family cnn only, {@code sam_rho} and
 *       {@code sam_adaptive} for optimizer sam only);</li>
 *   <li>it is not at its documented default ({@link Setting#isDefault}: {@link Defaults}, and
 *       full batch for {@code batch_size}), so a setting added in a release, which starts at a
 *       default that reproduces the old behaviour, changes no existing id;</li>
 *   <li>it is not {@code data.path} (moving the data does not change a result) and not a
 *       measure setting ({@link Setting#inPointId}: measuring is not training, so a spec that
 *       measures differently names the same trained points);</li>
 * </ul>
 * values written as in the results table ({@link Setting#toColumn}), doubles as their shortest
 * round-trip decimal ({@link Decimals#shortest}, independent of the JDK); then
 * {@code sweep_seed=S;replicate=R;}. Range values are rounded to a canonical decimal when
 * generated ({@link Decimals#roundRange}), so {@code lr: {from: 0.01, to: 1, num: 5, scale: log}}
 * gives the same id at {@code 0.1} as {@code lr: [0.1]}. The point's seed is
 * {@code Seeds.derive(sweepSeed, pointId)}.
 *
 * <p>Ids are a function of the resolved {@link PointSpec} (after full batch, epochs and
 * {@code penalty.coef = 0} are resolved), so two grid points with one id are the same
 * computation; {@link SweepSpec} refuses such a grid.
 *
 * <p><b>Before this rule</b> (up to the commit that introduced this class) ids hashed every
 * setting but the data path, at its default or not, whether it applied or not (only
 * {@code train.dtype} was left out at its default), with values from {@code String.valueOf}
 * and range values unrounded: {@link #legacy}. A results table written then is mapped to the
 * new ids by {@link SweepSpec#idUpgrades()} (the {@code upgrade} command's input).
 */
public final class PointIds {
    private PointIds() {
    }

    private static final List<Setting> BY_NAME =
            Arrays.stream(Setting.values()).sorted(Comparator.comparing(s -> s.shortName)).toList();

    /** The point id of {@code spec} in a sweep with seed {@code sweepSeed}, replicate {@code replicate}. */
    public static String of(PointSpec spec, long sweepSeed, int replicate) {
        return Seeds.pointId(canonical(spec, sweepSeed, replicate));
    }

    /** The point's seed: {@code Seeds.derive(sweepSeed, pointId)}. */
    public static long seed(long sweepSeed, String pointId) {
        return Seeds.derive(sweepSeed, pointId);
    }

    /** The text {@link #of} hashes (see the class comment). */
    public static String canonical(PointSpec spec, long sweepSeed, int replicate) {
        // the rule of canonical(items, ...) without the intermediate list: BY_NAME is sorted
        Map<Setting, Object> v = spec.settings().values();
        StringBuilder sb = new StringBuilder(256);
        for (Setting s : BY_NAME) sb.append(fragment(s, v.get(s), spec));
        return sb.append(suffix(sweepSeed, replicate)).toString();
    }

    /** The settings in the order their fragments appear in {@link #canonical}. */
    static List<Setting> order() {
        return BY_NAME;
    }

    /**
     * One setting's part of {@link #canonical}: {@code short_name=value;}, or "" where the
     * setting stays out (the data path, a setting that does not apply, a default).
     */
    static String fragment(Setting s, Object value, PointSpec spec) {
        if (!s.inPointId() || !s.appliesTo(spec) || s.isDefault(value, spec)) return "";
        return s.shortName + '=' + text(s.toColumn(value)) + ';';
    }

    /** The end of {@link #canonical}: the sweep seed and the replicate. */
    static String suffix(long sweepSeed, int replicate) {
        return "sweep_seed=" + sweepSeed + ";replicate=" + replicate + ";";
    }

    /**
     * One setting of a point as the id sees it: its short name, its value as text, whether it
     * is at its documented default and whether it applies to the point.
     */
    record Item(String name, String value, boolean atDefault, boolean applies) {
    }

    /** The registry's settings of {@code spec} (all but {@code data.path}), as {@link Item}s. */
    static List<Item> items(PointSpec spec) {
        Map<Setting, Object> v = spec.settings().values();
        List<Item> out = new java.util.ArrayList<>(BY_NAME.size());
        for (Setting s : BY_NAME) {
            if (!s.inPointId()) continue;
            Object value = v.get(s);
            boolean atDefault = s.isDefault(value, spec);
            boolean applies = s.appliesTo(spec);
            // the text of an item left out is never read: not computed
            out.add(new Item(s.shortName, applies && !atDefault ? text(s.toColumn(value)) : "", atDefault, applies));
        }
        return out;
    }

    /**
     * The rule over any registry: the items that apply and are not at their default, sorted by
     * name, as {@code name=value;}, then {@code sweep_seed=S;replicate=R;}. A new setting is one
     * more item; at its default it adds nothing, so no id changes.
     */
    static String canonical(java.util.Collection<Item> items, long sweepSeed, int replicate) {
        List<Item> kept = items.stream().filter(i -> i.applies() && !i.atDefault())
                .sorted(Comparator.comparing(Item::name)).toList();
        StringBuilder sb = new StringBuilder(256);
        for (Item i : kept) sb.append(i.name()).append('=').append(i.value()).append(';');
        return sb.append("sweep_seed=").append(sweepSeed).append(";replicate=").append(replicate).append(';').toString();
    }

    private static String text(Object column) {
        return column instanceof Double d ? Decimals.shortest(d) : String.valueOf(column);
    }

    /**
     * The id the previous rule gave {@code spec}: SHA-256 of every setting but the data path
     * (and {@code dtype} at its default) as {@code short_name=String.valueOf(value);}, with
     * {@code sweep_seed} and {@code replicate}, all sorted by name. Kept only to map tables
     * written before {@link #of} to the new ids; never use it for new rows.
     */
    public static String legacy(PointSpec spec, long sweepSeed, int replicate) {
        java.util.TreeMap<String, String> kv = new java.util.TreeMap<>();
        spec.settings().values().forEach((s, value) -> {
            // settings newer than that release are flagged omittedAtDefault: at their default they were not there
            // that rule hashed every setting but the data path, measure settings included
            if (s != Setting.PATH && s != Setting.SAVE_PARAMS && !s.omitted(value)) kv.put(s.shortName, String.valueOf(s.toColumn(value)));
        });
        kv.put("sweep_seed", Long.toString(sweepSeed));
        kv.put("replicate", Integer.toString(replicate));
        StringBuilder sb = new StringBuilder();
        kv.forEach((k, value) -> sb.append(k).append('=').append(value).append(';'));
        return Seeds.pointId(sb.toString());
    }
}
