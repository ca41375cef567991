package io.derecho.bench.jgroups;

import io.derecho.bench.group.GroupMemberMain;

/** Main class of one JGroups member process (see {@link GroupMemberMain}). */
public final class JGroupsMember {

  private JGroupsMember() {}

  public static void main(String[] args) {
    GroupMemberMain.run(JGroupsSystem.NAME, args, JGroupsTransport::new);
  }
}
