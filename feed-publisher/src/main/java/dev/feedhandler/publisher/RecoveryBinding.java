package dev.feedhandler.publisher;

import dev.feedhandler.common.socket.RecoveryEndpoints;
import dev.feedhandler.publisher.recovery.RecoveryConfiguration;
import dev.feedhandler.publisher.recovery.RecoveryHandoff;
import dev.feedhandler.publisher.recovery.RecoveryService;
import dev.feedhandler.publisher.transport.EndpointException;
import dev.feedhandler.publisher.transport.SocketConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the publisher's recovery service binds: the endpoint given, which must bind, or by default the port after
 * the first tcp feed endpoint's, which turns the service off with a warning when it is taken (or when no tcp feed
 * endpoint exists to put it next to).
 */
final class RecoveryBinding
{
    /** Its lines are the publisher's. */
    private static final Logger LOG = LoggerFactory.getLogger(FeedPublisher.class);

    private RecoveryBinding()
    {
    }

    /**
     * Binds the recovery service.
     *
     * @param recoveryConfiguration its settings ({@code bind()} null for the default endpoint).
     * @param feed                  the feed's socket settings: its endpoints, and the I/O thread policy.
     * @param context               the ZeroMQ context to share (null for its own), what prepares the service's
     *                              socket (CURVE, event log) and what counts its connected subscribers.
     * @param handoff               the ring it drains.
     * @param sessionEpoch          the session.
     * @return the service, or null when the default endpoint could not be used.
     * @throws EndpointException if an endpoint given explicitly cannot be bound.
     */
    static RecoveryService bind(final RecoveryConfiguration recoveryConfiguration, final SocketConfiguration feed,
        final PublisherContext context, final RecoveryHandoff handoff, final long sessionEpoch)
    {
        String endpoint = recoveryConfiguration.bind();
        final boolean derived = endpoint == null;
        if (derived)
        {
            for (final String feedEndpoint : feed.endpoints())
            {
                endpoint = RecoveryEndpoints.next(feedEndpoint);
                if (endpoint != null)
                {
                    break;
                }
            }
            if (endpoint == null)
            {
                LOG.info("no recovery service: no tcp feed endpoint to put it next to (give --recovery-bind)");
                return null;
            }
        }
        try
        {
            final RecoveryService service = new RecoveryService(recoveryConfiguration, endpoint, context.zContext(),
                feed.ioThreadPolicy(), context.recoverySocketSetup(), handoff, sessionEpoch);
            service.connectedClients(context.recoveryClients());
            return service;
        }
        catch (final EndpointException ex)
        {
            if (!derived)
            {
                throw ex;
            }
            LOG.warn("no recovery service: {} (the default, next to the feed); give --recovery-bind", ex.getMessage());
            return null;
        }
    }
}
