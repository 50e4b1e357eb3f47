package dev.gauntlet.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Opens data files, transparently un-gzipping those that start with the gzip magic bytes. */
final class DataFiles {

    private DataFiles() {}

    static InputStream open(Path file, String argument) {
        if (file == null) {
            throw new IllegalArgumentException(argument + " must not be null");
        }
        if (!Files.isRegularFile(file)) {
            throw new DataNotFoundException(argument + " " + file.toAbsolutePath() + " does not exist or is not a file");
        }
        try {
            InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            in.mark(2);
            int b0 = in.read();
            int b1 = in.read();
            in.reset();
            return b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(in), 1 << 16) : in;
        } catch (IOException e) {
            throw new DataFormatException("cannot read " + argument + " " + file + ": " + e.getMessage(), e);
        }
    }
}
