"""``python -m ccmlang`` runs the ``ccm`` command."""

from ccmlang.cli import main

main()
