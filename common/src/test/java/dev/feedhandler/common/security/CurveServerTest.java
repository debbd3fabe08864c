package dev.feedhandler.common.security;

import dev.feedhandler.common.socket.SocketEventLog;
import dev.feedhandler.common.testing.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link CurveServer} on a ROUTER and {@link CurveClient} on DEALERs: the request-reply shape of the recovery
 * service (issue 5), which will make its socket a CURVE server with this same call. An allowed client gets
 * answers; a client whose key is not in the allow-list gets nothing, and the refusal is counted and logged.
 */
@Timeout(30)
class CurveServerTest
{
    @TempDir
    Path dir;

    private ZContext context;
    private CurveServer server;

    @BeforeEach
    void keys()
    {
        context = new ZContext();
    }

    @AfterEach
    void close()
    {
        if (server != null)
        {
            server.close();
        }
        context.close();
    }

    @Test
    void shouldAnswerAnAllowedClientAndNeverHearAStranger() throws Exception
    {
        final Path allow = Files.createDirectories(dir.resolve("allow"));
        final CurveKeys.Generated serverKeys = CurveKeys.generate(dir, "recovery", false);
        final CurveKeys.Generated allowed = CurveKeys.generate(dir, "allowed", false);
        final CurveKeys.Generated stranger = CurveKeys.generate(dir, "stranger", false);
        Files.copy(allowed.publicFile(), allow.resolve("allowed.key"));
        server = new CurveServer(CurveKeys.readSecret(serverKeys.secretFile()), CurveAllowList.directory(allow));

        try (LogCapture log = LogCapture.of(CurveAllowList.class))
        {
            final ZMQ.Socket router = context.createSocket(SocketType.ROUTER);
            server.configure(context, router);
            final int port = router.bindToRandomPort("tcp://127.0.0.1");
            final ZMQ.Socket goodClient = client(CurveClient.read(serverKeys.publicFile(), allowed.secretFile()), port);
            final ZMQ.Socket badClient = client(CurveClient.read(serverKeys.publicFile(), stranger.secretFile()), port);

            badClient.send("from the stranger");
            await().atMost(Duration.ofSeconds(10)).until(() -> server.policy().refused() == 1);
            goodClient.send("gap EURUSD 5..9");

            final ZMsg request = ZMsg.recvMsg(router);
            assertThat(request.getLast().getString(StandardCharsets.UTF_8)).isEqualTo("gap EURUSD 5..9");
            request.getLast().reset("filled");
            request.send(router);
            assertThat(goodClient.recvStr()).isEqualTo("filled");
            assertThat(router.recv(ZMQ.DONTWAIT)).as("the stranger's request never arrives").isNull();
            assertThat(server.policy().admitted()).isEqualTo(1);
            assertThat(log.linesWith("refused CURVE client " + stranger.publicKey() + " from 127.0.0.1"))
                .hasSize(1).allMatch(line -> line.startsWith("WARN "));
            assertThat(log.linesWith("admitted CURVE client " + allowed.publicKey())).hasSize(1);
        }
    }

    @Test
    void shouldAdmitAnyClientThatKnowsTheServerKeyWithAllowAny() throws Exception
    {
        final CurveKeys.Generated serverKeys = CurveKeys.generate(dir, "server", false);
        final CurveKeys.Generated anyone = CurveKeys.generate(dir, "anyone", false);
        server = new CurveServer(CurveKeys.readSecret(serverKeys.secretFile()), CurveAllowList.anyClient());
        final ZMQ.Socket router = context.createSocket(SocketType.ROUTER);
        server.apply(context, router);
        final int port = router.bindToRandomPort("tcp://127.0.0.1");
        final ZMQ.Socket client = client(CurveClient.read(serverKeys.publicFile(), anyone.secretFile()), port);

        client.send("hello");

        assertThat(ZMsg.recvMsg(router).getLast().getString(StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(server.policy().admitted()).isEqualTo(1);
    }

    @Test
    void shouldRefuseAnAllowListThatIsNotADirectory()
    {
        assertThatThrownBy(() -> CurveAllowList.directory(dir.resolve("nope")))
            .isInstanceOf(KeyFileException.class)
            .hasMessage("cannot use allow-list " + dir.resolve("nope") + ": no such directory");
    }

    private ZMQ.Socket client(final CurveClient curve, final int port)
    {
        final ZMQ.Socket socket = context.createSocket(SocketType.DEALER);
        curve.configure(socket);
        socket.setEventHook(new SocketEventLog("test-client"), SocketEventLog.EVENTS);
        socket.connect("tcp://127.0.0.1:" + port);
        return socket;
    }
}
