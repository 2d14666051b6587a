"""The `scholar` command's entry point, apart from app.py so that Ctrl-C is handled from the first
moment our code runs.

app.py imports Typer, Click and our commands (~0.1 s); an interrupt during those imports was a
KeyboardInterrupt traceback, and one while a command ran was Click's "Aborted!" with status 1. Here,
before anything else is imported, SIGINT is made to end the program with status 130 (128 + SIGINT,
what a shell reports for an interrupted program) and no output. It ends it as an exception, not by
dying on the spot, so `finally` blocks still run: a write in progress removes its temp file and
releases its lock. The handler is installed when this module is imported (only the console script
and `python -m scholarcli` import it), not when main() is called: the earliest our code can.
(An interrupt during Python's own start-up, before this module, is Python's to report.)

SIGTERM is handled the same way (status 143, 128 + SIGTERM), so that `kill` or a service manager
stopping the program also runs the cleanup. A write's critical section (the replace and the backup's
rotation) holds both signals back until it ends (see write/atomic.py, signals_deferred).
"""

INTERRUPTED = 130


def _interrupted(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


try:
    import signal

    signal.signal(signal.SIGINT, _interrupted)
    signal.signal(signal.SIGTERM, _interrupted)
except KeyboardInterrupt:  # arrived before the handler was in place
    raise SystemExit(INTERRUPTED) from None


def main() -> None:
    """Console-script entry point (also `python -m scholarcli`)."""
    try:
        from scholarcli.cli.app import main as run

        run()
    except KeyboardInterrupt:  # a program that set SIGINT back to Python's default
        raise SystemExit(INTERRUPTED) from None
