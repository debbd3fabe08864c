package dev.feedhandler.common.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * Captures the log lines of some loggers during a test ({@code LEVEL message}), safely from any thread. Close it to
 * detach.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable
{
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger[] loggers;

    private LogCapture(final Logger[] loggers)
    {
        this.loggers = loggers;
    }

    /**
     * Starts capturing.
     *
     * @param classes whose loggers to capture.
     * @return the capture.
     */
    public static LogCapture of(final Class<?>... classes)
    {
        final Logger[] loggers = new Logger[classes.length];
        for (int i = 0; i < classes.length; i++)
        {
            loggers[i] = (Logger)LoggerFactory.getLogger(classes[i]);
        }
        final LogCapture capture = new LogCapture(loggers);
        capture.start();
        for (final Logger logger : loggers)
        {
            logger.addAppender(capture);
        }
        return capture;
    }

    @Override
    protected void append(final ILoggingEvent event)
    {
        lines.add(event.getLevel() + " " + event.getFormattedMessage());
    }

    /**
     * Lines so far.
     *
     * @return {@code LEVEL message} lines.
     */
    public List<String> lines()
    {
        return List.copyOf(lines);
    }

    /**
     * Lines that contain a text.
     *
     * @param text the text.
     * @return the matching lines.
     */
    public List<String> linesWith(final String text)
    {
        return lines.stream().filter(line -> line.contains(text)).collect(Collectors.toList());
    }

    @Override
    public void close()
    {
        for (final Logger logger : loggers)
        {
            logger.detachAppender(this);
        }
        stop();
    }
}
