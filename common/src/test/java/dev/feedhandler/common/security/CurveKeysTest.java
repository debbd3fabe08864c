package dev.feedhandler.common.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.ZCert;
import org.zeromq.ZConfig;
import org.zeromq.ZMQ;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Certificate files: the format JeroMQ and libzmq's tools use, owner-only secret files, and one-line refusals.
 */
@Timeout(30)
class CurveKeysTest
{
    @TempDir
    Path dir;

    @Test
    void shouldWriteAPublicAndAnOwnerOnlySecretCertificateThatZeroMqReads() throws Exception
    {
        final CurveKeys.Generated generated = CurveKeys.generate(dir.resolve("keys"), "desk-7", false);

        assertThat(generated.publicFile()).isEqualTo(dir.resolve("keys/desk-7.key"));
        assertThat(generated.secretFile()).isEqualTo(dir.resolve("keys/desk-7.key_secret"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(generated.secretFile())))
            .isEqualTo("rw-------");
        final ZConfig publicConfig = ZConfig.load(generated.publicFile().toString());
        final ZConfig secretConfig = ZConfig.load(generated.secretFile().toString());
        assertThat(publicConfig.getValue("curve/public-key")).isEqualTo(generated.publicKey());
        assertThat(publicConfig.getValue("curve/secret-key")).isNull();
        assertThat(secretConfig.getValue("curve/public-key")).isEqualTo(generated.publicKey());
        final byte[] secret = ZMQ.Curve.z85Decode(secretConfig.getValue("curve/secret-key"));
        // The secret key really is the public key's other half.
        assertThat(ZMQ.Curve.z85Encode(new ZCert(ZMQ.Curve.z85Decode(generated.publicKey()), secret)
            .getPublicKey())).isEqualTo(generated.publicKey());

        final CurveCertificate read = CurveKeys.readSecret(generated.secretFile());
        assertThat(read.publicKeyZ85()).isEqualTo(generated.publicKey());
        assertThat(read.secretKey()).isEqualTo(secret);
        assertThat(read.toString()).doesNotContain(secretConfig.getValue("curve/secret-key"));
        assertThat(CurveKeys.readPublic(generated.publicFile()).hasSecretKey()).isFalse();
    }

    @Test
    void shouldReadACertificateWrittenByCzmqAndLibzmqTools() throws Exception
    {
        // The layout czmq's zcert_save writes (and pyzmq's zmq.auth.create_certificates): ZPL, four-space indents.
        final ZMQ.Curve.KeyPair pair = ZMQ.Curve.generateKeyPair();
        final Path file = dir.resolve("client.key_secret");
        Files.writeString(file, "#   ****  Generated on 2024-01-01 10:00:00 by CZMQ  ****\n" +
            "#   ZeroMQ CURVE **Secret** Certificate\n" +
            "#   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.\n\n" +
            "metadata\n    name = \"client\"\n" +
            "curve\n    public-key = \"" + pair.publicKey + "\"\n    secret-key = \"" + pair.secretKey + "\"\n",
            StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        final CurveCertificate certificate = CurveKeys.readSecret(file);

        assertThat(certificate.publicKeyZ85()).isEqualTo(pair.publicKey);
        assertThat(ZMQ.Curve.z85Encode(certificate.secretKey())).isEqualTo(pair.secretKey);
    }

    @Test
    void shouldRefuseASecretKeyFileThatGroupOrOthersMayRead() throws Exception
    {
        final CurveKeys.Generated generated = CurveKeys.generate(dir, "pub", false);
        for (final String mode : new String[] {"rw-r--r--", "rw-r-----", "rw----rw-", "rwx---r--"})
        {
            Files.setPosixFilePermissions(generated.secretFile(), PosixFilePermissions.fromString(mode));

            assertThatThrownBy(() -> CurveKeys.readSecret(generated.secretFile()))
                .as(mode)
                .isInstanceOf(KeyFileException.class)
                .hasMessage("refusing secret key file " + generated.secretFile() + ": its mode " + mode +
                    " lets group or others at it (expected rw-------; run chmod 600 " + generated.secretFile() + ")");
        }
        Files.setPosixFilePermissions(generated.secretFile(), PosixFilePermissions.fromString("r--------"));
        assertThat(CurveKeys.readSecret(generated.secretFile()).hasSecretKey()).isTrue();
    }

    @Test
    void shouldExplainBadKeyFilesInOneLine() throws Exception
    {
        final CurveKeys.Generated generated = CurveKeys.generate(dir, "pub", false);
        final Path garbage = dir.resolve("garbage");
        Files.writeString(garbage, "this is not\n  a certificate {\n");
        final Path badKey = dir.resolve("bad.key");
        Files.writeString(badKey, "curve\n    public-key = \"tooShort\"\n");
        final Path publicAsSecret = dir.resolve("public-copy");
        Files.copy(generated.publicFile(), publicAsSecret);
        Files.setPosixFilePermissions(publicAsSecret, PosixFilePermissions.fromString("rw-------"));

        assertThatThrownBy(() -> CurveKeys.readSecret(dir.resolve("missing.key_secret")))
            .hasMessage("cannot read key file " + dir.resolve("missing.key_secret") + ": no such file");
        assertThatThrownBy(() -> CurveKeys.readPublic(garbage))
            .hasMessage("cannot read key file " + garbage +
                ": not a ZeroMQ certificate (ZPL format, as written by feed keygen)");
        assertThatThrownBy(() -> CurveKeys.readPublic(badKey))
            .hasMessage("cannot use key file " + badKey + ": curve/public-key is not a 40-character Z85 key");
        assertThatThrownBy(() -> CurveKeys.readSecret(publicAsSecret))
            .hasMessage("cannot use key file " + publicAsSecret +
                ": it has no curve/secret-key (is it the public half? use NAME.key_secret)");
        assertThatThrownBy(() -> CurveKeys.readPublic(dir))
            .hasMessage("cannot read key file " + dir + ": it is a directory");
    }

    @Test
    void shouldNotOverwriteCertificatesUnlessForced() throws Exception
    {
        final CurveKeys.Generated first = CurveKeys.generate(dir, "pub", false);

        assertThatThrownBy(() -> CurveKeys.generate(dir, "pub", false))
            .isInstanceOf(KeyFileException.class)
            .hasMessage(first.publicFile() + " exists: refusing to overwrite it (--force replaces it)");
        assertThat(CurveKeys.readPublic(first.publicFile()).publicKeyZ85()).isEqualTo(first.publicKey());

        final CurveKeys.Generated second = CurveKeys.generate(dir, "pub", true);
        assertThat(second.publicKey()).isNotEqualTo(first.publicKey());
        assertThat(CurveKeys.readSecret(second.secretFile()).publicKeyZ85()).isEqualTo(second.publicKey());
        assertThatThrownBy(() -> CurveKeys.generate(dir, "../escape", false))
            .hasMessageStartingWith("bad certificate name '../escape'");
    }

    @Test
    void shouldLeaveNoHalfPairWhenTheCertificatesCannotBeWritten() throws Exception
    {
        // The public file's path taken by a directory: the secret file is written, the public one fails.
        Files.createDirectories(dir.resolve("desk.key"));

        assertThatThrownBy(() -> CurveKeys.generate(dir, "desk", true))
            .isInstanceOf(KeyFileException.class)
            .hasMessageStartingWith("cannot write certificates in " + dir + ": ");
        assertThat(dir.resolve("desk.key_secret")).doesNotExist();
        assertThat(dir.resolve("desk.key")).isDirectory();

        final Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
        assertThatThrownBy(() -> CurveKeys.generate(file, "desk", true))
            .hasMessage(file + " is not a directory");
        assertThat(file).hasContent("x");
    }
}
