package dev.feedhandler.cli.options;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

/**
 * Sends what the JDK and libraries log through {@code java.util.logging} (the JDK's HTTP server behind the metrics
 * endpoint, for one) to SLF4J, so it is written by Logback like every other line: in the {@code --log-format} the
 * user chose, not as java.util.logging's own two-line text on stderr, which broke the one-JSON-object-per-line
 * promise of {@code --log-format json}. Records under INFO are not forwarded. Cold path.
 */
public final class JulBridge extends Handler
{
    private final Formatter formatter = new SimpleFormatter();

    private JulBridge()
    {
    }

    /**
     * Replaces java.util.logging's handlers with this bridge. Idempotent enough: a second call replaces the first.
     */
    public static void install()
    {
        LogManager.getLogManager().reset();
        final java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.setLevel(Level.INFO);
        root.addHandler(new JulBridge());
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void publish(final LogRecord record)
    {
        if (record == null)
        {
            return;
        }
        final String name = record.getLoggerName() != null ? record.getLoggerName() : "java.util.logging";
        final Logger logger = LoggerFactory.getLogger(name);
        final String message = formatter.formatMessage(record);
        final Throwable thrown = record.getThrown();
        final int level = record.getLevel().intValue();
        if (level >= Level.SEVERE.intValue())
        {
            logger.error(message, thrown);
        }
        else if (level >= Level.WARNING.intValue())
        {
            logger.warn(message, thrown);
        }
        else if (level >= Level.INFO.intValue())
        {
            logger.info(message, thrown);
        }
        else
        {
            logger.debug(message, thrown);
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void flush()
    {
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void close()
    {
    }
}
