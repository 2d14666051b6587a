"""Changing a store: the locked, checked, atomic write session and the operations on it."""
