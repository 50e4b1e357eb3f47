package dev.gauntlet.cli;

/** A gate spec that cannot be run as written; names the line and the field. */
public final class SpecException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int line;
    private final String field;

    /**
     * Creates the error.
     *
     * @param line the 1-based line in the spec file (0 if unknown)
     * @param field the dotted path of the field, e.g. {@code checks[2].epsilon}
     * @param problem what is wrong and how to fix it
     */
    public SpecException(int line, String field, String problem) {
        super("line " + line + ", field '" + field + "': " + problem);
        this.line = line;
        this.field = field;
    }

    /**
     * Creates the error for a spec whose model or data does not load.
     *
     * @param line the 1-based line in the spec file (0 if unknown)
     * @param field the dotted path of the field, e.g. {@code model.file}
     * @param problem what is wrong and how to fix it (the library's message)
     * @param cause the library's exception
     */
    public SpecException(int line, String field, String problem, Throwable cause) {
        super("line " + line + ", field '" + field + "': " + problem, cause);
        this.line = line;
        this.field = field;
    }

    /** @return the 1-based line */
    public int line() {
        return line;
    }

    /** @return the dotted field path */
    public String field() {
        return field;
    }
}
