package dev.feedhandler.cli.options;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import org.slf4j.LoggerFactory;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --log-format text|json}: the log lines on stderr as the pattern of {@code logback.xml}, or one JSON object
 * per line for log shippers, written by Logback's own {@link JsonEncoder} (timestamp in epoch milliseconds, level,
 * thread, logger, the formatted message, MDC, key-value pairs and the stack trace when there is one). Switched on the
 * appenders of the root logger, so it holds whatever logback file configured them. Cold path.
 */
public final class LogFormat
{
    /** The formats {@code --log-format} accepts. */
    public static final String NAMES = "text, json";

    private static final Map<OutputStreamAppender<ILoggingEvent>, Encoder<ILoggingEvent>> ORIGINALS =
        new LinkedHashMap<>();
    private static volatile boolean json;

    private LogFormat()
    {
    }

    /**
     * Switches the format.
     *
     * @param name {@code text} or {@code json} (any case).
     * @throws IllegalArgumentException for another name.
     */
    public static void apply(final String name)
    {
        final String format = name.toLowerCase(Locale.ROOT);
        if (!format.equals("text") && !format.equals("json"))
        {
            throw new IllegalArgumentException("--log-format must be one of " + NAMES + "; was '" + name + "'");
        }
        synchronized (ORIGINALS)
        {
            if (format.equals("json") && !json)
            {
                useJson();
                json = true;
            }
            else if (format.equals("text") && json)
            {
                ORIGINALS.forEach((appender, encoder) -> swap(appender, encoder));
                ORIGINALS.clear();
                json = false;
            }
        }
    }

    /**
     * Whether logs are JSON: the command line's own one-line errors then go through the log too, as JSON.
     *
     * @return true after {@code --log-format json}.
     */
    public static boolean json()
    {
        return json;
    }

    private static void useJson()
    {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext))
        {
            return;
        }
        final LoggerContext context = (LoggerContext)LoggerFactory.getILoggerFactory();
        final Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (final Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); )
        {
            final Appender<ILoggingEvent> appender = it.next();
            if (appender instanceof OutputStreamAppender)
            {
                final OutputStreamAppender<ILoggingEvent> stream = (OutputStreamAppender<ILoggingEvent>)appender;
                final JsonEncoder encoder = new JsonEncoder();
                encoder.setContext(context);
                encoder.setWithSequenceNumber(false);
                encoder.setWithNanoseconds(false);
                encoder.setWithContext(false);
                encoder.setWithMessage(false);
                encoder.setWithArguments(false);
                encoder.setWithFormattedMessage(true);
                encoder.start();
                ORIGINALS.put(stream, stream.getEncoder());
                swap(stream, encoder);
            }
        }
    }

    private static void swap(final OutputStreamAppender<ILoggingEvent> appender, final Encoder<ILoggingEvent> encoder)
    {
        appender.stop();
        appender.setEncoder(encoder);
        appender.start();
    }
}
