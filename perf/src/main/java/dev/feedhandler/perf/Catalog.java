package dev.feedhandler.perf;

import dev.feedhandler.perf.BaselineScenario.Program;
import dev.feedhandler.perf.Scenario.Kind;

import java.util.ArrayList;
import java.util.List;

/**
 * The scenarios of a full run and of {@code --quick}.
 */
final class Catalog
{
    static final String THROUGHPUT = "throughput";
    static final String LATENCY = "latency";
    static final String RATES = "rates";
    static final String TRANSPORTS = "transports";
    static final String BATCH = "batch";
    static final String INSTRUMENTS = "instruments";
    static final String FANOUT = "fanout";

    /** The fan-out to 8 subscriber processes measured in steady state, after {@link #FANOUT_STEADY_WARMUP}. */
    static final String FANOUT8_STEADY = "feed-fanout8-1m-steady";

    /** Seconds of warm-up before the steady-state fan-out is measured: the JIT of 9 JVMs on 2 cores settles by then. */
    static final int FANOUT_STEADY_WARMUP = 25;
    /**
     * Issue 12's scenarios in steady state: a 60 s warm-up, by which the JIT has compiled the feed's code and the
     * journal releases pages it has used (at 100k/s it keeps 256 MiB, about 46 s of journal).
     */
    static final int STEADY_WARMUP = 60;
    static final String OPTIONS = "options";
    static final String GC = "gc";
    static final String RECOVERY = "recovery";
    static final String MILLION = "million";
    static final String JEROMQ_TAIL = "jeromq-tail";
    static final String SHM = "shm";
    /** Benchmark JVMs pre-touch their fixed heap (BenchEnvironment); these scenarios run without, beside them. */
    static final List<String> NO_PRETOUCH = List.of("-XX:-AlwaysPreTouch");

    /** Pairs of scenarios compared side by side in the options table: {off, on, what}. */
    static final String[][] OPTION_PAIRS = {
        {"feed-tcp-max", "feed-journal-max", "journal, throughput"},
        {"feed-tcp-100k", "feed-journal-100k", "journal, latency at 100k/s"},
        {"feed-tcp-20k", "feed-curve-20k", "CURVE, latency at 20k/s"},
        {"feed-tcp-max", "feed-curve-max", "CURVE, throughput"},
        {"feed-tcp-max", "feed-metrics-max", "metrics (endpoints scraped every second), throughput"},
        {"feed-tcp-100k", "feed-metrics-100k", "metrics (endpoints scraped every second), latency at 100k/s"},
        {"feed-norecovery-max", "feed-tcp-max", "recovery service (every frame also handed to its window), " +
            "throughput"},
        {"feed-norecovery-100k", "feed-tcp-100k", "recovery service, nothing lost, latency at 100k/s"},
        {"feed-tcp-100k", "feed-recovery-100k", "recovery in progress (1 batch in 1000 dropped), latency at 100k/s"},
        {"feed-schedother-100k", "feed-tcp-100k", "I/O threads under SCHED_BATCH (the default) instead of " +
            "SCHED_OTHER (--io-thread-policy other), latency at 100k/s"},
        {"feed-schedother-max", "feed-tcp-max", "I/O threads under SCHED_BATCH instead of SCHED_OTHER, throughput"},
        {"feed-schedother-journal-1m-50", "feed-journal-1m-50", "I/O threads under SCHED_BATCH instead of " +
            "SCHED_OTHER, 1M/s over 50 instruments with the journal"},
        {"feed-nopretouch-100k", "feed-tcp-100k", "heap pre-touched at start (-XX:+AlwaysPreTouch, as a service " +
            "runs) instead of on first allocation, latency at 100k/s"},
        {"feed-nopretouch-journal-1m-50", "feed-journal-1m-50", "heap pre-touched at start instead of on first " +
            "allocation, 1M/s over 50 instruments with the journal"},
        {"feed-cachedall-journal-1m-50", "feed-journal-1m-50", "journal pages released from the page cache behind " +
            "the writer (--journal-cached 256m, the default) instead of left to the kernel (--journal-cached all), " +
            "1M/s over 50 instruments"},
        {"feed-cachedall-journal-max", "feed-journal-max", "journal pages released behind the writer instead of " +
            "left to the kernel, throughput"},
        {"feed-cachedall-journal-100k", "feed-journal-100k", "journal pages released behind the writer instead of " +
            "left to the kernel, latency at 100k/s"},
    };

    private Catalog()
    {
    }

    static FeedScenario.Builder feed(final String id, final String title, final String group, final Kind kind)
    {
        return FeedScenario.builder(id, title, group, kind);
    }

    static FeedScenario throughputReference()
    {
        return feed("feed-tcp-max", "feed, tcp, max rate (no loss: back-pressure)", THROUGHPUT, Kind.THROUGHPUT)
            .rate("max").block().build();
    }

    static FeedScenario latencyReference()
    {
        return feed("feed-tcp-100k", "feed, tcp", LATENCY, Kind.LATENCY).rate("100k").build();
    }

    static List<Scenario> full()
    {
        final List<Scenario> all = new ArrayList<>();
        all.add(throughputReference());
        all.add(feed("feed-schedother-max", "feed, tcp, max rate, I/O threads under SCHED_OTHER (--io-thread-policy " +
            "other)", THROUGHPUT, Kind.THROUGHPUT).rate("max").block().publisherArgs("--io-thread-policy", "other")
            .build());
        all.add(new BaselineScenario("naive-max", "naive JeroMQ, max rate (drops)", THROUGHPUT, Kind.THROUGHPUT,
            Program.NAIVE, "max", List.of("--instruments", "10")));
        all.add(new BaselineScenario("raw-batch-max", "raw JeroMQ, 256 updates/frame, max rate (no loss)",
            THROUGHPUT, Kind.THROUGHPUT, Program.RAW, "max", List.of("--batch", "256", "--block")));
        all.add(new BaselineScenario("aeron-ipc-max", "Aeron IPC, max rate", THROUGHPUT, Kind.THROUGHPUT,
            Program.AERON_IPC, "max", List.of()));
        all.add(new BaselineScenario("aeron-udp-max", "Aeron UDP loopback, max rate", THROUGHPUT, Kind.THROUGHPUT,
            Program.AERON_UDP, "max", List.of()));

        all.add(latencyReference());
        all.add(new BaselineScenario("raw-single-100k", "raw JeroMQ, 1 update/frame", LATENCY, Kind.LATENCY,
            Program.RAW, "100k", List.of("--batch", "1")));
        all.add(feed("feed-phased-100k", "feed, tcp, listener waits phased (spins 20 µs, yields, then blocks)",
            LATENCY, Kind.LATENCY).rate("100k").subscriberArgs("--wait-strategy", "phased").build());
        all.add(new BaselineScenario("naive-100k", "naive JeroMQ", LATENCY, Kind.LATENCY, Program.NAIVE, "100k",
            List.of("--instruments", "10")));
        all.add(new BaselineScenario("aeron-ipc-100k", "Aeron IPC", LATENCY, Kind.LATENCY, Program.AERON_IPC, "100k",
            List.of()));
        all.add(new BaselineScenario("aeron-udp-100k", "Aeron UDP loopback", LATENCY, Kind.LATENCY,
            Program.AERON_UDP, "100k", List.of()));
        all.add(libzmq100k());
        all.addAll(steady());
        all.add(feed("feed-envelope-100k", "feed, tcp, --envelope (each duty cycle's frames in one message)", LATENCY,
            Kind.LATENCY).rate("100k").publisherArgs("--envelope").build());
        all.add(feed("feed-schedother-100k", "feed, tcp, I/O threads left under SCHED_OTHER (--io-thread-policy " +
            "other)", LATENCY, Kind.LATENCY).rate("100k").publisherArgs("--io-thread-policy", "other").build());
        all.add(feed("feed-nopretouch-100k", "feed, tcp, heap not pre-touched (-XX:-AlwaysPreTouch)", LATENCY,
            Kind.LATENCY).rate("100k").build().withJvmFlags("", NO_PRETOUCH, NO_PRETOUCH));
        all.add(BaselineScenario.pair("raw-topics-100k", "raw JeroMQ, libzmq C's way (10 topics, the updates due " +
            "per topic in one message)", LATENCY, Kind.LATENCY, Program.RAW, Program.RAW, "100k", 10, 256));

        all.add(feed("feed-tcp-10k", "feed, tcp, 10k/s", RATES, Kind.LATENCY).rate("10k").build());
        all.add(feed("feed-tcp-20k", "feed, tcp, 20k/s", RATES, Kind.LATENCY).rate("20k").build());
        all.add(feed("feed-tcp-1m", "feed, tcp, 1M/s", RATES, Kind.LATENCY).rate("1M").build());

        all.addAll(million());

        all.add(feed("feed-ipc-100k", "feed, ipc (TCP underneath), 100k/s", TRANSPORTS, Kind.LATENCY)
            .transport("ipc").rate("100k").build());
        all.add(new BaselineScenario("feed-inproc-100k", "feed, inproc (one JVM), 100k/s", TRANSPORTS, Kind.LATENCY,
            Program.FEED_INPROC, "100k", List.of()));
        all.add(feed("feed-ipc-max", "feed, ipc, max rate", TRANSPORTS, Kind.THROUGHPUT).transport("ipc")
            .rate("max").block().build());
        all.add(new BaselineScenario("feed-inproc-max", "feed, inproc (one JVM), max rate", TRANSPORTS,
            Kind.THROUGHPUT, Program.FEED_INPROC, "max", List.of("--backpressure", "block")));

        for (final int batch : new int[] {1, 16, 64, 256})
        {
            all.add(feed("feed-batch" + batch + "-max", "feed, batches of at most " + batch + ", max rate", BATCH,
                Kind.THROUGHPUT).rate("max").batch(batch).block()
                .publisherArgs("--batch-max-bytes", Integer.toString(Math.max(16384, batch * 64))).build());
        }
        all.add(feed("feed-batch1-100k", "feed, batches of 1, 100k/s", BATCH, Kind.LATENCY).rate("100k").batch(1)
            .build());

        all.add(feed("feed-instr1-max", "feed, 1 instrument, max rate", INSTRUMENTS, Kind.THROUGHPUT).rate("max")
            .instruments(1).block().build());
        all.add(feed("feed-instr1000-max", "feed, 1000 instruments, max rate", INSTRUMENTS, Kind.THROUGHPUT)
            .rate("max").instruments(1000).block().build());
        all.add(feed("feed-instr1000-100k", "feed, 1000 instruments, 100k/s", INSTRUMENTS, Kind.LATENCY)
            .rate("100k").instruments(1000).build());
        all.add(feed("feed-instr2000-200k", "feed, 2000 instruments, 200k/s", INSTRUMENTS, Kind.LATENCY)
            .rate("200k").instruments(2000).build());
        all.add(feed("feed-envelope-instr2000-200k", "feed, 2000 instruments, 200k/s, --envelope", INSTRUMENTS,
            Kind.LATENCY).rate("200k").instruments(2000).publisherArgs("--envelope").build());

        for (final int subscribers : new int[] {1, 4, 8})
        {
            // 1M updates/s delivered in total: the publisher at 1M/N, every subscriber on every topic.
            all.add(feed("feed-fanout" + subscribers + "-1m", "feed, " + subscribers + " subscriber process" +
                (subscribers > 1 ? "es" : "") + " × " + rateName(1_000_000 / subscribers) + "/s = 1M/s delivered",
                FANOUT, Kind.LATENCY).rate(Integer.toString(1_000_000 / subscribers)).subscribers(subscribers)
                .build());
        }
        // The same 8 subscribers in steady state: 9 JVMs starting together on 2 cores are still JIT-compiling 15 s
        // after start (C2 at about 0.12 core in each), which the pass's few seconds of warm-up measure instead.
        all.add(feed(FANOUT8_STEADY, "feed, 8 subscriber processes × 125k/s = 1M/s delivered, after a " +
            FANOUT_STEADY_WARMUP + " s warm-up", FANOUT, Kind.LATENCY).rate("125000").subscribers(8)
            .warmup(FANOUT_STEADY_WARMUP).build());

        all.addAll(journal());
        all.add(feed("feed-curve-20k", "feed + CURVE, 20k/s", OPTIONS, Kind.LATENCY).rate("20k").curve().build());
        all.add(feed("feed-curve-max", "feed + CURVE, max rate", OPTIONS, Kind.THROUGHPUT).rate("max").block()
            .curve().build());
        all.add(feed("feed-metrics-max", "feed + metrics, max rate", OPTIONS, Kind.THROUGHPUT).rate("max").block()
            .metrics().build());
        all.add(feed("feed-metrics-100k", "feed + metrics, 100k/s", OPTIONS, Kind.LATENCY).rate("100k").metrics()
            .build());
        all.add(new ReplayScenario("replay-max", "feed replay --publish --speed max", OPTIONS));
        all.addAll(recovery());
        return all;
    }

    /** Issue 12's two latency scenarios after {@link #STEADY_WARMUP}, beside the same ones after the pass's warm-up. */
    static List<Scenario> steady()
    {
        return List.of(
            feed("feed-tcp-100k-steady", "feed, tcp, after a " + STEADY_WARMUP + " s warm-up", LATENCY, Kind.LATENCY)
                .rate("100k").warmup(STEADY_WARMUP).build(),
            feed("feed-journal-1m-50-steady", "feed + journal, after a " + STEADY_WARMUP + " s warm-up", MILLION,
                Kind.LATENCY).rate("1M").instruments(50).journal().warmup(STEADY_WARMUP).build());
    }

    /** The journal on against off, and its pages released behind the writer (the default) or left to the kernel. */
    static List<Scenario> journal()
    {
        return List.of(
            feed("feed-journal-max", "feed + journal, max rate", OPTIONS, Kind.THROUGHPUT).rate("max").block()
                .journal().build(),
            feed("feed-journal-100k", "feed + journal, 100k/s", OPTIONS, Kind.LATENCY).rate("100k").journal()
                .build(),
            feed("feed-cachedall-journal-max", "feed + journal, max rate, its pages left in the page cache " +
                "(--journal-cached all)", OPTIONS, Kind.THROUGHPUT).rate("max").block().journal()
                .publisherArgs("--journal-cached", "all").build(),
            feed("feed-cachedall-journal-100k", "feed + journal, 100k/s, its pages left in the page cache " +
                "(--journal-cached all)", OPTIONS, Kind.LATENCY).rate("100k").journal()
                .publisherArgs("--journal-cached", "all").build());
    }

    /**
     * The allocation and GC windows: the benchmark heap (600 MB young generation), and the same run with a young
     * generation sized to hold a minute of the publisher's per-batch allocation.
     */
    static List<FeedScenario> gcScenarios()
    {
        final FeedScenario standard = feed("feed-gc-1m", "feed, tcp, 1M/s, 600 MB young generation", GC,
            Kind.LATENCY).rate("1M").build();
        final List<String> eden = List.of("-Xms5g", "-Xmx5g", "-Xmn4g");
        return List.of(standard, feed("feed-gc-1m-eden4g", "feed, tcp, 1M/s, 4 GB young generation", GC,
            Kind.LATENCY).rate("1M").build().withJvmFlags("", eden, eden));
    }

    /**
     * Recovery in progress: the publisher's test hook keeps every Nth batch off the socket (still in its recovery
     * window), so the subscriber detects each loss and recovers it while the feed flows.
     */
    static List<Scenario> recovery()
    {
        return List.of(
            feed("feed-norecovery-max", "feed without recovery, max rate", OPTIONS, Kind.THROUGHPUT).rate("max")
                .block().noRecovery().build(),
            feed("feed-norecovery-100k", "feed without recovery, 100k/s", OPTIONS, Kind.LATENCY).rate("100k")
                .noRecovery().build(),
            feed("feed-recovery-100k", "feed, 100k/s, 1 batch in 1000 dropped and recovered", RECOVERY, Kind.LATENCY)
                .rate("100k").publisherArgs("--drop-batches", "every:1000").build(),
            feed("feed-recovery100-100k", "feed, 100k/s, 1 batch in 100 dropped and recovered", RECOVERY,
                Kind.LATENCY).rate("100k").publisherArgs("--drop-batches", "every:100").build(),
            feed("feed-recovery-1m", "feed, 1M/s, 1 batch in 10000 dropped and recovered", RECOVERY, Kind.LATENCY)
                .rate("1M").publisherArgs("--drop-batches", "every:10000").build());
    }

    /**
     * The shared-memory transport side by side with the feed over tcp and libzmq in C, in one pass
     * ({@code scripts/bench --suite shm}, docs/shared-memory.md): 100k/s with the default (woken by the
     * publisher), the timer and the spinning reader, the publisher parking 200 (its default) or 50 us, flat out to
     * one reader, and the publisher with a tcp subscriber and 0 or 8 shared-memory readers (woken or on a timer).
     */
    static List<Scenario> shm()
    {
        final List<Scenario> all = new ArrayList<>();
        all.add(feed("feed-tcp-100k", "feed, tcp", SHM, Kind.LATENCY).rate("100k").build());
        all.add(BaselineScenario.pair("libzmq-c-100k", "libzmq C, 10 topics, the updates due per topic in one " +
            "message", SHM, Kind.LATENCY, Program.LIBZMQ_C, Program.LIBZMQ_C, "100k", 10, 256));
        all.add(feed("feed-shm-100k", "feed, shm, default reader (asleep until the publisher writes; the listener " +
            "on the reader's thread)", SHM, Kind.LATENCY).transport("shm").rate("100k").build());
        all.add(feed("feed-shm-timer-100k", "feed, shm, reader on its timer (--receive-idle sleep: parks 100 µs " +
            "when idle, the default before 8 Dec)", SHM, Kind.LATENCY).transport("shm").rate("100k")
            .subscriberArgs("--receive-idle", "sleep").build());
        all.add(feed("feed-shm-park50-100k", "feed, shm, default reader, the publisher parking 50 µs after work " +
            "(--idle park:50us, its shared-memory default before 8 Dec)", SHM, Kind.LATENCY).transport("shm")
            .rate("100k").publisherArgs("--idle", "park:50us").build());
        all.add(feed("feed-shm-own-100k", "feed, shm, default reader, the listener behind the ring " +
            "(--listener-thread own)", SHM, Kind.LATENCY).transport("shm").rate("100k")
            .subscriberArgs("--listener-thread", "own").build());
        all.add(feed("feed-shm-spin-100k", "feed, shm, spinning reader (--receive-idle spin)", SHM, Kind.LATENCY)
            .transport("shm").rate("100k").subscriberArgs("--receive-idle", "spin").build());
        all.add(feed("feed-shm-max", "feed, shm, max rate, one reader", SHM, Kind.THROUGHPUT).transport("shm")
            .rate("max").build());
        all.add(feed("feed-shm-spin-max", "feed, shm, max rate, one spinning reader", SHM, Kind.THROUGHPUT)
            .transport("shm").rate("max").subscriberArgs("--receive-idle", "spin").build());
        all.add(feed("feed-tcp-shm0-100k", "feed, tcp subscriber, publisher writing --shm, 0 shm readers", SHM,
            Kind.LATENCY).rate("100k").shmReaders(0).build());
        all.add(feed("feed-tcp-shm8-100k", "feed, tcp subscriber, publisher writing --shm, 8 shm readers", SHM,
            Kind.LATENCY).rate("100k").shmReaders(8).build());
        all.add(feed("feed-tcp-shm8-nowake-100k", "feed, tcp subscriber, publisher writing --shm --no-shm-wake, 8 " +
            "shm readers (on their timer)", SHM, Kind.LATENCY).rate("100k").shmReaders(8)
            .publisherArgs("--no-shm-wake").build());
        return all;
    }

    /** libzmq in C at 100k/s over 10 topics: the reference for the feed's cores and tail at that rate. */
    static BaselineScenario libzmq100k()
    {
        return BaselineScenario.pair("libzmq-c-100k", "libzmq C, 10 topics, the updates due per topic in one " +
            "message", LATENCY, Kind.LATENCY, Program.LIBZMQ_C, Program.LIBZMQ_C, "100k", 10, 256);
    }

    /** 1M updates/s over 50 instruments: the feed (with and without the journal), libzmq C and raw JeroMQ. */
    static List<Scenario> million()
    {
        return List.of(
            feed("feed-tcp-1m-50", "feed, tcp", MILLION, Kind.LATENCY).rate("1M").instruments(50).build(),
            feed("feed-journal-1m-50", "feed + journal", MILLION, Kind.LATENCY).rate("1M").instruments(50)
                .journal().build(),
            feed("feed-schedother-journal-1m-50", "feed + journal, --io-thread-policy other", MILLION, Kind.LATENCY)
                .rate("1M").instruments(50).journal().publisherArgs("--io-thread-policy", "other").build(),
            feed("feed-nopretouch-journal-1m-50", "feed + journal, heap not pre-touched (-XX:-AlwaysPreTouch)",
                MILLION, Kind.LATENCY).rate("1M").instruments(50).journal().build()
                .withJvmFlags("", NO_PRETOUCH, NO_PRETOUCH),
            feed("feed-cachedall-journal-1m-50", "feed + journal, its pages left in the page cache " +
                "(--journal-cached all)", MILLION, Kind.LATENCY).rate("1M").instruments(50).journal()
                .publisherArgs("--journal-cached", "all").build(),
            feed("feed-envelope-journal-1m-50", "feed + journal, --envelope", MILLION, Kind.LATENCY).rate("1M")
                .instruments(50).journal().publisherArgs("--envelope").build(),
            BaselineScenario.pair("libzmq-c-1m-50", "libzmq C, the updates due per topic in one message", MILLION,
                Kind.LATENCY, Program.LIBZMQ_C, Program.LIBZMQ_C, "1M", 50, 256),
            BaselineScenario.pair("raw-topics-1m-50", "raw JeroMQ, libzmq C's way", MILLION, Kind.LATENCY,
                Program.RAW, Program.RAW, "1M", 50, 256));
    }

    /**
     * Why JeroMQ's tail is longer than libzmq's ({@code scripts/bench --suite jeromq-tail}, docs/jeromq-tail.md):
     * one message per update at 100k/s over 10 topics (and the updates due per topic at 1M/s over 50), every pairing
     * of a JeroMQ and a libzmq C end, then the JeroMQ pair with one thing changed at a time: socket buffers,
     * high-water marks, I/O threads, how the subscriber receives, the receive allocator, heartbeats, the GC and heap,
     * and a longer warm-up for the JIT.
     */
    static List<Scenario> jeromqTail()
    {
        final List<Scenario> all = new ArrayList<>();
        final String r = "100k";
        all.add(tail("tail-c-c", "libzmq C → libzmq C", Program.LIBZMQ_C, Program.LIBZMQ_C, r, 10, 1));
        all.add(tail("tail-j-j", "JeroMQ → JeroMQ", Program.RAW, Program.RAW, r, 10, 1));
        all.add(tail("tail-j-c", "JeroMQ → libzmq C", Program.RAW, Program.LIBZMQ_C, r, 10, 1));
        all.add(tail("tail-c-j", "libzmq C → JeroMQ", Program.LIBZMQ_C, Program.RAW, r, 10, 1));
        final BaselineScenario jj = tail("", "", Program.RAW, Program.RAW, r, 10, 1);
        // JeroMQ 0.6.0 cannot set SO_SNDBUF on a socket that binds (the listener's channel refuses it): the
        // subscriber's receive buffer only.
        all.add(jj.renamed("tail-j-j-rcvbuf1m", "JeroMQ → JeroMQ, subscriber RCVBUF 1 MiB")
            .subscriberArgs("--rcvbuf", "1048576"));
        all.add(jj.renamed("tail-j-j-hwm100k", "JeroMQ → JeroMQ, SNDHWM/RCVHWM 100000")
            .publisherArgs("--sndhwm", "100000").subscriberArgs("--rcvhwm", "100000"));
        all.add(jj.renamed("tail-j-j-io2", "JeroMQ → JeroMQ, 2 I/O threads each")
            .publisherArgs("--io-threads", "2").subscriberArgs("--io-threads", "2"));
        all.add(jj.renamed("tail-j-j-poller", "JeroMQ → JeroMQ, subscriber polls (Poller, then DONTWAIT)")
            .subscriberArgs("--recv", "poller"));
        all.add(jj.renamed("tail-j-j-dontwait", "JeroMQ → JeroMQ, subscriber DONTWAIT + backoff idle")
            .subscriberArgs("--recv", "dontwait", "--idle", "backoff"));
        all.add(jj.renamed("tail-j-j-direct", "JeroMQ → JeroMQ, direct-buffer receive allocator")
            .subscriberArgs("--allocator", "direct"));
        all.add(jj.renamed("tail-j-j-heartbeat", "JeroMQ → JeroMQ, ZMTP heartbeats every 1 s")
            .publisherArgs("--heartbeat-ms", "1000").subscriberArgs("--heartbeat-ms", "1000"));
        final List<String> noSafepoint = List.of("-XX:+UnlockDiagnosticVMOptions",
            "-XX:GuaranteedSafepointInterval=0");
        all.add(jj.renamed("tail-j-j-nosafepoint", "JeroMQ → JeroMQ, no periodic safepoint " +
            "(-XX:GuaranteedSafepointInterval=0)").jvmFlags(noSafepoint, noSafepoint));
        final List<String> parallel = List.of("-XX:+UseParallelGC");
        all.add(jj.renamed("tail-j-j-parallelgc", "JeroMQ → JeroMQ, ParallelGC").jvmFlags(parallel, parallel));
        final List<String> small = List.of("-Xms64m", "-Xmx64m", "-Xmn32m");
        all.add(jj.renamed("tail-j-j-heap64m", "JeroMQ → JeroMQ, 64 MB heap (32 MB young)").jvmFlags(small, small));
        all.add(jj.renamed("tail-j-j-faulting", "JeroMQ → JeroMQ, heap not pre-touched (-XX:-AlwaysPreTouch)")
            .jvmFlags(NO_PRETOUCH, NO_PRETOUCH));
        for (final int seconds : new int[] {6, 10, 15, 30})
        {
            all.add(jj.renamed("tail-j-j-warm" + seconds, "JeroMQ → JeroMQ, " + seconds + " s warm-up")
                .warmup(seconds));
        }
        all.add(tail("tail-c-c-warm15", "libzmq C → libzmq C, 15 s warm-up", Program.LIBZMQ_C, Program.LIBZMQ_C, r,
            10, 1).warmup(15));
        all.add(tail("tail-c-c-batch", "libzmq C → libzmq C, the updates due per topic in one message",
            Program.LIBZMQ_C, Program.LIBZMQ_C, r, 10, 256));
        all.add(tail("tail-j-j-batch", "JeroMQ → JeroMQ, the updates due per topic in one message", Program.RAW,
            Program.RAW, r, 10, 256));
        final List<String> young = List.of("-Xmn32m");
        all.add(jj.renamed("tail-j-j-young32m", "JeroMQ → JeroMQ, 32 MB young generation (1 GB heap)")
            .jvmFlags(young, young));
        // The feed itself at the same rate and topics, with the settings that helped the raw pair.
        all.add(feed("tail-feed", "feed, default flags", JEROMQ_TAIL, Kind.LATENCY).rate(r).build());
        all.add(feed("tail-feed-warm15", "feed, 15 s warm-up", JEROMQ_TAIL, Kind.LATENCY).rate(r).warmup(15).build());
        all.add(feed("tail-feed", "feed, 32 MB young generation", JEROMQ_TAIL, Kind.LATENCY).rate(r).build()
            .withJvmFlags("-young32m", young, young));
        all.add(feed("tail-feed", "feed, heap not pre-touched (-XX:-AlwaysPreTouch)", JEROMQ_TAIL, Kind.LATENCY)
            .rate(r).build().withJvmFlags("-faulting", NO_PRETOUCH, NO_PRETOUCH));
        final String m = "1M";
        all.add(tail("tail-c-c-1m", "1M/s over 50: libzmq C → libzmq C", Program.LIBZMQ_C, Program.LIBZMQ_C, m, 50,
            256));
        all.add(tail("tail-j-j-1m", "1M/s over 50: JeroMQ → JeroMQ", Program.RAW, Program.RAW, m, 50, 256));
        all.add(tail("tail-j-c-1m", "1M/s over 50: JeroMQ → libzmq C", Program.RAW, Program.LIBZMQ_C, m, 50, 256));
        all.add(tail("tail-c-j-1m", "1M/s over 50: libzmq C → JeroMQ", Program.LIBZMQ_C, Program.RAW, m, 50, 256));
        return all;
    }

    private static BaselineScenario tail(final String id, final String title, final Program publisher,
        final Program subscriber, final String rate, final int instruments, final int batch)
    {
        return BaselineScenario.pair(id, title, JEROMQ_TAIL, Kind.LATENCY, publisher, subscriber, rate, instruments,
            batch);
    }

    private static String rateName(final int rate)
    {
        if (rate % 1_000_000 == 0)
        {
            return rate / 1_000_000 + "M";
        }
        return rate % 1000 == 0 ? rate / 1000 + "k" : Integer.toString(rate);
    }

    static List<Scenario> quick()
    {
        final List<Scenario> all = new ArrayList<>();
        all.add(throughputReference());
        all.add(new BaselineScenario("naive-max", "naive JeroMQ, max rate (drops)", THROUGHPUT, Kind.THROUGHPUT,
            Program.NAIVE, "max", List.of("--instruments", "10")));
        all.add(latencyReference());
        all.add(new BaselineScenario("raw-single-100k", "raw JeroMQ, 1 update/frame", LATENCY, Kind.LATENCY,
            Program.RAW, "100k", List.of("--batch", "1")));
        all.add(libzmq100k());
        all.add(new BaselineScenario("aeron-ipc-100k", "Aeron IPC", LATENCY, Kind.LATENCY, Program.AERON_IPC, "100k",
            List.of()));
        all.add(new BaselineScenario("feed-inproc-100k", "feed, inproc (one JVM), 100k/s", TRANSPORTS, Kind.LATENCY,
            Program.FEED_INPROC, "100k", List.of()));
        all.add(feed("feed-fanout2-1m", "feed, 2 subscriber processes × 500k/s = 1M/s delivered", FANOUT,
            Kind.LATENCY).rate("500000").subscribers(2).build());
        all.add(recovery().get(2));
        return all;
    }
}
