package io.derecho.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.derecho.layout.Allocation;
import io.derecho.layout.LayoutSpec;
import io.derecho.multicast.GroupLayout;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The join protocol's binary form: every message survives a round trip; bad bytes give a clear error. */
class JoinMessagesTest {

    private static final LayoutSpec SPEC = LayoutSpec.builder()
            .subgroup("kv", sg -> sg.shards(2).members(2, 3))
            .subgroup("log", sg -> sg.shards(1).members(1, 5)).build();

    private static View view(int id, int[] members, Allocation previous) {
        LayoutPolicy.Placement p = LayoutPolicy.of(SPEC).place(id, members, previous);
        GroupLayout layout = new GroupLayout(id, members, p.shards());
        int[][] donors = new int[p.shards().size()][];
        for (int i = 0; i < donors.length; i++) {
            donors[i] = new int[p.shards().get(i).members().length];
            Arrays.fill(donors[i], View.NO_TRANSFER);
        }
        if (donors.length > 0) {
            donors[0][0] = View.NO_DONOR;
        }
        String[] addresses = Arrays.stream(members).mapToObj(m -> "127.0.0." + (m + 1) + ":70" + m).toArray(String[]::new);
        return new View(id, members, addresses, new int[] {9}, new int[] {members[members.length - 1]}, layout,
                p.allocation(), p.inadequate(), donors);
    }

    private static void assertSame(View a, View b) {
        assertThat(b.id()).isEqualTo(a.id());
        assertThat(b.members()).containsExactly(a.members());
        assertThat(b.addresses()).containsExactly(a.addresses());
        assertThat(b.departed()).containsExactly(a.departed());
        assertThat(b.joined()).containsExactly(a.joined());
        assertThat(b.inadequate()).isEqualTo(a.inadequate());
        assertThat(b.layout().shards().toString()).isEqualTo(a.layout().shards().toString());
        assertThat(b.allocation()).isEqualTo(a.allocation());
        assertThat(b.donors()).isDeepEqualTo(a.donors());
    }

    @Test
    void requestsAndRepliesSurviveARoundTrip() {
        var req = new JoinMessages.Request(JoinMessages.VERSION, "grüppe", 42, "[::1]:7000", 0x1234_5678_9abcL);
        assertThat(JoinMessages.decodeRequest(JoinMessages.encode(req))).isEqualTo(req);
        for (JoinMessages.Reply r : List.of(new JoinMessages.Pending("wait"), new JoinMessages.Redirect(3, "h:1"),
                new JoinMessages.Refused(true, "later"), new JoinMessages.Refused(false, "never"))) {
            assertThat(JoinMessages.decodeReply(JoinMessages.encode(r))).isEqualTo(r);
        }
    }

    @Test
    void adequateAndInadequateViewsSurviveARoundTrip() {
        View adequate = view(4, new int[] {0, 1, 2, 3, 5, 6}, null);
        assertThat(adequate.adequate()).isTrue();
        var back = (JoinMessages.Accepted) JoinMessages.decodeReply(JoinMessages.encode(new JoinMessages.Accepted(adequate)));
        assertSame(adequate, back.view());

        View inadequate = view(5, new int[] {0, 1}, adequate.allocation());
        assertThat(inadequate.adequate()).isFalse();
        assertThat(((Allocation.Inadequate) inadequate.allocation()).lastAdequate()).isNotNull();
        back = (JoinMessages.Accepted) JoinMessages.decodeReply(JoinMessages.encode(new JoinMessages.Accepted(inadequate)));
        assertSame(inadequate, back.view());
    }

    @Test
    void truncatedOrGarbageBytesAreRefusedClearly() {
        byte[] ok = JoinMessages.encode(new JoinMessages.Accepted(view(1, new int[] {0, 1, 2, 3}, null)));
        for (int cut : new int[] {0, 1, 7, ok.length / 2, ok.length - 1}) {
            assertThatThrownBy(() -> JoinMessages.decodeReply(Arrays.copyOf(ok, cut)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("malformed join reply");
        }
        byte[] longer = Arrays.copyOf(ok, ok.length + 3);
        assertThatThrownBy(() -> JoinMessages.decodeReply(longer)).hasMessageContaining("3 unexpected bytes");
        assertThatThrownBy(() -> JoinMessages.decodeRequest(new byte[] {9, 9, 9}))
                .hasMessageStartingWith("malformed join request");
        byte[] req = JoinMessages.encode(new JoinMessages.Request(1, "g", 1, "h:1", 1));
        req[6] = 0x7f; // the group name's length
        assertThatThrownBy(() -> JoinMessages.decodeRequest(req)).hasMessageStartingWith("malformed join request");
    }
}
