/** {@code poollab new-plugin}: standalone Maven projects for a lab's own plugins, built and tested on their own. */
package org.poollab.scaffold;
