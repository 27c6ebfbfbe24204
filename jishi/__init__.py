"""The composition root: builds the application, its read models, runner and ledger from one
validated ``Settings`` (``jishi/bootstrap.py``). The server, the CLI, the demo, the benchmarks and
the tests all start here; nothing inside ``domain``, ``service``, ``projections`` or ``ledger``
imports it."""
