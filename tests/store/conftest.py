"""The store fixtures (`store`, `database_url`, `now`) live in tests/conftest.py so every
feature's tests can run on both backends."""
