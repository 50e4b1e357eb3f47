package dev.gauntlet.badinput;

import dev.gauntlet.data.DataFormatException;
import dev.gauntlet.data.IdxReader;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;

/**
 * Reads an IDX bomb in a JVM of its own (started by {@link DataBadInputTests} with a small heap)
 * and exits 0 on the typed error, 3 on running out of memory, 4 on anything else; prints the heap
 * pools' peak use in MB.
 */
final class IdxBombProbe {

    private IdxBombProbe() {}

    public static void main(String[] args) {
        int status;
        try {
            IdxReader.read(Path.of(args[0]), Path.of(args[1]), 10, "bomb");
            status = 4;
        } catch (DataFormatException e) {
            System.out.println(e.getMessage());
            status = 0;
        } catch (OutOfMemoryError e) {
            status = 3;
        }
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf("peak heap %.1f MB%n", peak / 1e6);
        System.exit(status);
    }
}
