package io.derecho.testing.lin;

/** What the checker concluded about a history or a part of it. */
public enum Verdict {
    /** Some order of the operations, consistent with real time, is legal for the model. */
    LINEARIZABLE,
    /** No such order exists: the search explored every possibility. */
    NOT_LINEARIZABLE,
    /** The search budget (time or states) ran out before either could be shown. */
    UNKNOWN
}
