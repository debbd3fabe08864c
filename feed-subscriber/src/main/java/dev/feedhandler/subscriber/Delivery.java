package dev.feedhandler.subscriber;

/**
 * How a batch reached the listener: straight from the feed, from the publisher's recovery service (it was lost on
 * the feed), or from the feed but held back until a recovery of its topic ahead of it was done.
 */
public enum Delivery
{
    /** Straight from the feed. */
    LIVE,
    /** Sent again by the recovery service: the feed lost it. */
    RECOVERED,
    /** From the feed, held back behind a recovery of its topic so that the topic stays in order. */
    HELD_BACK
}
