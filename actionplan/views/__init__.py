"""Views of the action plan app, one module per page family."""
