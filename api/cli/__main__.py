"""``python -m api.cli`` = the ``jishi`` command."""

from api.cli import app

app()
