/**
 * Role-based access control for every action taken from Slack: roles of Slack users and user
 * groups, grants of actions to roles (optionally per channel), and Slack user-group membership.
 * It fails closed: a membership that cannot be read denies, and says why.
 */
@NullMarked
package dev.alertdesk.rbac;

import org.jspecify.annotations.NullMarked;
