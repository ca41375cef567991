package io.derecho.testing.lin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The history file format, UTF-8 text, one operation per line:
 *
 * <pre>
 * derecho-lin-history 1
 * # client kind outcome invokeNanos responseNanos result args...
 * p1/c0 write OK 1000 2000 nil 5
 * p1/c1 read OK 1500 2600 5
 * p2/c0 cas UNKNOWN 1700 - - 5 s:six
 * p2/c1 write FAILED 1800 1900 - 7
 * </pre>
 *
 * <p>The first line is the magic and the format version. Blank lines and lines starting with {@code #} are
 * ignored. Fields are separated by whitespace; {@code -} stands for "no response time" (an UNKNOWN operation
 * whose client never gave up) and for "no result" (FAILED and UNKNOWN operations). Values are {@code nil},
 * {@code true}, {@code false}, a decimal long, or {@code s:} followed by the URL-encoded UTF-8 string. Reading
 * rejects anything else with the line number and the reason.
 */
public final class HistoryCodec {
    static final String MAGIC = "derecho-lin-history";
    static final int VERSION = 1;
    private static final String NONE = "-";

    private HistoryCodec() {
    }

    public static String format(History history) {
        StringBuilder sb = new StringBuilder(64 + 64 * history.size());
        sb.append(MAGIC).append(' ').append(VERSION).append('\n');
        sb.append("# client kind outcome invokeNanos responseNanos result args...\n");
        for (Operation op : history.operations()) {
            sb.append(op.client()).append(' ').append(op.kind()).append(' ').append(op.outcome()).append(' ')
                    .append(op.invokeNanos()).append(' ')
                    .append(op.responseNanos() == Long.MAX_VALUE ? NONE : Long.toString(op.responseNanos()))
                    .append(' ').append(op.outcome() == Outcome.OK ? Values.encode(op.result()) : NONE);
            for (Object arg : op.args()) {
                sb.append(' ').append(Values.encode(arg));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Parses the text of a history file; {@code source} names it in error messages. */
    public static History parse(String text, String source) {
        String[] lines = text.split("\n", -1);
        List<Operation> operations = new ArrayList<>();
        boolean headerSeen = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                if (!headerSeen) {
                    checkHeader(line);
                    headerSeen = true;
                } else {
                    operations.add(parseOperation(operations.size(), line));
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        if (!headerSeen) {
            throw new IllegalArgumentException(source + ": empty, expected the header '" + MAGIC + " " + VERSION + "'");
        }
        return History.of(operations);
    }

    public static void write(History history, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        // Written aside then moved, so that a reader never sees half a history of a process that died while writing.
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temp, format(history), StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static History read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    private static void checkHeader(String line) {
        String[] t = Values.split(line);
        if (t.length != 2 || !t[0].equals(MAGIC)) {
            throw new IllegalArgumentException("not a history file: expected the header '" + MAGIC + " " + VERSION
                    + "', got '" + line + "'");
        }
        if (!t[1].equals(Integer.toString(VERSION))) {
            throw new IllegalArgumentException("unsupported history format version " + t[1] + ", this reader knows "
                    + VERSION);
        }
    }

    private static Operation parseOperation(int id, String line) {
        String[] t = Values.split(line);
        if (t.length < 6) {
            throw new IllegalArgumentException("expected at least 6 fields (client kind outcome invokeNanos "
                    + "responseNanos result), got " + t.length + ": '" + line + "'");
        }
        Outcome outcome;
        try {
            outcome = Outcome.valueOf(t[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad outcome '" + t[2] + "': expected OK, FAILED or UNKNOWN");
        }
        long invoke = parseTime(t[3], "invokeNanos");
        long response;
        if (t[4].equals(NONE)) {
            if (outcome != Outcome.UNKNOWN) {
                throw new IllegalArgumentException("a " + outcome + " operation needs a response time");
            }
            response = Long.MAX_VALUE;
        } else {
            response = parseTime(t[4], "responseNanos");
        }
        Object result;
        if (outcome == Outcome.OK) {
            result = Values.decode(t[5]);
        } else if (t[5].equals(NONE)) {
            result = null;
        } else {
            throw new IllegalArgumentException("a " + outcome + " operation has no result, expected '-' but got '"
                    + t[5] + "'");
        }
        List<Object> args = new ArrayList<>(t.length - 6);
        for (int i = 6; i < t.length; i++) {
            args.add(Values.decode(t[i]));
        }
        return new Operation(id, t[0], t[1], args, invoke, response, outcome, result);
    }

    private static long parseTime(String token, String field) {
        try {
            return Long.parseLong(token);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad " + field + " '" + token + "': expected a long");
        }
    }
}
