"""Web pages served beside the API: the interactive API docs, with their assets vendored."""
