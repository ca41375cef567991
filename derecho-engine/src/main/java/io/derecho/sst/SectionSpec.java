package io.derecho.sst;

/**
 * One section of the SST: a fixed-size byte range that exists in some rows (the holders) and is
 * replicated to some members (the subscribers). In Derecho terms a section is a group of columns:
 * the counters of one shard, or one sender's slot ring in one shard.
 *
 * @param id          section id, the index in the layout
 * @param sizeBytes   size of the section in each holding row
 * @param holders     ranks whose rows contain the section
 * @param subscribers ranks that keep a copy of the section of every holder (and receive its pushes)
 * @param coalesce    true for counter sections: dirty writes merge into one range per push
 */
public record SectionSpec(int id, int sizeBytes, int[] holders, int[] subscribers, boolean coalesce) {

    boolean heldBy(int rank) {
        return contains(holders, rank);
    }

    boolean subscribedBy(int rank) {
        return contains(subscribers, rank);
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }
}
