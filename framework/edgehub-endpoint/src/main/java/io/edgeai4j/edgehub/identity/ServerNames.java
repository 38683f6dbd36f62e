package io.edgeai4j.edgehub.identity;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The names of a server certificate: DNS names (lower case) and IP literals (in {@link InetAddress#getHostAddress}
 * form, so that {@code ::1} and {@code 0:0:0:0:0:0:0:1} are one name). Always holds localhost, 127.0.0.1 and ::1.
 *
 * @param first the name given first (the certificate's CN), {@code localhost} when none was given
 * @param dnsNames the DNS names, in order
 * @param ipAddresses the IP literals, normalized, in order
 */
record ServerNames(String first, Set<String> dnsNames, Set<String> ipAddresses) {
  static final List<String> ALWAYS = List.of("localhost", "127.0.0.1", "::1");

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern DNS = Pattern.compile(
      "(\\*\\.)?[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*");

  /**
   * Classifies and normalizes the names, adding the {@link #ALWAYS} ones.
   *
   * @throws IllegalArgumentException naming a name that is neither a DNS name nor an IP literal
   */
  static ServerNames of(Collection<String> names) {
    Objects.requireNonNull(names, "serverNames");
    Set<String> dns = new LinkedHashSet<>();
    Set<String> ips = new LinkedHashSet<>();
    String first = null;
    for (String name : names) {
      add(name, dns, ips);
      first = first == null ? name : first;
    }
    for (String name : ALWAYS) {
      add(name, dns, ips);
    }
    return new ServerNames(first == null ? "localhost" : first, dns, ips);
  }

  /** Whether {@code this} names all of {@code wanted}. */
  boolean containsAll(ServerNames wanted) {
    return dnsNames.containsAll(wanted.dnsNames) && ipAddresses.containsAll(wanted.ipAddresses);
  }

  /** Normalizes an IP literal as an X.509 certificate reports it (a string). */
  static String normalizeIp(String literal) {
    String text = literal.startsWith("[") && literal.endsWith("]") ? literal.substring(1, literal.length() - 1)
        : literal;
    if (IPV4.matcher(text).matches()) {
      for (String octet : text.split("\\.")) {
        if (Integer.parseInt(octet) > 255) {
          throw new IllegalArgumentException("Server name '" + literal + "' is not an IPv4 address (octet " + octet
              + " > 255); expected a DNS name or an IP literal");
        }
      }
    } else if (text.indexOf(':') < 0) {
      return null;
    }
    try {
      // A literal (checked above) is parsed, never looked up.
      return InetAddress.getByName(text).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("Server name '" + literal + "' is not an IP address (" + e.getMessage()
          + "); expected a DNS name or an IP literal", e);
    }
  }

  private static void add(String name, Set<String> dns, Set<String> ips) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("A server name must not be blank; found " + (name == null ? "null"
          : "'" + name + "'") + "; expected a DNS name or an IP literal");
    }
    String ip = normalizeIp(name);
    if (ip != null) {
      ips.add(ip);
    } else if (DNS.matcher(name).matches() && name.length() <= 253) {
      dns.add(name.toLowerCase(Locale.ROOT));
    } else {
      throw new IllegalArgumentException("Server name '" + name + "' is neither a DNS name nor an IP literal; "
          + "expected e.g. localhost, host.docker.internal, 192.168.1.20 or ::1");
    }
  }
}
