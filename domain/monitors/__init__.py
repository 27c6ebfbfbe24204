"""Monitors of DOMAIN.md §6.2 as pure functions producing finding facts (no store, no clock): one
function per rule id, declared with ``domain.rules.registry.monitor`` beside it; ``registry.py`` holds
the entry points the findings projection calls."""
