/**
 * The launch plan: everything the C helper does between clone and exec, decided in Java and written
 * as simple records the helper parses without a JSON parser. {@link dev.kona.engine.plan.ContainerPlanner}
 * turns an OCI spec into a plan; {@link dev.kona.engine.plan.PlanEncoder} writes its wire form.
 */
package dev.kona.engine.plan;
