package dev.feedhandler.publisher.conflate;

import dev.feedhandler.common.socket.SocketSetup;

import java.time.Duration;
import java.util.List;

/**
 * The settings of the publisher's conflated stream: a second XPUB socket where each instrument that changed is sent
 * at most once per interval, with its newest quote and the interval's trades counted. Validated once, here.
 *
 * @param endpoints   endpoints of the conflated stream's XPUB socket (at least one).
 * @param interval    how often changed instruments are sent, at least 1 ms.
 * @param sendHwm     send high-water mark per subscriber, in messages; 0 for no limit.
 * @param socketSetup applied to the socket before it binds (CURVE, event log); {@link SocketSetup#NONE} for none.
 */
public record ConflationConfiguration(List<String> endpoints, Duration interval, int sendHwm, SocketSetup socketSetup)
{
    /** Default interval: at most 10 messages per second and instrument. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(100);

    /**
     * Default send high-water mark per subscriber, in messages: at the default interval, about 20 seconds of 20
     * changing instruments for a subscriber that stopped reading.
     */
    public static final int DEFAULT_SEND_HWM = 4096;

    /**
     * Validates the settings.
     *
     * @throws IllegalArgumentException with a one-line message for an invalid setting.
     */
    public ConflationConfiguration
    {
        endpoints = List.copyOf(endpoints);
        if (endpoints.isEmpty())
        {
            throw new IllegalArgumentException("the conflated stream needs at least one --conflated-bind endpoint");
        }
        if (interval == null || interval.toMillis() < 1)
        {
            throw new IllegalArgumentException("--conflate-interval must be at least 1ms, was " + interval);
        }
        if (sendHwm < 0)
        {
            throw new IllegalArgumentException("the conflated stream's send high-water mark must not be negative");
        }
        socketSetup = socketSetup == null ? SocketSetup.NONE : socketSetup;
    }

    /**
     * The settings with the default interval and high-water mark.
     *
     * @param endpoints endpoints to bind.
     * @return the settings.
     */
    public static ConflationConfiguration defaults(final List<String> endpoints)
    {
        return new ConflationConfiguration(endpoints, DEFAULT_INTERVAL, DEFAULT_SEND_HWM, SocketSetup.NONE);
    }
}
