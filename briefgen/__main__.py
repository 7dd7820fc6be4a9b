"""`python -m briefgen` runs the command line."""

from briefgen.cli import main

if __name__ == "__main__":
    main()
