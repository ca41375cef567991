package io.derecho.object;

/**
 * A replicated type whose state is one value the group's codec can encode (a record, a map, a
 * list...): state transfer sends {@link #snapshot()} and the new member calls {@link #restore}.
 *
 * @param <S> the state's type (the type argument must be concrete, e.g. {@code CodecState<Map<String, Long>>})
 */
public interface CodecState<S> {
    S snapshot();

    void restore(S state);
}
