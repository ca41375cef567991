package io.derecho.testing;

import io.derecho.testing.lin.Operation;
import io.derecho.testing.lin.Outcome;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A history written as it happens, one line per invocation and one per outcome, so that the
 * operations of a process killed with {@code kill -9} survive it (its last calls become UNKNOWN):
 * {@code I id client kind arg* invokeNanos} and {@code R id OK|FAILED|UNKNOWN result responseNanos}.
 * Arguments and results are longs. Times are {@code System.nanoTime()}, comparable between the
 * processes of one machine.
 */
public final class OpJournal implements AutoCloseable {
    private final FileChannel out;
    private final AtomicLong next = new AtomicLong();
    private final String prefix;

    public OpJournal(Path file, String prefix) throws IOException {
        this.out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        this.prefix = prefix;
    }

    public long invoke(String client, String kind, long... args) {
        long id = next.incrementAndGet();
        StringBuilder b = new StringBuilder("I ").append(prefix).append(id).append(' ').append(prefix).append(client)
                .append(' ').append(kind);
        for (long a : args) {
            b.append(' ').append(a);
        }
        write(b.append(' ').append(System.nanoTime()).append('\n').toString());
        return id;
    }

    public void complete(long id, long result) {
        write("R " + prefix + id + " OK " + result + " " + System.nanoTime() + "\n");
    }

    public void unknown(long id) {
        write("R " + prefix + id + " UNKNOWN - " + System.nanoTime() + "\n");
    }

    private synchronized void write(String line) {
        try {
            ByteBuffer b = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                out.write(b);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    /** The operations of a journal: an invocation without an outcome line is UNKNOWN (its process died). */
    public static List<Operation> read(Path file) throws IOException {
        Map<String, String[]> invoked = new LinkedHashMap<>();
        Map<String, String[]> results = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            String[] f = line.split(" ");
            if (f.length < 2) {
                continue; // a line cut by the kill
            }
            if (f[0].equals("I") && f.length >= 5) {
                invoked.put(f[1], f);
            } else if (f[0].equals("R") && f.length == 5) {
                results.put(f[1], f);
            }
        }
        List<Operation> ops = new ArrayList<>();
        for (var e : invoked.entrySet()) {
            String[] i = e.getValue();
            List<Object> args = new ArrayList<>();
            for (int k = 4; k < i.length - 1; k++) {
                args.add(Long.parseLong(i[k]));
            }
            long invokedAt = Long.parseLong(i[i.length - 1]);
            String[] r = results.get(e.getKey());
            if (r == null || r[2].equals("UNKNOWN")) {
                ops.add(new Operation(0, i[2], i[3], args, invokedAt, Long.MAX_VALUE, Outcome.UNKNOWN, null));
            } else {
                ops.add(new Operation(0, i[2], i[3], args, invokedAt, Long.parseLong(r[4]), Outcome.OK, Long.parseLong(r[3])));
            }
        }
        return ops;
    }
}
