"""Views of the workshops app, one module per page family."""
