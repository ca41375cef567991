/**
 * Membership and virtual synchrony: failure detection through SST heartbeats, the view-change
 * protocol (suspicion, proposal, wedge, commit, ragged-edge cleanup, install) and the senders that
 * carry an application's messages across views. See {@link io.derecho.membership.ViewManager}.
 *
 * <p>Invariants: members that install view v+1 from view v delivered the same messages in v, in
 * the same order (ORDERED shards); a message is delivered by every survivor or by none; view ids
 * increase by one and every member installs the same members for the same id; a member that
 * cannot see a majority of its view stops and installs nothing (with partition safety on).
 */
package io.derecho.membership;
