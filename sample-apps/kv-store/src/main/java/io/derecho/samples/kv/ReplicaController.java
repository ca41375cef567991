package io.derecho.samples.kv;

import io.derecho.multicast.ShardLayout;
import io.derecho.object.Call;
import io.derecho.object.Group;
import io.derecho.object.Replicated;
import io.derecho.spring.Derecho;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /replica}: which shard this node holds and how many keys its own replica has. */
@RestController
public class ReplicaController {
    private final Derecho derecho;

    public ReplicaController(Derecho derecho) {
        this.derecho = derecho;
    }

    @GetMapping("/replica")
    public Map<String, Object> replica() throws Exception {
        Group g = derecho.group();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("node", g.nodeId());
        out.put("view", g.view().id());
        for (ShardLayout s : g.myShards()) {
            if (s.subgroupName().equals("kv")) {
                Replicated<KvStore> mine = g.replicated(KvStore.class);
                out.put("shard", s.shard());
                out.put("members", s.members());
                out.put("keys", mine.p2p(g.nodeId(), Call.of(KvStore::size)).get(Duration.ofSeconds(5)));
            }
        }
        return out;
    }
}
