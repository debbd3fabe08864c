package dev.feedhandler.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format (version 0.0.4), for tests: every line must be a
 * {@code # HELP}, a {@code # TYPE} or a sample, metric and label names must be valid, label values correctly
 * escaped, values valid floats, a family's TYPE must come before its samples and at most once, and a series may
 * appear only once. Anything else throws {@link IllegalArgumentException} naming the line.
 */
public final class PrometheusText
{
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern HELP = Pattern.compile("# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)");
    private static final Pattern TYPE =
        Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)");
    private static final Pattern VALUE =
        Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?|NaN|[+-]Inf");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Map<String, String> types = new LinkedHashMap<>();
    private final Map<String, Double> samples = new LinkedHashMap<>();

    private PrometheusText()
    {
    }

    /**
     * Scrapes a URL over HTTP and parses the answer.
     *
     * @param url such as {@code http://127.0.0.1:9464/metrics}.
     * @return the parsed exposition.
     */
    public static PrometheusText scrape(final String url)
    {
        try
        {
            final HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200)
            {
                throw new IllegalStateException("HTTP " + response.statusCode() + " from " + url);
            }
            final String contentType = response.headers().firstValue("Content-Type").orElse("");
            if (!contentType.startsWith("text/plain"))
            {
                throw new IllegalArgumentException("not the text format: Content-Type " + contentType);
            }
            return parse(response.body());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Parses an exposition.
     *
     * @param text the text.
     * @return the parsed exposition.
     * @throws IllegalArgumentException on the first line that breaks the format.
     */
    public static PrometheusText parse(final String text)
    {
        if (!text.isEmpty() && !text.endsWith("\n"))
        {
            throw new IllegalArgumentException("the exposition must end with a line feed");
        }
        final PrometheusText parsed = new PrometheusText();
        final Map<String, Boolean> helped = new HashMap<>();
        int number = 0;
        for (final String line : text.split("\n", -1))
        {
            number++;
            if (line.isEmpty())
            {
                continue;
            }
            try
            {
                if (line.startsWith("#"))
                {
                    parsed.comment(line, helped);
                }
                else
                {
                    parsed.sample(line);
                }
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException("line " + number + ": " + ex.getMessage() + ": " + line, ex);
            }
        }
        return parsed;
    }

    private void comment(final String line, final Map<String, Boolean> helped)
    {
        final Matcher help = HELP.matcher(line);
        if (help.matches())
        {
            if (helped.put(help.group(1), true) != null)
            {
                throw new IllegalArgumentException("second HELP for " + help.group(1));
            }
            checkEscapes(help.group(2), false);
            return;
        }
        final Matcher type = TYPE.matcher(line);
        if (type.matches())
        {
            if (types.containsKey(type.group(1)))
            {
                throw new IllegalArgumentException("second TYPE for " + type.group(1));
            }
            for (final String series : samples.keySet())
            {
                if (family(name(series)).equals(type.group(1)))
                {
                    throw new IllegalArgumentException("TYPE after samples of " + type.group(1));
                }
            }
            types.put(type.group(1), type.group(2));
            return;
        }
        if (line.startsWith("# HELP") || line.startsWith("# TYPE"))
        {
            throw new IllegalArgumentException("malformed HELP or TYPE");
        }
        // Other comments are allowed by the format.
    }

    private void sample(final String line)
    {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ')
        {
            i++;
        }
        final String name = line.substring(0, i);
        if (!NAME.matcher(name).matches())
        {
            throw new IllegalArgumentException("bad metric name '" + name + "'");
        }
        final Map<String, String> labels = new TreeMap<>();
        if (i < line.length() && line.charAt(i) == '{')
        {
            i = labels(line, i + 1, labels);
        }
        if (i >= line.length() || line.charAt(i) != ' ')
        {
            throw new IllegalArgumentException("no space before the value");
        }
        final String[] rest = line.substring(i + 1).split(" ");
        if (rest.length < 1 || rest.length > 2 || !VALUE.matcher(rest[0]).matches())
        {
            throw new IllegalArgumentException("bad value");
        }
        if (rest.length == 2 && !rest[1].matches("-?\\d+"))
        {
            throw new IllegalArgumentException("bad timestamp");
        }
        final String family = family(name);
        if (!types.containsKey(family) && !types.containsKey(name))
        {
            throw new IllegalArgumentException("sample of " + name + " before its TYPE");
        }
        final String series = series(name, labels);
        if (samples.put(series, parseValue(rest[0])) != null)
        {
            throw new IllegalArgumentException("series " + series + " appears twice");
        }
    }

    private static int labels(final String line, final int start, final Map<String, String> labels)
    {
        int i = start;
        while (true)
        {
            if (i < line.length() && line.charAt(i) == '}')
            {
                return i + 1;
            }
            final int equals = line.indexOf('=', i);
            if (equals < 0)
            {
                throw new IllegalArgumentException("label without '='");
            }
            final String labelName = line.substring(i, equals);
            if (!LABEL_NAME.matcher(labelName).matches())
            {
                throw new IllegalArgumentException("bad label name '" + labelName + "'");
            }
            if (equals + 1 >= line.length() || line.charAt(equals + 1) != '"')
            {
                throw new IllegalArgumentException("label value not quoted");
            }
            final StringBuilder value = new StringBuilder();
            int j = equals + 2;
            while (true)
            {
                if (j >= line.length())
                {
                    throw new IllegalArgumentException("unterminated label value");
                }
                final char c = line.charAt(j);
                if (c == '\\')
                {
                    if (j + 1 >= line.length() || "\\\"n".indexOf(line.charAt(j + 1)) < 0)
                    {
                        throw new IllegalArgumentException("bad escape in a label value");
                    }
                    value.append(line.charAt(j + 1) == 'n' ? '\n' : line.charAt(j + 1));
                    j += 2;
                }
                else if (c == '"')
                {
                    break;
                }
                else
                {
                    value.append(c);
                    j++;
                }
            }
            if (labels.put(labelName, value.toString()) != null)
            {
                throw new IllegalArgumentException("label " + labelName + " twice");
            }
            i = j + 1;
            if (i < line.length() && line.charAt(i) == ',')
            {
                i++;
            }
            else if (i >= line.length() || line.charAt(i) != '}')
            {
                throw new IllegalArgumentException("expected ',' or '}' after a label");
            }
        }
    }

    private static void checkEscapes(final String text, final boolean quotes)
    {
        for (int i = 0; i < text.length(); i++)
        {
            if (text.charAt(i) == '\\')
            {
                if (i + 1 >= text.length() || ("\\n" + (quotes ? "\"" : "")).indexOf(text.charAt(i + 1)) < 0)
                {
                    throw new IllegalArgumentException("bad escape in HELP");
                }
                i++;
            }
        }
    }

    private static double parseValue(final String text)
    {
        switch (text)
        {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            case "NaN":
                return Double.NaN;
            default:
                return Double.parseDouble(text);
        }
    }

    private String family(final String name)
    {
        for (final String suffix : new String[] {"_total", "_created", "_count", "_sum", "_bucket"})
        {
            if (name.endsWith(suffix) && types.containsKey(name.substring(0, name.length() - suffix.length())))
            {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return name;
    }

    private static String name(final String series)
    {
        final int brace = series.indexOf('{');
        return brace < 0 ? series : series.substring(0, brace);
    }

    private static String series(final String name, final Map<String, String> labels)
    {
        if (labels.isEmpty())
        {
            return name;
        }
        final List<String> parts = new ArrayList<>();
        labels.forEach((key, value) -> parts.add(key + "=" + value));
        return name + "{" + String.join(",", parts) + "}";
    }

    /**
     * The value of a series.
     *
     * @param name   the sample name, such as {@code feed_publisher_updates_published_total}.
     * @param labels label name and value pairs.
     * @return the value.
     * @throws AssertionError if the series is absent.
     */
    public double value(final String name, final String... labels)
    {
        final Map<String, String> map = new TreeMap<>();
        for (int i = 0; i < labels.length; i += 2)
        {
            map.put(labels[i], labels[i + 1]);
        }
        final Double value = samples.get(series(name, map));
        if (value == null)
        {
            throw new AssertionError("no series " + series(name, map) + " in " + samples.keySet());
        }
        return value;
    }

    /**
     * The value of a series as a whole number (counters).
     *
     * @param name   the sample name.
     * @param labels label name and value pairs.
     * @return the value, rounded.
     */
    public long count(final String name, final String... labels)
    {
        return Math.round(value(name, labels));
    }

    /**
     * Whether a series is there.
     *
     * @param name   the sample name.
     * @param labels label name and value pairs.
     * @return true if present.
     */
    public boolean has(final String name, final String... labels)
    {
        final Map<String, String> map = new TreeMap<>();
        for (int i = 0; i < labels.length; i += 2)
        {
            map.put(labels[i], labels[i + 1]);
        }
        return samples.containsKey(series(name, map));
    }

    /**
     * Every sample of a metric, by the value of one label.
     *
     * @param name  the sample name.
     * @param label the label.
     * @return label value to sample value.
     */
    public Map<String, Long> byLabel(final String name, final String label)
    {
        final Map<String, Long> map = new TreeMap<>();
        final Pattern pattern = Pattern.compile(Pattern.quote(name) + "\\{(.*,)?" + Pattern.quote(label) +
            "=([^,}]*)[,}].*");
        samples.forEach((series, value) ->
        {
            final Matcher matcher = pattern.matcher(series);
            if (matcher.matches())
            {
                map.put(matcher.group(2), Math.round(value));
            }
        });
        return map;
    }

    /**
     * The declared type of each family.
     *
     * @return family name to type.
     */
    public Map<String, String> types()
    {
        return Collections.unmodifiableMap(types);
    }

    /**
     * Every sample.
     *
     * @return series (name and sorted labels) to value.
     */
    public Map<String, Double> samples()
    {
        return Collections.unmodifiableMap(samples);
    }
}
