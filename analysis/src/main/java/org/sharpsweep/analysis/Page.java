package org.sharpsweep.analysis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The results page (docs/commands.md, "The page"): one HTML template, stylesheet and script in
 * this package's resources ({@code page/}), shared by the static report ({@link Report#write})
 * and the live server ({@code sharpsweep serve}). Java writes the text (header, each sweep's
 * settings, summary, correlations, failures, and in the report its pictures) into the page; the
 * script draws the interactive views from the JSON model ({@link PageModel}) embedded in the
 * page, and on a served page fetches it again ({@link #MODEL_PATH}) to follow a running sweep.
 *
 * <p>The plotting library is Apache ECharts' single-file build, unpacked from its webjar into
 * {@code page/vendor/} at build time with its licence files (analysis/pom.xml): the report
 * inlines it and copies the licences beside {@code index.html} ({@link #writeLicences}); the
 * server serves both. Nothing is fetched from the network when a page is viewed.
 */
public final class Page {
    private Page() {
    }

    /** Where the page's resources are, on the class path. */
    private static final String RESOURCES = "/org/sharpsweep/analysis/page/";
    /** The library the page draws with, relative to the page (served) and to {@link #RESOURCES}. */
    public static final String LIBRARY = "vendor/echarts/echarts.min.js";
    /** The licence files of the library and what its build bundles, relative to the page and to {@link #RESOURCES}. */
    public static final List<String> LICENCES = List.of("vendor/echarts/LICENSE", "vendor/echarts/NOTICE", "vendor/echarts/LICENSE-d3",
            "vendor/zrender/LICENSE", "vendor/tslib/LICENSE.txt", "vendor/tslib/CopyrightNotice.txt");
    /** Where a served page fetches its model again, relative to the page. */
    public static final String MODEL_PATH = "model.json";

    /**
     * What a page shows.
     *
     * @param title  the browser tab's title
     * @param header HTML of the page's header (source, counts, the table of sweeps)
     * @param sweeps one per sweep, in page order
     */
    public record Content(String title, String header, List<Sweep> sweeps) {
        public Content {
            sweeps = List.copyOf(sweeps);
        }
    }

    /**
     * One sweep's part of the page.
     *
     * @param anchor the section's id in the page
     * @param top    HTML before the interactive views: progress, settings, summary
     * @param bottom HTML after them: correlations, pictures (report only), failures
     * @param data   the interactive views' model ({@link PageModel})
     */
    public record Sweep(String id, String anchor, String top, String bottom, ObjectNode data) {
    }

    /**
     * JSON that is safe inside an HTML {@code <script>} element: {@code <}, {@code >} and
     * {@code &} are written as {@code \}{@code u003c} and kin, so no {@code </script>} and no
     * markup can appear in it.
     */
    static final ObjectMapper JSON = new ObjectMapper();

    static {
        JSON.getFactory().setCharacterEscapes(new CharacterEscapes() {
            private static final long serialVersionUID = 1L;
            private final int[] escapes = standardAsciiEscapesForJSON();

            {
                escapes['<'] = CharacterEscapes.ESCAPE_STANDARD;
                escapes['>'] = CharacterEscapes.ESCAPE_STANDARD;
                escapes['&'] = CharacterEscapes.ESCAPE_STANDARD;
            }

            @Override
            public int[] getEscapeCodesForAscii() {
                return escapes;
            }

            @Override
            public SerializableString getEscapeSequence(int ch) {
                return null;
            }
        });
    }

    /**
     * The model as one JSON document: {@code {"version", "title", "header", "sweeps": [{"id",
     * "anchor", "top", "bottom", "data"}]}}; {@code version} tells a served page whether it has
     * seen it.
     */
    public static String json(Content c, long version) {
        ObjectNode o = JSON.createObjectNode();
        o.put("version", version);
        o.put("title", c.title());
        o.put("header", c.header());
        ArrayNode sweeps = o.putArray("sweeps");
        for (Sweep s : c.sweeps()) {
            ObjectNode n = sweeps.addObject();
            n.put("id", s.id());
            n.put("anchor", s.anchor());
            n.put("top", s.top());
            n.put("bottom", s.bottom());
            n.set("data", s.data());
        }
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The page: its text in the HTML, its model embedded as JSON.
     *
     * @param live true for a served page, which loads the library from the server ({@link #LIBRARY})
     *             and fetches its model again every few seconds; false for the self-contained report,
     *             which inlines the library and never fetches anything
     */
    public static String html(Content c, long version, boolean live) {
        StringBuilder body = new StringBuilder();
        body.append("<header id=\"page-header\">").append(c.header()).append("</header>\n<main id=\"sweeps\">\n");
        for (Sweep s : c.sweeps()) {
            body.append("<section id=\"").append(attribute(s.anchor())).append("\" data-sweep=\"").append(attribute(s.id()))
                    .append("\">\n<div class=\"text-top\">").append(s.top()).append("</div>\n<div class=\"explore\"></div>\n")
                    .append("<div class=\"text-bottom\">").append(s.bottom()).append("</div>\n</section>\n");
        }
        body.append("</main>\n");
        String library = live ? "<script src=\"" + LIBRARY + "\"></script>" : "<script>\n" + resource(LIBRARY) + "\n</script>";
        StringBuilder licences = new StringBuilder();
        for (String l : LICENCES) {
            licences.append(licences.length() == 0 ? "" : ", ").append("<a href=\"").append(l).append("\">").append(l).append("</a>");
        }
        return fill(resource("page.html"), Map.of(
                "title", new Report.Html().text(c.title()).toString(),
                "css", resource("page.css"),
                "live", String.valueOf(live),
                "body", body.toString(),
                "licences", licences.toString(),
                "model", json(c, version),
                "library", library,
                "script", resource("page.js")));
    }

    /** Copies the library's licence files beside a report's {@code index.html}, where its footer links them. */
    public static void writeLicences(Path dir) {
        for (String l : LICENCES) {
            Path to = dir.resolve(l);
            try {
                Files.createDirectories(to.getParent());
                Files.write(to, bytes(l));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + to + ": " + e.getMessage(), e);
            }
        }
    }

    /** A file of the page's resources ({@link #LIBRARY}, a licence), as bytes. */
    public static byte[] bytes(String name) {
        try (InputStream in = Page.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("the page's resource " + name + " is not on the class path (analysis/pom.xml unpacks "
                        + "the library at build time: rebuild)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the page's resource " + name + ": " + e.getMessage(), e);
        }
    }

    private static String resource(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    private static final Pattern SLOT = Pattern.compile("\\{\\{([a-z]+)\\}\\}");

    /** The template with each {@code {{name}}} replaced by its value; text put in is not searched again. */
    static String fill(String template, Map<String, String> values) {
        Matcher m = SLOT.matcher(template);
        StringBuilder out = new StringBuilder(template.length() + values.values().stream().mapToInt(String::length).sum());
        while (m.find()) {
            String v = values.get(m.group(1));
            if (v == null) throw new IllegalStateException("the page template names no value " + m.group());
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String attribute(String s) {
        return new Report.Html().text(s).toString();
    }
}
