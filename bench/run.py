"""Old entry point, kept so `python bench/run.py` still works: the benchmark lives in bench/shopbench/."""

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from shopbench.__main__ import main  # noqa: E402

sys.exit(main())
