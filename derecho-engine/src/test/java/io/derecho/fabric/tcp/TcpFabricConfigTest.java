package io.derecho.fabric.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TcpFabricConfigTest {

    private static final InetSocketAddress ADDR = new InetSocketAddress("127.0.0.1", 7000);

    @Test
    void acceptsAValidConfigAndCopiesPeers() {
        Map<Integer, InetSocketAddress> peers = new HashMap<>(Map.of(1, ADDR));
        TcpFabricConfig config = new TcpFabricConfig("g", 0, ADDR, peers, 1024);
        peers.put(2, ADDR);
        assertThat(config.peers()).containsOnlyKeys(1);
        assertThat(new TcpFabricConfig("g", 0, ADDR, Map.of()).maxFrameBytes())
                .isEqualTo(TcpFabricConfig.DEFAULT_MAX_FRAME_BYTES);
        assertThat(new TcpFabricConfig("g", 2, ADDR, Map.of(1, ADDR, 3, ADDR)).dials(1)).isTrue();
        assertThat(new TcpFabricConfig("g", 2, ADDR, Map.of(1, ADDR, 3, ADDR)).dials(3)).isFalse();
    }

    @Test
    void rejectsBadValuesNamingTheField() {
        assertThatThrownBy(() -> new TcpFabricConfig(" ", 0, ADDR, Map.of(), 10))
                .hasMessage("TcpFabricConfig.groupName must be a non-blank string, was ' '");
        assertThatThrownBy(() -> new TcpFabricConfig("x".repeat(70_000), 0, ADDR, Map.of(), 10))
                .hasMessage("TcpFabricConfig.groupName must be at most 65535 bytes of UTF-8, was 70000 bytes");
        assertThatThrownBy(() -> new TcpFabricConfig("g", -1, ADDR, Map.of(), 10))
                .hasMessage("TcpFabricConfig.myNodeId must be >= 0, was -1");
        assertThatThrownBy(() -> new TcpFabricConfig("g", 0, null, Map.of(), 10))
                .hasMessage("TcpFabricConfig.listenAddress must not be null");
        assertThatThrownBy(() -> new TcpFabricConfig("g", 0, ADDR, null, 10))
                .hasMessageStartingWith("TcpFabricConfig.peers must not be null");
        assertThatThrownBy(() -> new TcpFabricConfig("g", 0, ADDR, Map.of(0, ADDR), 10))
                .hasMessage("TcpFabricConfig.peers must not contain this node's own id 0");
        assertThatThrownBy(() -> new TcpFabricConfig("g", 0, ADDR, Map.of(-4, ADDR), 10))
                .hasMessage("TcpFabricConfig.peers has an invalid node id -4 (must be >= 0)");
        Map<Integer, InetSocketAddress> nullAddress = new HashMap<>();
        nullAddress.put(1, null);
        assertThatThrownBy(() -> new TcpFabricConfig("g", 0, ADDR, nullAddress, 10))
                .hasMessage("TcpFabricConfig.peers has no address for node 1");
        assertThatThrownBy(() -> new TcpFabricConfig("g", 0, ADDR, Map.of(), 0))
                .hasMessage("TcpFabricConfig.maxFrameBytes must be between 1 and 2147483643, was 0");
    }
}
