package io.derecho.membership;

import io.derecho.config.BlockScheduleKind;
import io.derecho.config.Mode;
import io.derecho.config.Profile;
import io.derecho.layout.Allocation;
import io.derecho.multicast.GroupLayout;
import io.derecho.multicast.ShardLayout;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The join protocol's messages and their binary form (big-endian; strings are an int32 byte count,
 * -1 for null, then UTF-8). A joiner sends one {@link Request} to any member; it gets back
 * {@link Pending} (the leader will add it in the next view change), {@link Redirect} (ask the
 * leader), {@link Refused} (retryable or not) or {@link Accepted} with the view it joined.
 */
public final class JoinMessages {
    /** Version of these messages; a joiner speaking another is refused. */
    public static final int VERSION = 1;
    /** The longest address ({@code host:port}, UTF-8) a member may have: it travels in the SST. */
    public static final int MAX_ADDRESS_BYTES = 8 * GroupLayout.ADDRESS_LONGS;

    private static final byte REQUEST = 1;
    private static final byte PENDING = 2;
    private static final byte REDIRECT = 3;
    private static final byte REFUSED = 4;
    private static final byte ACCEPTED = 5;

    private JoinMessages() {
    }

    /** A join request: who asks, where it listens, and what it believes the group is. */
    public record Request(int version, String groupName, int nodeId, String address, long layoutFingerprint) {
    }

    /** A member's answer to a join request. */
    public sealed interface Reply permits Pending, Redirect, Refused, Accepted {
    }

    /** The request is held; the view that adds the joiner follows on the same connection. */
    public record Pending(String why) implements Reply {
    }

    /** Ask the leader instead. */
    public record Redirect(int leaderId, String address) implements Reply {
    }

    /** Refused; a retryable refusal (a view change under way, the old incarnation not yet removed) may be retried. */
    public record Refused(boolean retryable, String reason) implements Reply {
    }

    /** The joiner is a member of {@code view}. */
    public record Accepted(View view) implements Reply {
    }

    public static byte[] encode(Request r) {
        Writer w = new Writer();
        w.by(REQUEST);
        w.i(r.version());
        w.string(r.groupName());
        w.i(r.nodeId());
        w.string(r.address());
        w.l(r.layoutFingerprint());
        return w.bytes();
    }

    public static Request decodeRequest(byte[] bytes) {
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            expect(b, REQUEST, "join request");
            Request r = new Request(b.getInt(), string(b), b.getInt(), string(b), b.getLong());
            end(b, "join request");
            return r;
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed join request: " + describe(e));
        }
    }

    public static byte[] encode(Reply reply) {
        Writer w = new Writer();
        switch (reply) {
            case Pending p -> {
                w.by(PENDING);
                w.string(p.why());
            }
            case Redirect r -> {
                w.by(REDIRECT);
                w.i(r.leaderId());
                w.string(r.address());
            }
            case Refused r -> {
                w.by(REFUSED);
                w.by((byte) (r.retryable() ? 1 : 0));
                w.string(r.reason());
            }
            case Accepted a -> {
                w.by(ACCEPTED);
                writeView(w, a.view());
            }
        }
        return w.bytes();
    }

    public static Reply decodeReply(byte[] bytes) {
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            byte type = b.get();
            Reply r = switch (type) {
                case PENDING -> new Pending(string(b));
                case REDIRECT -> new Redirect(b.getInt(), string(b));
                case REFUSED -> new Refused(b.get() != 0, string(b));
                case ACCEPTED -> new Accepted(readView(b));
                default -> throw new IllegalArgumentException("unknown reply type " + type);
            };
            end(b, "join reply");
            return r;
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed join reply: " + describe(e));
        }
    }

    // ---- views ----

    private static void writeView(Writer w, View v) {
        w.i(v.id());
        w.ints(v.members());
        for (String a : v.addresses()) {
            w.string(a);
        }
        w.ints(v.departed());
        w.ints(v.joined());
        w.string(v.inadequate());
        writeShards(w, v.layout().shards());
        for (int[] d : v.donors()) {
            w.ints(d);
        }
        Allocation a = v.allocation();
        if (a == null) {
            w.by((byte) 0);
        } else if (a instanceof Allocation.Adequate) {
            w.by((byte) 1); // the same shards as the layout
        } else {
            Allocation.Inadequate in = (Allocation.Inadequate) a;
            w.by((byte) 2);
            w.string(in.reason());
            w.by((byte) (in.lastAdequate() == null ? 0 : 1));
            if (in.lastAdequate() != null) {
                writeShards(w, in.lastAdequate().shards());
            }
        }
    }

    private static View readView(ByteBuffer b) {
        int id = b.getInt();
        int[] members = ints(b);
        String[] addresses = new String[members.length];
        for (int i = 0; i < members.length; i++) {
            addresses[i] = string(b);
        }
        int[] departed = ints(b);
        int[] joined = ints(b);
        String inadequate = string(b);
        List<ShardLayout> shards = readShards(b);
        int[][] donors = new int[shards.size()][];
        for (int i = 0; i < donors.length; i++) {
            donors[i] = ints(b);
            if (donors[i].length != shards.get(i).members().length) {
                throw new IllegalArgumentException("donors of shard " + i + " do not match its members");
            }
        }
        Allocation allocation = switch (b.get()) {
            case 0 -> null;
            case 1 -> new Allocation.Adequate(shards);
            case 2 -> {
                String reason = string(b);
                Allocation.Adequate last = b.get() == 0 ? null : new Allocation.Adequate(readShards(b));
                yield new Allocation.Inadequate(reason, last);
            }
            default -> throw new IllegalArgumentException("unknown allocation kind");
        };
        return new View(id, members, addresses, departed, joined, new GroupLayout(id, members, shards), allocation,
                inadequate, donors);
    }

    private static void writeShards(Writer w, List<ShardLayout> shards) {
        w.i(shards.size());
        for (ShardLayout s : shards) {
            w.i(s.subgroup());
            w.string(s.subgroupName());
            w.i(s.shard());
            w.ints(s.members());
            w.ints(s.senders());
            w.by((byte) s.mode().ordinal());
            Profile p = s.profile();
            w.string(p.name());
            w.i(p.window());
            w.i(p.maxSmcPayload());
            w.i(p.maxPayload());
            w.i(p.blockSize());
            w.i(p.largeWindow());
            w.by((byte) p.schedule().ordinal());
        }
    }

    private static List<ShardLayout> readShards(ByteBuffer b) {
        int count = count(b, 1 << 16);
        List<ShardLayout> shards = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int subgroup = b.getInt();
            String name = string(b);
            int shard = b.getInt();
            int[] members = ints(b);
            int[] senders = ints(b);
            Mode mode = Mode.values()[index(b.get(), Mode.values().length, "mode")];
            Profile p = new Profile(string(b), b.getInt(), b.getInt(), b.getInt(), b.getInt(), b.getInt(),
                    BlockScheduleKind.values()[index(b.get(), BlockScheduleKind.values().length, "schedule")]);
            shards.add(new ShardLayout(i, subgroup, name, shard, members, senders, mode, p));
        }
        return shards;
    }

    // ---- primitives ----

    private static final class Writer {
        ByteBuffer b = ByteBuffer.allocate(256);

        void ensure(int n) {
            if (b.remaining() < n) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(b.capacity() * 2, b.position() + n));
                b.flip();
                bigger.put(b);
                b = bigger;
            }
        }

        void i(int v) {
            ensure(4);
            b.putInt(v);
        }

        void l(long v) {
            ensure(8);
            b.putLong(v);
        }

        void by(byte v) {
            ensure(1);
            b.put(v);
        }

        void string(String s) {
            if (s == null) {
                ensure(4);
                b.putInt(-1);
                return;
            }
            byte[] u = s.getBytes(StandardCharsets.UTF_8);
            ensure(4 + u.length);
            b.putInt(u.length).put(u);
        }

        void ints(int[] a) {
            ensure(4 + 4 * a.length);
            b.putInt(a.length);
            for (int x : a) {
                b.putInt(x);
            }
        }

        byte[] bytes() {
            byte[] out = new byte[b.position()];
            b.flip().get(out);
            return out;
        }
    }

    private static void expect(ByteBuffer b, byte type, String what) {
        byte t = b.get();
        if (t != type) {
            throw new IllegalArgumentException("not a " + what + " (type " + t + ")");
        }
    }

    private static void end(ByteBuffer b, String what) {
        if (b.hasRemaining()) {
            throw new IllegalArgumentException(b.remaining() + " unexpected bytes after the " + what);
        }
    }

    private static int count(ByteBuffer b, int max) {
        int n = b.getInt();
        if (n < 0 || n > max || n > b.remaining()) {
            throw new IllegalArgumentException("bad count " + n);
        }
        return n;
    }

    private static int index(byte v, int size, String what) {
        if (v < 0 || v >= size) {
            throw new IllegalArgumentException("bad " + what + " " + v);
        }
        return v;
    }

    private static int[] ints(ByteBuffer b) {
        int n = count(b, b.remaining() / 4);
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = b.getInt();
        }
        return a;
    }

    private static String string(ByteBuffer b) {
        int n = b.getInt();
        if (n == -1) {
            return null;
        }
        if (n < 0 || n > b.remaining()) {
            throw new IllegalArgumentException("bad string length " + n);
        }
        byte[] u = new byte[n];
        b.get(u);
        return new String(u, StandardCharsets.UTF_8);
    }

    private static String describe(RuntimeException e) {
        return e instanceof BufferUnderflowException ? "truncated" : e.getMessage();
    }
}
