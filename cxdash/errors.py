"""Errors that reach users as plain sentences."""


class CxdashError(Exception):
    """Base class: ``str(err)`` is a complete sentence a user can act on."""


class ImportRejected(CxdashError):
    """A file cannot be imported at all; the workspace is left unchanged."""


class WorkspaceError(CxdashError):
    """The workspace file cannot be opened or migrated."""
