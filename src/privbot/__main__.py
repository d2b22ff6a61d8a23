"""`python -m privbot` runs the command line."""

from privbot.cli import main

main()
