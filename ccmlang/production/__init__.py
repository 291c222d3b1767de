"""Batch production (spec/production.md): ``ccm batch`` and the pieces behind it.

* :mod:`~ccmlang.production.engine`: the batch loop (streaming, in-flight window, ordered
  manifest, resume, ``--max-errors``) and :func:`run_batch`;
* :mod:`~ccmlang.production.executors`: a local process pool or a Dask cluster, one protocol;
* :mod:`~ccmlang.production.worker`: what a worker runs (compile once, render a record);
* :mod:`~ccmlang.production.manifest`: the append-only manifest and the batch state file;
* :mod:`~ccmlang.production.naming`: ``--name`` expressions and safe file names;
* :mod:`~ccmlang.production.printstream`: one print-ready PDF with duplex, OMR, DataMatrix and
  householding, and its index;
* :mod:`~ccmlang.production.progress`: the progress bar, plain log lines and the summary;
* :mod:`~ccmlang.production.cli_batch`: the ``ccm batch`` command.

Importing this package imports none of them (the CLI stays fast to start).
"""
