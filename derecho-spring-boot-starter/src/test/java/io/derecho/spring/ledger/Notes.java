package io.derecho.spring.ledger;

import io.derecho.object.CodecState;
import io.derecho.spring.Query;
import io.derecho.spring.ReplicatedBean;
import java.util.ArrayList;
import java.util.List;

/** A second replicated bean beside {@link Ledger}: one shard on every node, subgroup named after the class. */
@ReplicatedBean
public class Notes implements CodecState<ArrayList<String>> {
    private ArrayList<String> notes = new ArrayList<>();

    /** Ordered: every node appends in the same order; returns how many notes there are. */
    public int add(String note) {
        notes.add(note);
        return notes.size();
    }

    @Query
    public List<String> all() {
        return List.copyOf(notes);
    }

    @Override
    public ArrayList<String> snapshot() {
        return new ArrayList<>(notes);
    }

    @Override
    public void restore(ArrayList<String> state) {
        notes = new ArrayList<>(state);
    }
}
