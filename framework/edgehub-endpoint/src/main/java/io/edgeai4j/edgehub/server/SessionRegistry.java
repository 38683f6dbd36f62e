package io.edgeai4j.edgehub.server;

import io.edgeai4j.module.ModuleIdentity;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions by client id: a CleanSession=false client finds its subscriptions again when it reconnects, and a
 * second CONNECT with the same client id takes the session over from the first connection, which is closed (as
 * edgeHub does). Thread-safe.
 */
final class SessionRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(SessionRegistry.class);
  private final Map<String, Session> sessions = new HashMap<>();

  /**
   * The connection attached to its session, whether the session was there before (CONNACK's flag) and whether it
   * took over an open connection.
   */
  record Attached(ModuleConnection connection, boolean sessionPresent, boolean tookOver) {}

  /**
   * Attaches a new connection to the client's session, closing the connection it replaces.
   *
   * @param clientId The MQTT client id.
   * @param identity The authenticated module.
   * @param cleanSession The CONNECT's CleanSession flag: true forgets the stored subscriptions.
   * @param factory Creates the connection for the session.
   * @return The connection and the session-present flag.
   */
  Attached attach(String clientId, ModuleIdentity identity, boolean cleanSession,
      Function<Session, ModuleConnection> factory) {
    ModuleConnection previous;
    Attached attached;
    synchronized (this) {
      Session existing = sessions.get(clientId);
      previous = existing == null ? null : existing.connection();
      Session session = existing;
      if (session == null || cleanSession || !session.identity.equals(identity)) {
        session = new Session(identity);
        sessions.put(clientId, session);
      }
      ModuleConnection next = factory.apply(session);
      session.replace(next);
      attached = new Attached(next, existing != null && session == existing, previous != null);
    }
    if (previous != null) {
      LOG.info("Client '{}' connected again from {}; its connection from {} is closed (taken over)", clientId,
          attached.connection().channel().remoteAddress(), previous.channel().remoteAddress());
      previous.close();
      previous.channel().close();
    }
    return attached;
  }

  /** Says whether the client id has a connection attached (open, or still closing), which a CONNECT takes over. */
  synchronized boolean hasConnection(String clientId) {
    Session s = sessions.get(clientId);
    return s != null && s.connection() != null;
  }

  /** Returns the ids of the modules connected now. */
  synchronized Set<String> connectedModules() {
    Set<String> ids = new TreeSet<>();
    for (Session s : sessions.values()) {
      ModuleConnection c = s.connection();
      if (c != null && !c.isClosed()) {
        ids.add(s.identity.moduleId());
      }
    }
    return ids;
  }

  /** Returns every connection open now. */
  synchronized java.util.List<ModuleConnection> connections() {
    return sessions.values().stream().map(Session::connection).filter(c -> c != null).toList();
  }
}
