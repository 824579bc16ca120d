"""The dataset written out whole: JSON (the API's field names), CSV tables and SQLite."""
