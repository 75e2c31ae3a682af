"""``python -m pipeline`` is the ``hanlink`` command."""
import sys

from pipeline.cli import main

sys.exit(main())
