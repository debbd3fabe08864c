package dev.feedhandler.cli.publish;

import dev.feedhandler.cli.journal.ReplayCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * The help of the publishing commands renders without warnings: picocli passes every option description through
 * {@code String.format}, and one that is not a valid format string (a lone {@code %}) is printed raw after a
 * {@code [picocli WARN] Could not format ...} on stderr, three times per {@code --help}.
 */
@Timeout(30)
class PublishHelpTest
{
    @Test
    void shouldHaveEveryOptionDescriptionAValidFormatString()
    {
        final List<Field> options = new ArrayList<>();
        collectOptions(PublishCommand.class, options);
        collectOptions(ReplayCommand.class, options);

        assertThat(options).extracting(Field::getName).contains("dropBatches", "awaitSubscribers");
        for (final Field field : options)
        {
            for (final String line : field.getAnnotation(Option.class).description())
            {
                assertThatCode(() -> String.format(line)).as(field.getDeclaringClass().getSimpleName() + "." +
                    field.getName()).doesNotThrowAnyException();
            }
        }
    }

    private static void collectOptions(final Class<?> type, final List<Field> options)
    {
        for (final Field field : type.getDeclaredFields())
        {
            if (field.isAnnotationPresent(Option.class))
            {
                options.add(field);
            }
            if (field.isAnnotationPresent(Mixin.class))
            {
                collectOptions(field.getType(), options);
            }
        }
    }
}
