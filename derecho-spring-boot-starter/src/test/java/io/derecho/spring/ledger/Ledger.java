package io.derecho.spring.ledger;

import io.derecho.object.CodecState;
import io.derecho.spring.Query;
import io.derecho.spring.ReplicatedBean;
import io.derecho.spring.ShardKey;
import java.util.TreeMap;
import org.springframework.beans.factory.annotation.Value;

/** Account balances, sharded by account: a replicated bean with constructor injection and {@code @Value}. */
@ReplicatedBean(subgroup = "accounts")
public class Ledger implements CodecState<TreeMap<String, Long>> {
    private final String currency;
    private final Audit audit;
    private TreeMap<String, Long> balances = new TreeMap<>();

    public Ledger(@Value("${ledger.currency:EUR}") String currency, Audit audit) {
        this.currency = currency;
        this.audit = audit;
    }

    /** Ordered: every replica of the account's shard adds {@code amount}; returns the new balance. */
    public long deposit(@ShardKey String account, long amount) {
        audit.record(account);
        return balances.merge(account, amount, Long::sum);
    }

    @Query
    public long balance(@ShardKey String account) {
        return balances.getOrDefault(account, 0L);
    }

    /** Every balance of this replica's shard (a query without a key: the only shard, or this node's). */
    @Query
    public TreeMap<String, Long> all() {
        return new TreeMap<>(balances);
    }

    @Query
    public String currency() {
        return currency;
    }

    @Override
    public TreeMap<String, Long> snapshot() {
        return new TreeMap<>(balances);
    }

    @Override
    public void restore(TreeMap<String, Long> state) {
        balances = new TreeMap<>(state);
    }
}
