package io.derecho.spring;

import io.derecho.membership.View;

/**
 * Published as an application event when this node installs a view (and when it stops): listen
 * with {@code @EventListener} to react to membership changes. Delivered on a thread of its own,
 * in view order, never on the protocol's threads, so a listener may take its time or call
 * replicated beans.
 *
 * <pre>{@code
 * @EventListener
 * void onView(DerechoViewEvent e) {
 *     log.info("now {} members: {}", e.view().members().length, e.view());
 * }
 * }</pre>
 *
 * @param nodeId  this node
 * @param view    the installed view (the last one when it stopped)
 * @param stopped why this node stopped, or null while it runs
 */
public record DerechoViewEvent(int nodeId, View view, String stopped) {
}
