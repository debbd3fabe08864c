package dev.feedhandler.publisher.source.csv;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docs/csv-format.md} against the code: every preset has its section with its example lines in a code block,
 * exactly as {@link CsvFormat} holds them (which {@link CsvFormatTest} reads). (The flags table is checked against
 * the options class in feed-cli.)
 */
class CsvFormatDocumentationTest
{
    static String page() throws IOException
    {
        final List<Path> candidates = new ArrayList<>();
        final String root = System.getProperty("feed.root");
        if (root != null)
        {
            candidates.add(Path.of(root, "docs", "csv-format.md"));
        }
        candidates.add(Path.of("..", "docs", "csv-format.md"));
        for (final Path candidate : candidates)
        {
            if (Files.exists(candidate))
            {
                return Files.readString(candidate, StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("docs/csv-format.md not found in " + candidates);
    }

    @Test
    void shouldShowEveryPresetWithItsExampleLines() throws IOException
    {
        final String page = page();
        for (final CsvFormat format : CsvFormat.values())
        {
            final String heading = "### `--format " + format.label() + "`";
            assertThat(page).as(format.label()).contains(heading);
            final int section = page.indexOf(heading);
            final int next = page.indexOf("\n#", section + heading.length());
            final String body = page.substring(section, next < 0 ? page.length() : next);
            assertThat(body).as(format.label()).contains("```\n" + format.example() + "\n```");
        }
    }
}
