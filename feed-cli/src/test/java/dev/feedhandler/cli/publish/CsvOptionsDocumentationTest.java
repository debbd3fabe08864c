package dev.feedhandler.cli.publish;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every flag of {@link CsvOptions} is in the flags table of {@code docs/csv-format.md}.
 */
class CsvOptionsDocumentationTest
{
    @Test
    void shouldListEveryFlagInTheTable() throws IOException
    {
        final String root = System.getProperty("feed.root");
        final Path file = root != null ? Path.of(root, "docs", "csv-format.md") : Path.of("..", "docs",
            "csv-format.md");
        final String page = Files.readString(file, StandardCharsets.UTF_8);
        final String table = page.substring(page.indexOf("## Flags"), page.indexOf("## The documented format"));
        for (final OptionSpec option : CommandSpec.forAnnotatedObject(new CsvOptions()).options())
        {
            assertThat(table).as(option.longestName()).contains("`" + option.longestName());
        }
    }
}
