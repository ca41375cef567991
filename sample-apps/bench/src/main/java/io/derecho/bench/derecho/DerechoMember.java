package io.derecho.bench.derecho;

import io.derecho.bench.group.GroupMemberMain;

/** Main class of one Derecho member process (see {@link GroupMemberMain}). */
public final class DerechoMember {
    private DerechoMember() {
    }

    public static void main(String[] args) {
        GroupMemberMain.run(DerechoSystem.NAME, args, DerechoTransport::new);
    }
}
