package dev.feedhandler.publisher.source;

import java.nio.charset.StandardCharsets;

/**
 * An instrument the publisher knows: its id on the wire and its symbol, which is also its topic (frame 0).
 *
 * @param id     dense id, in order of registration, carried in every update.
 * @param symbol the symbol, printable ASCII.
 */
public record Instrument(int id, String symbol)
{
    /**
     * The topic frame: the symbol in ASCII.
     *
     * @return a new array with the symbol's bytes.
     */
    public byte[] topicBytes()
    {
        return symbol.getBytes(StandardCharsets.US_ASCII);
    }
}
