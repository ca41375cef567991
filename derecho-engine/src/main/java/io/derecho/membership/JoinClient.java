package io.derecho.membership;

import io.derecho.fabric.Environment;
import java.util.List;

/**
 * The joining side of the join protocol: asks the contacts in turn, follows redirects to the
 * leader, waits while the leader holds the request, retries after retryable refusals and broken
 * connections (with a short pause), and gives up at the deadline or on a final refusal. Protocol
 * loop only.
 */
final class JoinClient {
    private static final long RETRY_PAUSE_NANOS = 200_000_000L;
    private static final int MAX_REDIRECTS_IN_A_ROW = 5;

    /** What the client reports to its node. */
    interface Events {
        void progress(String message);

        void joined(View view);

        void failed(String reason);
    }

    private final JoinMessages.Request request;
    private final List<String> contacts;
    private final JoinTransport transport;
    private final Environment env;
    private final long deadline;
    private final Events events;
    private int nextContact;
    private String redirectTo;
    private int redirects;
    private String lastReason = "no member answered";
    private JoinTransport.Attempt attempt;
    private Environment.Cancellable retry;
    private boolean done;

    JoinClient(JoinMessages.Request request, List<String> contacts, JoinTransport transport, Environment env,
               long timeoutNanos, Events events) {
        if (contacts.isEmpty()) {
            throw new IllegalArgumentException("node " + request.nodeId() + " has no member to contact to join");
        }
        this.request = request;
        this.contacts = List.copyOf(contacts);
        this.transport = transport;
        this.env = env;
        this.deadline = env.nanoTime() + timeoutNanos;
        this.events = events;
    }

    void start() {
        attempt();
    }

    void cancel() {
        done = true;
        if (attempt != null) {
            attempt.cancel();
        }
        if (retry != null) {
            retry.cancel();
        }
    }

    private void attempt() {
        retry = null;
        if (done) {
            return;
        }
        if (env.nanoTime() > deadline) {
            finish(null, "node " + request.nodeId() + " could not join group '" + request.groupName() + "' in time: "
                    + lastReason);
            return;
        }
        String address;
        if (redirectTo != null && redirects <= MAX_REDIRECTS_IN_A_ROW) {
            address = redirectTo;
        } else {
            address = contacts.get(nextContact++ % contacts.size());
            redirects = 0;
        }
        redirectTo = null;
        events.progress("asking " + address + " to join");
        JoinTransport.Attempt[] mine = new JoinTransport.Attempt[1];
        mine[0] = transport.connect(address, request, reply -> {
            if (!done && attempt == mine[0]) {
                onReply(address, reply);
            }
        }, reason -> {
            if (!done && attempt == mine[0]) {
                attempt = null;
                if (redirectTo == null) {
                    lastReason = address + ": " + reason;
                }
                retry = env.schedule(redirectTo != null ? 0 : RETRY_PAUSE_NANOS, this::attempt);
            }
        });
        if (attempt == null && !done) {
            attempt = mine[0];
        }
    }

    private void onReply(String address, JoinMessages.Reply reply) {
        switch (reply) {
            case JoinMessages.Pending p -> events.progress(p.why());
            case JoinMessages.Redirect r -> {
                redirectTo = r.address();
                redirects++;
                events.progress(address + " redirects to the leader, node " + r.leaderId() + " at " + r.address());
            }
            case JoinMessages.Refused r -> {
                lastReason = address + " refused: " + r.reason();
                if (r.retryable()) {
                    events.progress(lastReason + " (retrying)");
                } else {
                    finish(null, "node " + request.nodeId() + " cannot join group '" + request.groupName() + "': "
                            + r.reason());
                }
            }
            case JoinMessages.Accepted a -> finish(a.view(), null);
        }
    }

    private void finish(View view, String failure) {
        if (done) {
            return;
        }
        done = true;
        if (attempt != null) {
            attempt.cancel();
            attempt = null;
        }
        if (view != null) {
            events.joined(view);
        } else {
            events.failed(failure);
        }
    }
}
