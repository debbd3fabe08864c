package dev.feedhandler.publisher.source.csv;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The inputs of a replay, from the values of {@code --file} (cold path, at start-up): paths and glob patterns
 * expanded in name order, {@code -} for standard input, each entry of a zip archive that matches
 * {@code --zip-entries}, and each input's symbol when the files have no symbol column. Files and zip entries are
 * read (and inflated) ahead by one reader thread, so the publisher's thread never waits on the disk; standard input
 * by another, the only one that may wait on a pipe. Owns everything it opened.
 */
final class CsvInputs implements AutoCloseable
{
    /** Name of standard input in messages. */
    static final String STDIN_NAME = "stdin";

    private static final Logger LOG = LoggerFactory.getLogger(CsvInputs.class);
    private static final int MAX_LISTED = 5;
    private static final int GZIP_BUFFER_BYTES = 1 << 16;

    /**
     * One input.
     *
     * @param name   for messages: the path, {@code archive.zip!entry.csv} or {@code stdin}.
     * @param bytes  its bytes.
     * @param symbol the symbol of its lines when it has no symbol column, else null.
     */
    record Input(String name, ByteSource bytes, String symbol)
    {
    }

    private final List<Input> inputs = new ArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final ReadAhead fileReader = new ReadAhead("csv-reader", true);
    private final ReadAhead stdinReader = new ReadAhead("csv-stdin", false);
    private final Pattern symbolPattern;
    private final String symbol;
    private final PathMatcher zipEntries;
    private final boolean zipEntriesByPath;
    private final String zipEntriesGlob;

    private CsvInputs(final CsvConfiguration configuration)
    {
        symbol = configuration.symbol();
        symbolPattern = configuration.symbolFromName() == null ? null :
            Pattern.compile(configuration.symbolFromName());
        zipEntriesGlob = configuration.zipEntries();
        zipEntries = FileSystems.getDefault().getPathMatcher("glob:" + zipEntriesGlob);
        zipEntriesByPath = zipEntriesGlob.indexOf('/') >= 0;
    }

    /**
     * Opens every input and starts the reader threads.
     *
     * @param configuration the settings.
     * @param stdin         what {@code -} reads (System.in, or a test's pipe).
     * @return the inputs, in the order given (and name order within a pattern or an archive).
     * @throws IllegalArgumentException with a one-line message naming the flag and file at fault; nothing is left
     *                                  open then.
     */
    static CsvInputs open(final CsvConfiguration configuration, final InputStream stdin)
    {
        final CsvInputs inputs = new CsvInputs(configuration);
        try
        {
            final Set<Path> seen = new HashSet<>();
            for (final String file : configuration.files())
            {
                if (CsvConfiguration.STDIN.equals(file))
                {
                    inputs.addStdin(stdin);
                    continue;
                }
                for (final Path path : expand(file))
                {
                    if (!seen.add(path.toAbsolutePath().normalize()))
                    {
                        throw new IllegalArgumentException("--file " + path + ": given more than once");
                    }
                    inputs.add(path);
                }
            }
            if (!inputs.fileReader.isEmpty())
            {
                inputs.fileReader.start();
                inputs.fileReader.awaitFirstChunks();
            }
            if (!inputs.stdinReader.isEmpty())
            {
                inputs.stdinReader.start();
            }
            return inputs;
        }
        catch (final RuntimeException ex)
        {
            inputs.close();
            throw ex;
        }
    }

    /**
     * The inputs.
     *
     * @return in order.
     */
    List<Input> inputs()
    {
        return inputs;
    }

    /** A path, or the files a glob pattern matches in name order. */
    static List<Path> expand(final String file)
    {
        final Path literal = Path.of(file);
        if (!isGlob(file) || Files.exists(literal))
        {
            return List.of(literal);
        }
        int firstGlob = 0;
        while (firstGlob < literal.getNameCount() && !isGlob(literal.getName(firstGlob).toString()))
        {
            firstGlob++;
        }
        Path base = literal.getRoot();
        for (int i = 0; i < firstGlob; i++)
        {
            base = base == null ? literal.getName(i) : base.resolve(literal.getName(i));
        }
        final Path walkFrom = base == null ? Path.of(".") : base;
        final Path rest = literal.subpath(firstGlob, literal.getNameCount());
        final PathMatcher matcher;
        try
        {
            matcher = FileSystems.getDefault().getPathMatcher("glob:" + rest);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("--file '" + file + "': not a glob pattern: " + ex.getMessage());
        }
        final int depth = rest.toString().contains("**") ? Integer.MAX_VALUE : rest.getNameCount();
        final List<Path> matches;
        if (!Files.isDirectory(walkFrom))
        {
            matches = List.of();
        }
        else
        {
            try (Stream<Path> walk = Files.walk(walkFrom, depth))
            {
                final Path root = walkFrom;
                final Path shown = base;
                matches = walk.filter(Files::isRegularFile)
                    .map(root::relativize)
                    .filter(matcher::matches)
                    .sorted(Comparator.comparing(Path::toString))
                    .map(relative -> shown == null ? relative : shown.resolve(relative))
                    .collect(Collectors.toList());
            }
            catch (final IOException | UncheckedIOException ex)
            {
                throw new IllegalArgumentException("--file '" + file + "': cannot list " + walkFrom + ": " +
                    ex.getMessage());
            }
        }
        if (matches.isEmpty())
        {
            throw new IllegalArgumentException("--file '" + file + "': no file matches");
        }
        return matches;
    }

    private static boolean isGlob(final String text)
    {
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '{')
            {
                return true;
            }
        }
        return false;
    }

    private void addStdin(final InputStream stdin)
    {
        if (symbolPattern != null)
        {
            throw new IllegalArgumentException("--symbol-from-name: standard input (--file -) has no name to take " +
                "a symbol from; use --symbol");
        }
        inputs.add(new Input(STDIN_NAME, stdinReader.add(stdin, true, true), symbol));
    }

    private void add(final Path path)
    {
        final String name = path.toString();
        if (!Files.exists(path))
        {
            throw new IllegalArgumentException("--file " + name + ": no such file");
        }
        if (!Files.isRegularFile(path))
        {
            throw new IllegalArgumentException("--file " + name + ": not a regular file");
        }
        if (!Files.isReadable(path))
        {
            throw new IllegalArgumentException("--file " + name + ": not readable (permission denied)");
        }
        final String lower = name.toLowerCase(java.util.Locale.ROOT);
        try
        {
            if (lower.endsWith(".zip"))
            {
                addZip(path);
            }
            else if (lower.endsWith(".gz"))
            {
                final String symbol = symbolOf(name, fileName(path));
                final InputStream in = Files.newInputStream(path);
                resources.add(in);
                final GZIPInputStream gzip = new GZIPInputStream(in, GZIP_BUFFER_BYTES);
                inputs.add(new Input(name, fileReader.add(gzip, false, false), symbol));
            }
            else
            {
                final String symbol = symbolOf(name, fileName(path));
                final InputStream in = new FileInputStream(path.toFile());
                resources.add(in);
                inputs.add(new Input(name, fileReader.add(in, false, false), symbol));
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("--file " + name + ": cannot be read: " + ex.getMessage());
        }
    }

    private void addZip(final Path path) throws IOException
    {
        final String name = path.toString();
        final ZipFile zip = new ZipFile(path.toFile());
        resources.add(zip);
        final List<ZipEntry> matching = new ArrayList<>();
        final List<String> skipped = new ArrayList<>();
        zip.stream().filter(entry -> !entry.isDirectory()).forEach(entry ->
        {
            final Path entryPath = Path.of(entry.getName());
            if (zipEntries.matches(zipEntriesByPath ? entryPath : entryPath.getFileName()))
            {
                matching.add(entry);
            }
            else
            {
                skipped.add(entry.getName());
            }
        });
        if (matching.isEmpty())
        {
            throw new IllegalArgumentException("--file " + name + ": no entry matches --zip-entries '" +
                zipEntriesGlob + "'" + (skipped.isEmpty() ? " (the archive is empty)" :
                " (it holds " + listed(skipped) + ")"));
        }
        if (!skipped.isEmpty())
        {
            LOG.info("{}: skipping {} entr{} not matching --zip-entries '{}': {}", name, skipped.size(),
                skipped.size() == 1 ? "y" : "ies", zipEntriesGlob, listed(skipped));
        }
        for (final ZipEntry entry : matching)
        {
            final String entryName = name + "!" + entry.getName();
            final String symbol = symbolOf(entryName, Path.of(entry.getName()).getFileName().toString(),
                fileName(path));
            inputs.add(new Input(entryName, fileReader.add(zip.getInputStream(entry), false, false), symbol));
        }
    }

    private static String listed(final List<String> names)
    {
        return names.stream().limit(MAX_LISTED).collect(Collectors.joining(", ")) +
            (names.size() > MAX_LISTED ? ", ... (" + names.size() + " in all)" : "");
    }

    private static String fileName(final Path path)
    {
        return path.getFileName().toString();
    }

    /** The symbol of an input without a symbol column: --symbol, or found in the first name that has one. */
    private String symbolOf(final String input, final String... names)
    {
        if (symbolPattern == null)
        {
            return symbol;
        }
        for (final String name : names)
        {
            final Matcher matcher = symbolPattern.matcher(name);
            if (matcher.find())
            {
                final String found = matcher.groupCount() >= 1 && matcher.group(1) != null ? matcher.group(1) :
                    matcher.group();
                if (!found.isEmpty())
                {
                    return found;
                }
            }
        }
        throw new IllegalArgumentException("--symbol-from-name: no symbol in the name of " + input + " (" +
            (CsvConfiguration.DEFAULT_SYMBOL_PATTERN.equals(symbolPattern.pattern()) ?
            "the rule: the first run of exactly six letters" : "pattern '" + symbolPattern.pattern() + "'") +
            "); give a pattern, --symbol-from-name 'REGEX', or --symbol");
    }

    /**
     * Stops the reader threads and closes every file. Idempotent.
     */
    @Override
    public void close()
    {
        fileReader.close();
        stdinReader.close();
        for (int i = resources.size() - 1; i >= 0; i--)
        {
            try
            {
                resources.get(i).close();
            }
            catch (final Exception ex)
            {
                LOG.debug("closing an input", ex);
            }
        }
        resources.clear();
    }
}
