package dev.feedhandler.publisher.source.csv;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * An input read on the caller's thread: a plain file, whose reads come from the page cache and never wait long.
 * Allocates nothing per read (the {@link ByteBuffer} view is made again only when the destination array changes,
 * which happens when a line reader grows its buffer).
 */
final class ChannelByteSource implements ByteSource
{
    private final ReadableByteChannel channel;
    private byte[] wrapped;
    private ByteBuffer view;

    /**
     * Reads a channel.
     *
     * @param channel the bytes; closed by {@link #close()}.
     */
    ChannelByteSource(final ReadableByteChannel channel)
    {
        this.channel = channel;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int read(final byte[] destination, final int offset, final int length) throws IOException
    {
        if (destination != wrapped)
        {
            wrapped = destination;
            view = ByteBuffer.wrap(destination);
        }
        view.limit(offset + length).position(offset);
        int read;
        do
        {
            read = channel.read(view);
        }
        while (read == 0);
        return read < 0 ? END : read;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void close() throws IOException
    {
        channel.close();
    }
}
