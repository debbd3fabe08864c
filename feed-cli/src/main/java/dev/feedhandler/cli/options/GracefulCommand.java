package dev.feedhandler.cli.options;

/**
 * A command that ends on SIGINT or SIGTERM with its summary, through a {@link GracefulShutdown}: a signal that comes
 * while the {@code feed} process starts and parses its command line waits for it. A signal ends any other command at
 * once.
 */
public interface GracefulCommand
{
}
