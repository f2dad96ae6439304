"""`python -m eventscope` runs the command line."""

from eventscope.cli import main

main()
