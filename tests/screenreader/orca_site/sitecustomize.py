"""Loaded by the Orca process the harness starts (PYTHONPATH): Orca opens its debug log block-buffered, so the
last few utterances sat in its buffer until more speech pushed them out, and a journey "heard" an announcement
only when the next one came (or never). Opening that one file line-buffered makes each utterance readable as
soon as Orca speaks it; nothing else in Orca changes."""

import builtins
import os

_debug_file = os.environ.get("ORCA_DEBUG_FILE")
_open = builtins.open


def _line_buffered_debug_log(file, mode="r", buffering=-1, *args, **kwargs):
    if _debug_file and isinstance(file, str) and os.path.abspath(file) == _debug_file and "w" in mode:
        buffering = 1
    return _open(file, mode, buffering, *args, **kwargs)


builtins.open = _line_buffered_debug_log
