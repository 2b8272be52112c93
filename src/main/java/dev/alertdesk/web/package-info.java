/** HTTP routes and handlers: maps requests to services and errors to status codes. */
@NullMarked
package dev.alertdesk.web;

import org.jspecify.annotations.NullMarked;
