"""The staff back office's shared parts: the store's admin site and its dashboard, CSV exports
that stream, admin mixins, and progress reports for long management commands.

The apps contribute their own dashboard figures (from their selectors) and admins; nothing here
imports an app."""
