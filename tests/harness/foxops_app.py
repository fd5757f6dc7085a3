# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ASGI factory for the local Foxops test server; it runs inside the Foxops venv, not the collection's.

It is ``foxops.__main__:create_app`` with one change: structlog's console renderer is made to format
exceptions as plain tracebacks, without colour codes as the log goes to a file. With the stock set-up
every unhandled exception (an HTTP 500) is rendered as a rich traceback with all locals, which blocks the
event loop for tens of seconds and writes tens of megabytes of log per error. Plain tracebacks take
milliseconds.

Start it with ``uvicorn --app-dir <this folder> foxops_app:create_app --factory``.
"""

from __future__ import annotations

_PATCHED_ATTRIBUTE = "_apiops_plain_tracebacks"


def force_plain_tracebacks():
    """Make every structlog ConsoleRenderer created from now on use plain tracebacks, no colours (idempotent)."""
    from structlog import dev  # pylint: disable=import-outside-toplevel

    renderer = dev.ConsoleRenderer
    if getattr(renderer, _PATCHED_ATTRIBUTE, False):
        return
    stock_init = renderer.__init__

    def init_with_plain_tracebacks(self, *args, **kwargs):
        kwargs["exception_formatter"] = dev.plain_traceback
        kwargs["colors"] = False  # the log goes to a file
        stock_init(self, *args, **kwargs)

    renderer.__init__ = init_with_plain_tracebacks
    setattr(renderer, _PATCHED_ATTRIBUTE, True)


def create_app():
    """Return the Foxops ASGI application, with plain tracebacks in its log."""
    force_plain_tracebacks()
    from foxops.__main__ import create_app as foxops_create_app  # pylint: disable=import-outside-toplevel

    return foxops_create_app()
