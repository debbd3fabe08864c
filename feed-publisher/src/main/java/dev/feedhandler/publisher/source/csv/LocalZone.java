package dev.feedhandler.publisher.source.csv;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * Local times of a zone to epoch seconds without allocating on the way: the offset in force and the span of
 * instants it holds for (between two transitions) are kept, and java.time is asked again only when a time falls
 * outside that span, which for a tick file replayed in order happens at each daylight-saving change.
 * <p>
 * A local time in a gap (clocks go forward) moves forward by the gap, and a local time in an overlap (clocks go
 * back) takes the earlier offset, both as {@link ZonedDateTime#ofLocal} does, whatever was read before it: the
 * repeated hour's second pass appears to go back in time (its ticks are then due at once, see the pacing rules).
 */
final class LocalZone
{
    private final ZoneId zone;
    private final ZoneRules rules;
    private final boolean fixed;
    private long offsetSeconds;
    private long validTo = Long.MIN_VALUE;
    /**
     * The first instant of the kept span that only one local time maps to: after a transition into an overlap,
     * the overlap's local times map first to the earlier offset, so the kept (later) one must not answer for them.
     */
    private long unambiguousFrom = Long.MAX_VALUE;

    /**
     * A converter for a zone.
     *
     * @param zone the zone local times are read in.
     */
    LocalZone(final ZoneId zone)
    {
        this.zone = zone;
        this.rules = zone.getRules();
        this.fixed = rules.isFixedOffset();
        if (fixed)
        {
            offsetSeconds = rules.getOffset(Instant.EPOCH).getTotalSeconds();
        }
    }

    /**
     * The epoch second of a local time.
     *
     * @param localSecond the local date and time as seconds from 1970-01-01T00:00 local.
     * @return seconds since the epoch.
     */
    long toEpochSecond(final long localSecond)
    {
        if (fixed)
        {
            return localSecond - offsetSeconds;
        }
        final long guess = localSecond - offsetSeconds;
        if (guess >= unambiguousFrom && guess < validTo)
        {
            return guess;
        }
        return resolve(localSecond);
    }

    private long resolve(final long localSecond)
    {
        final LocalDateTime local = LocalDateTime.ofEpochSecond(localSecond, 0, ZoneOffset.UTC);
        final long epochSecond = ZonedDateTime.ofLocal(local, zone, null).toEpochSecond();
        final Instant instant = Instant.ofEpochSecond(epochSecond);
        // The offset in force, not localSecond - epochSecond: in a gap the local time was moved forward.
        offsetSeconds = rules.getOffset(instant).getTotalSeconds();
        final ZoneOffsetTransition previous = rules.previousTransition(instant.plusSeconds(1));
        final ZoneOffsetTransition next = rules.nextTransition(instant);
        final long validFrom = previous == null ? Long.MIN_VALUE : previous.toEpochSecond();
        validTo = next == null ? Long.MAX_VALUE : next.toEpochSecond();
        unambiguousFrom = previous != null && previous.isOverlap() ?
            validFrom + previous.getDuration().negated().getSeconds() : validFrom;
        return epochSecond;
    }
}
