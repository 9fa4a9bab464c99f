/** Test support shared by plugin and framework tests: gradient checks and a pooling harness. */
package org.poollab.testkit;
