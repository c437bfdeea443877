"""``python -m textaug``: the ``textaug`` command line (see :mod:`textaug.cli`)."""

import sys

from textaug.cli import main

if __name__ == "__main__":
    sys.exit(main())
