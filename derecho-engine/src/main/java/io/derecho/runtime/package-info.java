/**
 * The runtime environment of the protocol core: one Netty event loop per node that does both the
 * node's I/O and its protocol work (no locks in the protocol, no busy polling), the TCP fabric,
 * and a delivery thread for application upcalls.
 */
package io.derecho.runtime;
