/** Settings records and their validation; the only code that reads the environment and configuration files. */
@NullMarked
package dev.alertdesk.config;

import org.jspecify.annotations.NullMarked;
