package org.castellan.server.users;

/**
 * Argon2id cost parameters as they appear in a PHC string ({@code m=...,t=...,p=...}).
 *
 * <p>Bounds are enforced on every instance, including ones parsed from stored hashes, so a
 * tampered or corrupt row cannot make a login attempt allocate gigabytes or spin for minutes.
 */
public record Argon2Params(int memoryKiB, int iterations, int parallelism) {
    /** OWASP's first Argon2id recommendation: 19 MiB, 2 passes, 1 lane. */
    public static final Argon2Params DEFAULT = new Argon2Params(19 * 1024, 2, 1);

    static final int MAX_MEMORY_KIB = 1024 * 1024; // 1 GiB
    static final int MAX_ITERATIONS = 64;
    static final int MAX_PARALLELISM = 16;

    public Argon2Params {
        if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
            throw new IllegalArgumentException(
                    "argon2 parallelism must be 1.." + MAX_PARALLELISM + ", was " + parallelism);
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException(
                    "argon2 iterations must be 1.." + MAX_ITERATIONS + ", was " + iterations);
        }
        // Argon2 needs at least 8 KiB per lane.
        if (memoryKiB < 8 * parallelism || memoryKiB > MAX_MEMORY_KIB) {
            throw new IllegalArgumentException("argon2 memory must be " + (8 * parallelism) + ".."
                    + MAX_MEMORY_KIB + " KiB, was " + memoryKiB);
        }
    }
}
