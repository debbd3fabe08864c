package dev.feedhandler.common.shm;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import org.agrona.BufferUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * Linux futexes on a word of a shared file mapping, so that a reader process can sleep until the writer of a
 * shared-memory log says it wrote, instead of waking on a timer to look (issue 14). Measured on the 2-core
 * development VM (two JVMs, a word of a {@code /dev/shm} file, 10 s each): a reader woken by the writer's
 * {@code FUTEX_WAKE} used 8 us of CPU per wake-up and saw a write 11 us after it at the median (p99 37 us), against
 * 31 us per wake-up and a median of 69 us (p99 176 us) for a reader parking 100 us between looks; the writer paid
 * 3 us per wake call.
 * <p>
 * The futexes are shared (no {@code FUTEX_PRIVATE_FLAG}): the kernel finds a waiter by the file and offset of the
 * word, whatever address each process mapped it at, and a reader may map the file read-only ({@code FUTEX_WAIT} only
 * reads the word). Bound with JNA's direct mapping, so a call allocates nothing; x86-64 and AArch64 Linux only.
 * JNA is an optional dependency of {@code common}: the feed's distribution has it (Chronicle Queue brings it), an
 * embedder adds it to have woken readers. Without it, elsewhere, or when the C library cannot be bound,
 * {@link #available()} is false and callers wait on a timer as before.
 */
public final class Futex
{
    private static final Logger LOG = LoggerFactory.getLogger(Futex.class);
    private static final int FUTEX_WAIT = 0;
    private static final int FUTEX_WAKE = 1;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;
    private static final int ETIMEDOUT = 110;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final boolean AVAILABLE = bind();

    private final ByteBuffer timeout = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
    private final long timeoutAddress = BufferUtil.address(timeout);

    /**
     * A waiter's state: its timeout, kept between calls so that a wait allocates nothing. One thread.
     */
    public Futex()
    {
    }

    private static boolean bind()
    {
        try
        {
            Class.forName("com.sun.jna.Native", false, Futex.class.getClassLoader());
        }
        catch (final ClassNotFoundException ex)
        {
            LOG.debug("no JNA on the class path: shared-memory readers look for new records on a timer");
            return false;
        }
        try
        {
            return Binding.bind();
        }
        catch (final LinkageError | RuntimeException ex)
        {
            LOG.warn("futexes unavailable ({}): shared-memory readers look for new records on a timer", ex.toString());
            return false;
        }
    }

    /**
     * Whether futexes can be used here.
     *
     * @return true on Linux (x86-64, AArch64) with JNA present and the C library bound.
     */
    public static boolean available()
    {
        return AVAILABLE;
    }

    /**
     * Wakes every thread of any process waiting on the word at {@code address}. Costs a system call whether or not
     * anyone waits.
     *
     * @param address the word's address in this process (4-byte aligned, in a shared mapping).
     * @return the number of waiters woken, or -1 if futexes are unavailable or the call failed.
     */
    public static int wakeAll(final long address)
    {
        if (!AVAILABLE)
        {
            return -1;
        }
        final long result = Binding.syscall(Binding.SYS_FUTEX, address, FUTEX_WAKE, Integer.MAX_VALUE, 0, 0, 0);
        return result < 0 ? -1 : (int)result;
    }

    /**
     * Sleeps while the word at {@code address} holds {@code expected}, until a {@link #wakeAll} on it, a signal or
     * {@code timeoutNs}; returns at once if the word holds anything else. A return says nothing about the word:
     * the caller looks again.
     *
     * @param address   the word's address in this process (4-byte aligned, in a shared mapping).
     * @param expected  the value last seen, before the caller looked for work and found none.
     * @param timeoutNs the longest sleep.
     * @return true if it slept, timed out or the word had changed; false if futexes are unavailable or the call
     *         failed for another reason (the caller should wait some other way).
     */
    public boolean await(final long address, final int expected, final long timeoutNs)
    {
        if (!AVAILABLE)
        {
            return false;
        }
        final long ns = Math.max(0, timeoutNs);
        timeout.putLong(0, ns / NANOS_PER_SECOND);
        timeout.putLong(8, ns % NANOS_PER_SECOND);
        final long result = Binding.syscall(Binding.SYS_FUTEX, address, FUTEX_WAIT, expected, timeoutAddress, 0, 0);
        if (result == 0)
        {
            return true;
        }
        final int errno = Binding.lastError();
        return errno == EAGAIN || errno == EINTR || errno == ETIMEDOUT;
    }

    /**
     * The JNA binding, in a class of its own so that nothing of JNA is loaded where it is missing.
     */
    private static final class Binding
    {
        static final long SYS_FUTEX = sysFutex();

        private Binding()
        {
        }

        static native long syscall(long number, long address, int operation, int value, long timeout,
            long address2, int value3);

        static int lastError()
        {
            return Native.getLastError();
        }

        private static long sysFutex()
        {
            if (!Platform.isLinux())
            {
                return -1;
            }
            final String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
            if ("amd64".equals(arch) || "x86_64".equals(arch))
            {
                return 202;
            }
            if ("aarch64".equals(arch) || "arm64".equals(arch))
            {
                return 98;
            }
            return -1;
        }

        static boolean bind()
        {
            if (SYS_FUTEX < 0)
            {
                LOG.debug("no futexes on {} {}: shared-memory readers look for new records on a timer",
                    System.getProperty("os.name"), System.getProperty("os.arch"));
                return false;
            }
            Native.register(Binding.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
            // A wake with nobody waiting: 0 if the kernel has futexes and the binding works.
            final Memory word = new Memory(4);
            word.setInt(0, 0);
            final long woken = syscall(SYS_FUTEX, Pointer.nativeValue(word), FUTEX_WAKE, 1, 0, 0, 0);
            if (woken != 0)
            {
                LOG.warn("futexes unavailable (a test wake returned {}, errno {}): shared-memory readers look for " +
                    "new records on a timer", woken, Native.getLastError());
                return false;
            }
            return true;
        }
    }
}
