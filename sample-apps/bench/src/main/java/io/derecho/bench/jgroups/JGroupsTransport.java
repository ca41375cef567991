package io.derecho.bench.jgroups;

import io.derecho.bench.group.GroupTransport;
import io.derecho.bench.group.MemberContext;
import io.derecho.bench.group.PayloadSink;
import io.derecho.bench.launch.MemberArgs;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.View;

/**
 * JGroups 5.5 member: a JChannel with the {@link JGroupsStack} stack; multicasts are {@link
 * BytesMessage}s to the whole group (destination null), delivered in total order by SEQUENCER.
 *
 * <p>Member arguments: {@code ports} (every member's TCP port, by rank), {@code jg.cluster},
 * and optional {@code jg.bundler}, {@code jg.bundleSize}, {@code jg.credits}, {@code jg.frag}, {@code jg.sockbuf},
 * {@code jg.nodelay}, {@code jg.stackDump} (a file to write the XML to).
 */
public final class JGroupsTransport implements GroupTransport {

  private JChannel channel;
  private volatile View view;
  private String stackNote = "";

  @Override
  public void join(MemberContext ctx, PayloadSink sink) throws Exception {
    MemberArgs a = ctx.args();
    List<Integer> ports = a.getIntList("ports");
    JGroupsStack.Options d = JGroupsStack.Options.defaults(ctx.cfg().ordered());
    JGroupsStack.Options o =
        new JGroupsStack.Options(
            a.get("jg.bundler", d.bundler()),
            a.get("jg.bundleSize", d.bundleSize()),
            a.get("jg.credits", d.credits()),
            a.get("jg.frag", d.fragSize()),
            a.get("jg.sockbuf", d.socketBuffer()),
            a.getBoolean("jg.nodelay", d.tcpNoDelay()),
            ctx.cfg().ordered());
    String xml = JGroupsStack.xml(ports.get(ctx.rank()), ports, o);
    if (a.has("jg.stackDump")) {
      Files.writeString(Path.of(a.get("jg.stackDump")), xml);
    }
    stackNote = "";
    channel = new JChannel(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    channel.name("m" + ctx.rank());
    channel.setReceiver(
        new Receiver() {
          @Override
          public void receive(Message msg) {
            sink.deliver(msg.getArray(), msg.getOffset(), msg.getLength());
          }

          @Override
          public void viewAccepted(View v) {
            view = v;
            ctx.log("view " + v);
          }
        });
    channel.connect(a.get("jg.cluster", "derecho-bench"));
    ctx.event("listening");
    int n = ctx.cfg().nodes();
    while (true) {
      View v = channel.getView();
      if (v != null && v.size() >= n) {
        if (v.size() > n) {
          throw new IllegalStateException("view larger than expected: " + v);
        }
        return;
      }
      if (ctx.pastDeadline()) {
        throw new IllegalStateException("full view not reached by the deadline; view " + v);
      }
      Thread.sleep(20);
    }
  }

  @Override
  public void multicast(byte[] payload) throws Exception {
    channel.send(new BytesMessage(null, payload));
  }

  @Override
  public String note() {
    return stackNote;
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.close();
    }
  }

  View lastView() {
    return view;
  }
}
