package dev.feedhandler.subscriber;

/**
 * Whether the feed reaches a subscriber ({@link FeedSubscriber#feedState()}), for health and readiness probes: an
 * embedder's own, or {@code feed subscribe}'s {@code /ready}.
 */
public enum FeedState
{
    /** Nothing has arrived yet: not connected, or the subscription has not reached a publisher. */
    WAITING,
    /** Messages arrive (updates, heartbeats or session statuses): the subscription is in effect. */
    LIVE,
    /** Nothing has arrived for three heartbeat intervals ({@link FeedListener#onStale()}). */
    STALE
}
