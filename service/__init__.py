"""The service layer: the one path of every write.

A command (``service/commands.py``) is a small typed object; ``Jishi.handle`` checks the caller's
jurisdiction (``service/jurisdiction.py``), runs the command's one handler (``service/handlers/``)
inside a unit of work (``service/unit_of_work.py``: idempotency, expected version, batching, the
atomic save) and returns what was stored. HTTP routes, pages, the CLI and the demo generator all
write through it.
"""
