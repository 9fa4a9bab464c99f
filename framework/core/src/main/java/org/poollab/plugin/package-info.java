/** Loading plugin jars with PF4J, creating extensions with Guice, and the registry of components by id. */
package org.poollab.plugin;
