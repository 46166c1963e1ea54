"""Views of the interviews app, one module per page family."""
