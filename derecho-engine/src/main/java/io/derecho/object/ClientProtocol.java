package io.derecho.object;

import io.derecho.membership.View;
import io.derecho.multicast.ShardLayout;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The messages between external clients and members (big-endian; strings are an int32 byte count
 * and UTF-8). Client to member: {@code HELLO = 'C' version:i32}, {@code CALL = 1 callId:i64
 * subgroup:string shard:i32 methodId:i32 relay:i8 args}, {@code SUBSCRIBE = 2 topic:string}. Member
 * to client: {@code VIEW = 10 viewId:i32 members:i32 (id:i32 address:string)* shards:i32
 * (subgroup:string shard:i32 members:i32 id:i32*)*}, {@code REPLY = 11 callId:i64 from:i32
 * status:i8 version:i64 payload}, {@code NOTIFY = 12 topic:string payload}.
 */
final class ClientProtocol {
    static final int VERSION = 1;
    static final byte CALL = 1;
    static final byte SUBSCRIBE = 2;
    static final byte VIEW = 10;
    static final byte REPLY = 11;
    static final byte NOTIFY = 12;

    private ClientProtocol() {
    }

    /** What a client knows of the group: the view's members and where they listen, and each shard's members. */
    record ClientView(int id, Map<Integer, String> members, Map<String, List<int[]>> shards) {
        int[] shard(String subgroup, int shard) {
            List<int[]> s = shards.get(subgroup);
            if (s == null || shard < 0 || shard >= s.size() || s.get(shard) == null) {
                throw new IllegalArgumentException("subgroup " + subgroup + " has no shard " + shard + " in view " + id
                        + " (subgroups: " + shards.keySet() + ")");
            }
            return s.get(shard);
        }
    }

    static byte[] hello() {
        return ByteBuffer.allocate(5).put(io.derecho.runtime.ClientSession.HELLO).putInt(VERSION).array();
    }

    static byte[] call(long callId, String subgroup, int shard, int methodId, boolean relay, byte[] args) {
        byte[] name = subgroup.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + 8 + 4 + name.length + 4 + 4 + 1 + args.length).put(CALL).putLong(callId)
                .putInt(name.length).put(name).putInt(shard).putInt(methodId).put((byte) (relay ? 1 : 0)).put(args).array();
    }

    static byte[] subscribe(String topic) {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(5 + t.length).put(SUBSCRIBE).putInt(t.length).put(t).array();
    }

    static byte[] reply(long callId, ReplicaHost.RawReply r) {
        return ByteBuffer.allocate(22 + r.payload().length).put(REPLY).putLong(callId).putInt(r.from()).put(r.status())
                .putLong(r.version()).put(r.payload()).array();
    }

    static byte[] notify(String topic, byte[] payload) {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(5 + t.length + payload.length).put(NOTIFY).putInt(t.length).put(t).put(payload).array();
    }

    static byte[] view(View v) {
        List<byte[]> parts = new ArrayList<>();
        int size = 9;
        for (int i = 0; i < v.members().length; i++) {
            byte[] a = v.addresses()[i].getBytes(StandardCharsets.UTF_8);
            parts.add(a);
            size += 8 + a.length;
        }
        size += 4;
        for (ShardLayout s : v.layout().shards()) {
            size += 4 + s.subgroupName().getBytes(StandardCharsets.UTF_8).length + 8 + 4 * s.members().length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).put(VIEW).putInt(v.id()).putInt(v.members().length);
        for (int i = 0; i < v.members().length; i++) {
            b.putInt(v.members()[i]).putInt(parts.get(i).length).put(parts.get(i));
        }
        b.putInt(v.layout().shards().size());
        for (ShardLayout s : v.layout().shards()) {
            byte[] n = s.subgroupName().getBytes(StandardCharsets.UTF_8);
            b.putInt(n.length).put(n).putInt(s.shard()).putInt(s.members().length);
            for (int m : s.members()) {
                b.putInt(m);
            }
        }
        return b.array();
    }

    static ClientView readView(ByteBuffer b) {
        int id = b.getInt();
        Map<Integer, String> members = new LinkedHashMap<>();
        for (int i = count(b); i > 0; i--) {
            members.put(b.getInt(), string(b));
        }
        Map<String, List<int[]>> shards = new LinkedHashMap<>();
        for (int i = count(b); i > 0; i--) {
            String name = string(b);
            int shard = b.getInt();
            int[] m = new int[count(b)];
            for (int k = 0; k < m.length; k++) {
                m[k] = b.getInt();
            }
            List<int[]> list = shards.computeIfAbsent(name, x -> new ArrayList<>());
            while (list.size() <= shard) {
                list.add(null);
            }
            list.set(shard, m);
        }
        return new ClientView(id, members, shards);
    }

    static String string(ByteBuffer b) {
        int n = count(b);
        byte[] u = new byte[n];
        b.get(u);
        return new String(u, StandardCharsets.UTF_8);
    }

    static int count(ByteBuffer b) {
        int n = b.getInt();
        if (n < 0 || n > b.remaining()) {
            throw new BufferUnderflowException();
        }
        return n;
    }
}
