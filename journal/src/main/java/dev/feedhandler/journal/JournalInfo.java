package dev.feedhandler.journal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a journal holds, from one pass over it: first and last index and time, counts of entries by kind, updates per
 * topic, sessions (epochs) with their counts and whether they ended gracefully, and the cycle files on disk with
 * their sizes. Cold path.
 */
public final class JournalInfo
{
    private final Map<String, Object> report;

    private JournalInfo(final Map<String, Object> report)
    {
        this.report = report;
    }

    /**
     * Reads a journal to its current end and summarises it.
     *
     * @param directory the journal directory.
     * @return the summary.
     * @throws JournalException if it does not exist or is not a journal.
     */
    public static JournalInfo of(final Path directory)
    {
        final Counts counts = new Counts();
        final String rollCycle;
        try (JournalReader reader = JournalReader.open(directory))
        {
            rollCycle = JournalRollCycles.name(reader.queue().rollCycle());
            reader.read(counts::add);
        }
        final Map<String, Object> report = new LinkedHashMap<>();
        report.put("dir", directory.toString());
        report.put("rollCycle", rollCycle);
        report.put("entries", counts.entries);
        report.put("firstIndex", counts.entries > 0 ? counts.firstIndex : null);
        report.put("lastIndex", counts.entries > 0 ? counts.lastIndex : null);
        report.put("firstTime", counts.entries > 0 ? time(counts.firstTimeNs) : null);
        report.put("lastTime", counts.entries > 0 ? time(counts.lastTimeNs) : null);
        report.put("batches", counts.batches);
        report.put("updates", counts.updates);
        report.put("heartbeats", counts.heartbeats);
        report.put("sessionStatuses", counts.statuses);
        report.put("invalid", counts.invalid);
        report.put("origin", counts.origins.isEmpty() ? null : String.join(",", counts.origins.keySet()));
        report.put("topics", counts.topics);
        final List<Object> sessions = new ArrayList<>();
        for (final Session session : counts.sessions.values())
        {
            final Map<String, Object> map = new LinkedHashMap<>();
            map.put("epoch", session.epoch);
            map.put("start", time(session.epoch));
            map.put("firstIndex", session.firstIndex);
            map.put("batches", session.batches);
            map.put("updates", session.updates);
            map.put("ended", session.ended);
            sessions.add(map);
        }
        report.put("sessions", sessions);
        final List<Object> cycles = new ArrayList<>();
        long total = 0;
        for (final Path file : JournalFiles.cycleFiles(directory))
        {
            final long size = size(file);
            total += size;
            final Map<String, Object> map = new LinkedHashMap<>();
            map.put("file", file.getFileName().toString());
            map.put("bytes", size);
            cycles.add(map);
        }
        report.put("cycles", cycles);
        report.put("bytesOnDisk", total);
        return new JournalInfo(report);
    }

    private static long size(final Path file)
    {
        try
        {
            return Files.size(file);
        }
        catch (final IOException ex)
        {
            return -1;
        }
    }

    /**
     * A journal time as the reports and replay print it.
     *
     * @param epochNs nanoseconds since the epoch.
     * @return the ISO-8601 UTC time.
     */
    public static String time(final long epochNs)
    {
        return Instant.ofEpochSecond(Math.floorDiv(epochNs, 1_000_000_000L), Math.floorMod(epochNs, 1_000_000_000L))
            .toString();
    }

    /**
     * The summary as an ordered map for the JSON writer.
     *
     * @return the map.
     */
    public Map<String, Object> toMap()
    {
        return report;
    }

    /**
     * Prints the summary for a person to read.
     *
     * @param out where to print.
     */
    @SuppressWarnings("unchecked")
    public void print(final PrintStream out)
    {
        final List<Map<String, Object>> cycles = (List<Map<String, Object>>)report.get("cycles");
        out.println("journal " + report.get("dir") + " (" + report.get("rollCycle") + ", " + cycles.size() +
            " cycle file(s), " + report.get("bytesOnDisk") + " bytes)");
        out.println("  entries " + report.get("entries") + ": index " + report.get("firstIndex") + " to " +
            report.get("lastIndex") + ", time " + report.get("firstTime") + " to " + report.get("lastTime"));
        out.println("  batches " + report.get("batches") + " with " + report.get("updates") + " updates, heartbeats " +
            report.get("heartbeats") + ", session statuses " + report.get("sessionStatuses") + ", invalid " +
            report.get("invalid"));
        for (final Map<String, Object> session : (List<Map<String, Object>>)report.get("sessions"))
        {
            out.println("  session " + session.get("epoch") + " (" + session.get("start") + "): " +
                session.get("batches") + " batches, " + session.get("updates") + " updates, " +
                (Boolean.TRUE.equals(session.get("ended")) ? "ended" : "not ended (stopped without its end, or " +
                    "still running)"));
        }
        for (final Map.Entry<String, Object> topic : ((Map<String, Object>)report.get("topics")).entrySet())
        {
            out.println("  topic " + topic.getKey() + ": " + topic.getValue() + " updates");
        }
        for (final Map<String, Object> cycle : cycles)
        {
            out.println("  cycle " + cycle.get("file") + ": " + cycle.get("bytes") + " bytes");
        }
    }

    private static final class Session
    {
        final long epoch;
        final long firstIndex;
        long batches;
        long updates;
        boolean ended;

        Session(final long epoch, final long firstIndex)
        {
            this.epoch = epoch;
            this.firstIndex = firstIndex;
        }
    }

    private static final class Counts
    {
        final Map<String, Object> topics = new TreeMap<>();
        final Map<Long, Session> sessions = new LinkedHashMap<>();
        final Map<String, Boolean> origins = new LinkedHashMap<>();
        long entries;
        long firstIndex;
        long lastIndex;
        long firstTimeNs;
        long lastTimeNs;
        long batches;
        long updates;
        long heartbeats;
        long statuses;
        long invalid;

        boolean add(final JournalEntry entry)
        {
            if (entries == 0)
            {
                firstIndex = entry.index();
                firstTimeNs = entry.journalTimestampNs();
            }
            entries++;
            lastIndex = entry.index();
            lastTimeNs = entry.journalTimestampNs();
            origins.putIfAbsent(entry.origin().name().toLowerCase(), Boolean.TRUE);
            final int kind = entry.kindCode();
            if (kind == JournalEntry.KIND_INVALID)
            {
                invalid++;
                return true;
            }
            final Session session = sessions.computeIfAbsent(entry.sessionEpoch(), e -> new Session(e, entry.index()));
            switch (kind)
            {
                case JournalEntry.KIND_BATCH:
                    batches++;
                    updates += entry.updateCount();
                    session.batches++;
                    session.updates += entry.updateCount();
                    topics.merge(entry.topic(), (long)entry.updateCount(), (a, b) -> (Long)a + (Long)b);
                    break;
                case JournalEntry.KIND_HEARTBEAT:
                    heartbeats++;
                    break;
                default:
                    statuses++;
                    if (entry.flags() == dev.feedhandler.common.codec.SessionState.ENDED.value())
                    {
                        session.ended = true;
                    }
                    break;
            }
            return true;
        }
    }
}
