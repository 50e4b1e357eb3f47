package dev.gauntlet.model.internal;

import com.sun.jna.Function;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Internal: do not use. Makes glibc's allocator keep freed native memory for reuse, once per JVM,
 * before the first classifier on the MXNet engine runs (other engines were not measured and are left alone).
 *
 * <p>Why: MXNet's CPU storage has no memory pool: every operator output is a fresh {@code malloc}
 * and is freed when its scope closes. The calling thread allocates from a glibc thread arena made of
 * 64 MB heaps, and glibc unmaps a heap as soon as it is entirely free (a rule only {@code M_TOP_PAD}
 * governs, not the trim threshold). A gradient step of the Fashion-MNIST CNN at batch 256 fills such
 * a heap with activations and frees it at the end, so every step mapped a fresh heap and
 * page-faulted each page of it again: traced, 78 heaps mapped and unmapped in 66 steps, about 7,000
 * page faults a step and 70,000 to 100,000 a PGD-10 run, which then ran at 1,000 to 1,500
 * image-gradient-steps/s on a loaded 2-core virtual machine; with a 64 MB top pad the heaps stay,
 * a run faults 600 to 1,500 pages and runs at 5,000 to 7,500 on the same machine. Whether a given
 * step empties its heap depends on where the allocations fall, so the cost came and went from one
 * run to the next: the first runs of a JVM and whole benchmark rows at a third of the usual rate.
 * Also set: allocations up to 32 MB (glibc's ceiling) come from the heaps, not from {@code mmap},
 * and up to {@value #TRIM_THRESHOLD_BYTES} bytes of free memory at the top of the main heap stay
 * with the process. The price: each arena keeps up to 64 MB of freed memory mapped. Off with
 * {@code -Dgauntlet.retainNativeMemory=false}; nothing is done off Linux or where the C library has
 * no {@code mallopt} (musl).
 */
public final class NativeHeap {

    /** glibc's {@code M_TRIM_THRESHOLD}. */
    private static final int M_TRIM_THRESHOLD = -1;
    /** glibc's {@code M_TOP_PAD}. */
    private static final int M_TOP_PAD = -2;
    /** glibc's {@code M_MMAP_THRESHOLD}. */
    private static final int M_MMAP_THRESHOLD = -3;
    /** Allocations up to this size come from the heaps, not from {@code mmap}: glibc's ceiling on 64-bit. */
    private static final int MMAP_THRESHOLD_BYTES = 32 << 20;
    /** Free memory kept at the top of a heap when it grows or shrinks: a whole 64 MB arena heap. */
    private static final int TOP_PAD_BYTES = 64 << 20;
    /** Free memory at the main heap's top up to this size stays with the process. */
    static final int TRIM_THRESHOLD_BYTES = 256 << 20;

    private static final AtomicBoolean DONE = new AtomicBoolean();

    private NativeHeap() {}

    /** Sets glibc's thresholds on the first call (unless switched off); later calls do nothing. */
    public static void retainFreedMemory() {
        if (DONE.getAndSet(true) || !Boolean.parseBoolean(System.getProperty("gauntlet.retainNativeMemory", "true"))
                || !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            return;
        }
        try {
            Function mallopt = Function.getFunction("c", "mallopt");
            mallopt.invokeInt(new Object[] {M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES});
            mallopt.invokeInt(new Object[] {M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES});
            mallopt.invokeInt(new Object[] {M_TOP_PAD, TOP_PAD_BYTES});
        } catch (LinkageError | RuntimeException e) {
            // no glibc (musl), no JNA on the class path or a JNA failure: the allocator keeps its defaults, only
            // slower; never a reason to refuse a classifier
        }
    }
}
