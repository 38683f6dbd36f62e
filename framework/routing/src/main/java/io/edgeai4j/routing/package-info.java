/**
 * edgeHub's route language, implemented the way edgeHub implements it.
 *
 * <p>A route such as {@code FROM /messages/modules/sensor/outputs/* WHERE $body.temp > 30 INTO
 * BrokeredEndpoint("/modules/alert/inputs/in")} is parsed and type-checked once by {@link
 * io.edgeai4j.routing.Route#parse(String)}; errors are reported as a {@link
 * io.edgeai4j.routing.RouteException} that names the character position, what was found and what
 * was expected. A parsed route has a {@link io.edgeai4j.routing.MessageSource} (a case-insensitive
 * prefix of the message's source path), a {@link io.edgeai4j.routing.Condition} (evaluated with
 * edgeHub's three-valued logic to a {@link io.edgeai4j.routing.TriState}) and a {@link
 * io.edgeai4j.routing.Sink}. A {@link io.edgeai4j.routing.RouteTable} evaluates a set of {@link
 * io.edgeai4j.routing.RouteSpec}s against a {@link io.edgeai4j.routing.RoutingMessage} and returns
 * one {@link io.edgeai4j.routing.RouteMatch} per distinct endpoint, at the best priority, as
 * edgeHub's {@code Evaluator} does.
 *
 * <p>The semantics follow edgeHub's own sources ({@code Microsoft.Azure.Devices.Routing.Core}):
 * its ANTLR lexer (longest match, so {@code a-b} and {@code 'a'||'b'} are single property names),
 * its compile-time operand types, its {@code Bool}/{@code Null}/{@code Undefined} operator tables,
 * its built-in functions and its Json.NET based {@code $body} queries. The package depends only on
 * Jackson. All public types are immutable and thread-safe.
 */
package io.edgeai4j.routing;
