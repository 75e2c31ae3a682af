"""``python -m pipeline`` is the ``hanlink`` command."""
import sys

from .cli import main

sys.exit(main())
