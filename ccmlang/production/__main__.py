"""``python -m ccmlang.production TEMPLATE --data FILE --out DIR``: ``ccm batch`` alone."""

from ccmlang.production.cli_batch import main

if __name__ == "__main__":
    main()
